"""Tasks for feeds: thin wrappers over services, inline or on Celery.

With ``CUPURE_BROKER_URL`` unset (the embedded default) :func:`feed_poll_dispatch`
calls the service in this process; with it set, it enqueues :func:`feed_poll_task` for
a Celery worker. The task is idempotent: the feed's lease keeps two workers off one
feed and unique constraints keep entries and articles single, so a redelivered or
retried task stores nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from cupure.celery import app

from .models import Feed
from .services import PollResult, feed_mark_enqueued, feed_poll

log = logging.getLogger(__name__)

# Unexpected failures (database restarts, lost connections) are retried with
# exponential backoff from 10 s up to 10 minutes, 5 times; a feed's own failures are
# recorded by the service and never raise.
TASK_RETRY_BACKOFF_SECONDS = 10
TASK_RETRY_BACKOFF_MAX_SECONDS = 600
TASK_MAX_RETRIES = 5


def feed_poll_by_id(feed_id: int) -> PollResult | None:
    """Poll the feed ``feed_id`` (None if it was deleted meanwhile)."""
    feed = Feed.objects.select_related("publisher").filter(pk=feed_id).first()
    if feed is None:
        log.info("Feed to poll no longer exists feed_id=%s", feed_id)
        return None
    return feed_poll(feed=feed)


@app.task(
    name="cupure.sources.feed_poll",
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=TASK_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=TASK_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=TASK_MAX_RETRIES,
)
def feed_poll_task(feed_id: int) -> dict[str, object] | None:
    """Celery task: poll one feed; returns what the poll did (for logs)."""
    result = feed_poll_by_id(feed_id)
    return None if result is None else asdict(result)


def feed_poll_dispatch(feed: Feed) -> PollResult | None:
    """Poll ``feed`` now: inline (returns the result) or, with a broker, enqueued
    (returns None; the feed is marked so the scheduler does not enqueue it again)."""
    if settings.CUPURE_BROKER_URL:
        feed_mark_enqueued(feed_id=feed.pk, now=timezone.now())
        feed_poll_task.delay(feed.pk)
        return None
    return feed_poll(feed=feed)
