"""A real Redis as the Celery broker for one test, and everything Celery caches
about a broker forgotten before and after it.

Celery keeps the connection pool, the producer pool and kombu's process-wide
producer pools of the first broker it talked to: a test that left them behind sent
the next test's tasks to its own Redis database, where no worker listened (the
image worker test timed out after the poll worker test, when run in that order).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cupure.celery import app
from tests.ci import redis_client


@contextmanager
def redis_broker_at(url: str, settings: Any, queue: str) -> Iterator[str]:
    """The Redis database at ``url`` (flushed before and after) as the broker, with
    a queue named after ``queue`` and this run: a test worker of another checkout
    sharing this Redis must not take our tasks (it would run them against its own
    database)."""
    client = redis_client(url, "CELERY TEST")
    client.flushdb()
    forget_broker()
    settings.CUPURE_BROKER_URL = url
    app.conf.broker_url = url
    app.conf.task_default_queue = f"{queue}-{uuid.uuid4().hex[:12]}"
    forget_queues()
    try:
        yield url
    finally:
        app.conf.broker_url = None
        app.conf.task_default_queue = "celery"
        forget_queues()
        forget_broker()
        client.flushdb()
        client.close()


def forget_queues() -> None:
    """Drop Celery's cached queue declarations so the conf above takes effect."""
    for name in ("queues", "default_queue"):
        app.amqp.__dict__.pop(name, None)
    app.amqp._rtable = None


def forget_broker() -> None:
    """Close the broker connections and drop the pools built for the last broker
    (the producer pool keeps a reference to the connection pool)."""
    from kombu import pools

    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide producer pools, keyed by broker
