"""The Celery app: work moves onto workers when ``CUPURE_BROKER_URL`` is set.

Configured from Django settings (which read the ``CUPURE_*`` environment), so a worker
started with ``cupure worker`` (or ``celery -A cupure.celery worker``) and the process
that enqueues agree on the broker. Without a broker nothing here is used: services run
inline (see :mod:`cupure.sources.tasks`).
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings.dev")

# A poll holds a feed lease for minutes; a task acknowledged only after it ran is
# redelivered if the worker dies, and the lease and unique constraints make that safe.
TASK_ACKS_LATE = True
# A task unacknowledged this long (a worker killed mid-poll) is handed to another
# worker: a poll takes at most its time budget (5 minutes) plus one page, so 10
# minutes fits it, where Redis's default of an hour kept a killed task (issue #16).
VISIBILITY_TIMEOUT_SECONDS = 10 * 60
# Talking to the broker gives up after this long (a broker that is down or drops
# packets), so an enqueue fails with one line instead of hanging.
BROKER_SOCKET_TIMEOUT_SECONDS = 5
# One task at a time per worker process: polls are long and network-bound, and a
# prefetched task would wait behind a slow publisher while other workers idle.
WORKER_PREFETCH_MULTIPLIER = 1

app = Celery("cupure")
app.conf.update(
    broker_url=settings.CUPURE_BROKER_URL or None,
    broker_connection_retry_on_startup=True,
    broker_connection_timeout=BROKER_SOCKET_TIMEOUT_SECONDS,
    broker_transport_options={
        "visibility_timeout": VISIBILITY_TIMEOUT_SECONDS,
        "socket_connect_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
        "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
    },
    task_acks_late=TASK_ACKS_LATE,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=WORKER_PREFETCH_MULTIPLIER,
    task_ignore_result=True,
    task_serializer="json",
    accept_content=["json"],
    timezone="UTC",
    enable_utc=True,
)
app.autodiscover_tasks(["cupure.sources", "cupure.images"])


def _django_setup(**_kwargs: object) -> None:
    import django

    django.setup()


# A worker started by ``celery -A cupure.celery worker`` needs the ORM before tasks run.
worker_init.connect(_django_setup, weak=False)
worker_process_init.connect(_django_setup, weak=False)
