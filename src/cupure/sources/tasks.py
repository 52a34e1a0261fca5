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
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError

from cupure.celery import app
from cupure.feeds.schedule import MIN_POLL_SECONDS

from .models import Feed
from .services import PollResult, feed_mark_enqueued, feed_poll

log = logging.getLogger(__name__)

# Unexpected failures (database restarts, lost connections) are retried with
# exponential backoff from 10 s up to 10 minutes, 5 times; a feed's own failures are
# recorded by the service and never raise.
TASK_RETRY_BACKOFF_SECONDS = 10
TASK_RETRY_BACKOFF_MAX_SECONDS = 600
TASK_MAX_RETRIES = 5
TASK_RETRIES: dict[str, Any] = {
    "autoretry_for": (DatabaseError, OSError),
    "retry_backoff": TASK_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": TASK_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": TASK_MAX_RETRIES,
}
# An enqueue gives up at once when the broker does not answer (the scheduler's next
# tick tries again): no minutes of retries behind one line of output.
BROKER_PUBLISH_OPTIONS = {"retry": False}


def feed_poll_by_id(feed_id: int) -> PollResult | None:
    """Poll the feed ``feed_id`` (None if it was deleted meanwhile, or if a poll of
    it finished moments ago: a task delivered twice, e.g. redelivered after its
    worker died between the poll and the acknowledgement, must not ask the
    publisher again before its schedule; a poll cut short is redone)."""
    feed = Feed.objects.select_related("publisher").filter(pk=feed_id).first()
    if feed is None:
        log.info("Feed to poll no longer exists feed_id=%s", feed_id)
        return None
    recent = timezone.now() - timedelta(seconds=MIN_POLL_SECONDS)
    if (
        feed.unfinished_polls == 0
        and feed.last_polled_at is not None
        and feed.last_polled_at > recent
    ):
        log.info("Feed polled moments ago, task not repeated feed_id=%s", feed_id)
        return None
    return feed_poll(feed=feed)


@app.task(name="cupure.sources.feed_poll", **TASK_RETRIES)
def feed_poll_task(feed_id: int) -> dict[str, object] | None:
    """Celery task: poll one feed; returns what the poll did (for logs)."""
    result = feed_poll_by_id(feed_id)
    return None if result is None else asdict(result)


class BrokerUnreachable(Exception):
    """The broker did not take a task; the message names it (without password)."""


def broker_label(url: str) -> str:
    """The broker URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def feed_poll_dispatch(feed: Feed) -> PollResult | None:
    """Poll ``feed`` now: inline (returns the result) or, with a broker, enqueued
    (returns None; the feed is marked so the scheduler does not enqueue it again).

    A broker that cannot be reached raises BrokerUnreachable (one line, no
    traceback) and leaves the feed due, so the next tick enqueues it as soon as the
    broker is back (the failed enqueue pushed it ~7 minutes out, issue #16).
    """
    if settings.CUPURE_BROKER_URL:
        feed_mark_enqueued(feed_id=feed.pk, now=timezone.now())
        try:
            feed_poll_task.apply_async((feed.pk,), **BROKER_PUBLISH_OPTIONS)
        except (OperationalError, OSError, ConnectionError) as error:
            # Not enqueued: the feed is due again, for the next tick.
            Feed.objects.filter(pk=feed.pk).update(next_poll_at=feed.next_poll_at)
            raise BrokerUnreachable(
                f"broker unreachable at {broker_label(settings.CUPURE_BROKER_URL)} "
                f"({' '.join(str(error).split())[:120] or type(error).__name__})"
            ) from error
        return None
    return feed_poll(feed=feed)


@app.task(name="cupure.sources.feed_ingest_pending", **TASK_RETRIES)
def feed_ingest_pending_task(feed_id: int) -> dict[str, object] | None:
    """Celery task: ingest the pages of a feed's pending entries (those a hub just
    pushed) without fetching the feed."""
    from .services import feed_ingest_pending

    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return None
    return asdict(feed_ingest_pending(feed=feed))
