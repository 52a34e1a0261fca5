"""Tasks: inline by default; on a real Celery worker over the real Redis with
CUPURE_BROKER_URL. With CI=true a missing Redis FAILS this test (it never skips)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest
from django.utils import timezone

from cupure.articles.models import Article
from cupure.celery import app
from cupure.sources.models import Entry, Feed
from cupure.sources.services import PollResult
from cupure.sources.tasks import feed_poll_dispatch, feed_poll_task
from tests.celery_broker import redis_broker_at
from tests.ci import machine_redis
from tests.loopback import LoopbackSite
from tests.sources.conftest import subscribe

# A database of its own on the shared Redis, flushed before and after the test.
REDIS_URL = machine_redis(15)
WAIT_SECONDS = 30.0
T = TypeVar("T")


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not _unlocked(condition, default=False):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {WAIT_SECONDS}s waiting for {what}")
        time.sleep(0.05)


def _unlocked(call: Callable[[], T], *, default: T) -> T:
    """``call``, made while the worker thread writes: the in-memory SQLite test
    database shares one cache between connections and locks whole tables, so a query
    during the worker's transaction fails at once instead of waiting ("database table
    is locked"); ``default`` is returned then, so the caller asks again."""
    from django.db import OperationalError

    try:
        return call()
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return default


def write_unlocked(write: Callable[[], object], what: str) -> None:
    """``write``, made again while a worker's transaction holds the table."""
    wait_until(lambda: _unlocked(lambda: write() or True, default=False), what)


@pytest.mark.django_db
def test_dispatch_without_a_broker_polls_inline(gazette: LoopbackSite) -> None:
    """With CUPURE_BROKER_URL unset the poll runs in this process and returns."""
    feed = subscribe(gazette, "/rss.xml")

    result = feed_poll_dispatch(feed)

    assert isinstance(result, PollResult) and result.ingested == 2
    assert Article.objects.count() == 2


@pytest.fixture
def redis_broker(settings: pytest.FixtureRequest) -> Iterator[str]:
    """The real Redis (DB 15, flushed) as the Celery broker."""
    with redis_broker_at(REDIS_URL, settings, "cupure-test") as url:
        yield url


@pytest.mark.django_db(transaction=True)
def test_poll_task_runs_on_a_real_celery_worker_once(
    gazette: LoopbackSite, redis_broker: str
) -> None:
    """feed_poll_dispatch enqueues on Redis; a real worker polls the feed and stores
    its articles; the same task delivered twice more stores nothing twice."""
    from celery.contrib.testing.worker import start_worker

    feed = subscribe(gazette, "/rss.xml")
    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"
    ):
        assert feed_poll_dispatch(feed) is None, "enqueued, not run here"
        wait_until(
            lambda: (
                Entry.objects.filter(status=Entry.Status.INGESTED).count() == 2
                and Feed.objects.get(pk=feed.pk).poll_lease_until is None
            ),
            "the worker to ingest both entries and finish its poll",
        )

        # Later, as if the schedule came round again: the first repeat polls, the
        # second finds a poll finished moments ago and asks nothing (see below).
        write_unlocked(
            lambda: Feed.objects.filter(pk=feed.pk).update(
                last_polled_at=timezone.now() - timedelta(hours=1)
            ),
            "the feed's last poll to be moved an hour back",
        )
        feed_poll_task.delay(feed.pk)
        feed_poll_task.delay(feed.pk)
        wait_until(
            lambda: (
                gazette.requests.count("/rss.xml") >= 2
                and Feed.objects.get(pk=feed.pk).poll_lease_until is None
            ),
            f"the two repeated tasks to finish (requests: {gazette.requests})",
        )

    assert Article.objects.count() == 2
    assert Entry.objects.count() == 2
    assert Feed.objects.get(pk=feed.pk).status == Feed.Status.OK


@pytest.mark.django_db
def test_task_retries_a_database_error(
    gazette: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected DatabaseError (a restart, a lost connection) is retried by
    Celery; the retry polls the feed normally."""
    from django.db import OperationalError

    from cupure.sources import tasks

    feed = subscribe(gazette, "/rss.xml")
    real_poll = tasks.feed_poll
    calls: list[int] = []

    def flaky_poll(*, feed: Feed) -> PollResult:
        calls.append(feed.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_poll(feed=feed)

    monkeypatch.setattr(tasks, "feed_poll", flaky_poll)

    outcome = feed_poll_task.apply(args=[feed.pk])

    assert calls == [feed.pk, feed.pk]
    assert outcome.successful(), outcome.traceback
    assert outcome.result["ingested"] == 2
    assert Article.objects.count() == 2


def test_unacknowledged_tasks_come_back_after_the_longest_poll_not_an_hour() -> None:
    """Tasks are acknowledged late (a killed worker's task is delivered again), and
    the broker's visibility timeout fits a poll: longer than the longest poll (its
    time budget plus one page fetch), far shorter than Redis's default hour."""
    from cupure.net.fetch import FETCH_TIMEOUT_SECONDS
    from cupure.sources.services import POLL_TIME_BUDGET

    longest_poll = POLL_TIME_BUDGET.total_seconds() + FETCH_TIMEOUT_SECONDS
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert longest_poll < visibility < 3600


@pytest.mark.django_db
def test_a_task_delivered_again_after_a_finished_poll_asks_nothing(
    gazette: LoopbackSite,
) -> None:
    """A task redelivered after its poll finished (the worker died before the
    acknowledgement) does not ask the publisher again; one whose poll was cut short
    (unfinished) polls."""
    feed = subscribe(gazette, "/rss.xml")

    first = feed_poll_task.apply(args=[feed.pk])
    again = feed_poll_task.apply(args=[feed.pk])

    assert first.result["ingested"] == 2
    assert again.result is None
    assert gazette.requests.count("/rss.xml") == 1
    Feed.objects.filter(pk=feed.pk).update(unfinished_polls=1)
    cut_short = feed_poll_task.apply(args=[feed.pk])
    assert cut_short.result["not_modified"]
    assert gazette.requests.count("/rss.xml") == 2
