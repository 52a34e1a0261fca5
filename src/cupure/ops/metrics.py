"""Prometheus metrics at ``/metrics`` (issue #20, "Operable"), via prometheus-client.

Two kinds, told apart by where the truth lives:

* **Events** each process counts as they happen: requests (by kind of page, method,
  status and whether the page cache answered) and their latency, feed polls by
  outcome, fetch errors by target (feed or article page) and reason (the stable
  ``code`` of cupure.net.errors and cupure.feeds.errors), articles stored and the
  delay from an entry's publication (and first sighting) to its article being
  stored. A site runs many processes (granian workers, Celery workers, the
  scheduler): the ``cupure`` command points them all at one directory,
  ``$CUPURE_HOME/metrics`` (prometheus-client's multiprocess mode, files per
  process), and ``/metrics`` sums them, so any web process answers for the machine.
  The files are never wiped on start: a restarted process carries its counters on,
  and Prometheus copes with the resets of ``rm -r $CUPURE_HOME/metrics``.
* **State** read from the database and the broker when scraped (at most every
  SITE_SECONDS per process): articles, stories, topics, feeds by status, entries
  pending and failed, the age of the oldest pending entry (ingest lag), of the
  newest article, the feeds overdue, the broker's queue depth. The same from any
  machine, so counting them per process would be wrong.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from prometheus_client.values import MutexValue, ValueClass

from cupure.ops.metrics_setup import MULTIPROCESS_ENV

logger = logging.getLogger(__name__)

# Decided by prometheus-client when it was imported (cupure.ops.metrics_setup).
MULTIPROCESS = ValueClass is not MutexValue

# Database counts are not worth more than one query set per scrape interval.
SITE_SECONDS = 15.0
# Page kinds by the first segment of the path: a bounded set of label values,
# whatever URLs crawlers invent.
PAGE_KINDS = {
    "": "home",
    "articles": "article",
    "stories": "story",
    "topics": "topic",
    "publishers": "publisher",
    "about": "about",
    "feeds": "feed",
    "sitemap.xml": "feed",
    "robots.txt": "feed",
    "search": "search",
    "accounts": "accounts",
    "comments": "comments",
    "admin": "admin",
    "static": "static",
    "healthz": "probe",
    "readyz": "probe",
    "metrics": "probe",
}
METHODS = frozenset({"GET", "HEAD", "POST"})

REQUESTS = Counter(
    "cupure_http_requests",
    "Requests answered, by kind of page, method, status and page cache result.",
    ["kind", "method", "status", "page_cache"],
)
REQUEST_SECONDS = Histogram(
    "cupure_http_request_duration_seconds",
    "Time to produce a response (until its body is handed to the server).",
    ["kind"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POLLS = Counter(
    "cupure_feed_polls",
    "Feed polls, by outcome (ok, not_modified, failed, skipped, pending_only).",
    ["outcome"],
)
FETCH_ERRORS = Counter(
    "cupure_fetch_errors",
    "Failed fetches, by target (feed, article) and reason (the error's code).",
    ["target", "reason"],
)
ARTICLES_STORED = Counter("cupure_articles_stored", "Articles stored.")
INGEST_DELAY = Histogram(
    "cupure_ingest_delay_seconds",
    "From an entry's publication (since=published) or its first sighting in its "
    "feed (since=seen) to its article being stored.",
    ["since"],
    buckets=(10, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 86400),
)


# --- events ---------------------------------------------------------------------------


def _never_raise(count: Callable) -> Callable:
    """Counting must never break what it counts (a poll, a request): a failure
    (the metrics directory removed under a running process) is logged instead."""

    @functools.wraps(count)
    def guarded(*args, **kwargs) -> None:
        try:
            count(*args, **kwargs)
        except Exception:
            logger.warning("metrics: %s not counted", count.__name__, exc_info=True)

    return guarded


def page_kind(path: str) -> str:
    first = path.lstrip("/").split("/", 1)[0]
    return PAGE_KINDS.get(first, "other")


# Each label combination's counter and histogram, looked up once: prometheus-client's
# labels() costs about 6 µs a call, several times the rest of the counting.
_request_series: dict[tuple[str, str, int, bool], tuple] = {}


@_never_raise
def request_observed(
    *, path: str, method: str, status: int, cached: bool, seconds: float
) -> None:
    kind = page_kind(path)
    key = (kind, method, status, cached)
    series = _request_series.get(key)
    if series is None:
        series = (
            REQUESTS.labels(
                kind=kind,
                method=method if method in METHODS else "other",
                status=str(status),
                page_cache="hit" if cached else "miss",
            ),
            REQUEST_SECONDS.labels(kind=kind),
        )
        if method in METHODS:  # a bounded set of keys, whatever clients send
            _request_series[key] = series
    series[0].inc()
    series[1].observe(seconds)


@_never_raise
def poll_observed(result) -> None:
    """One feed poll's outcome (a cupure.sources.services.PollResult)."""
    if result.skipped:
        outcome = "skipped"
    elif not result.ok:
        outcome = "failed"
    elif result.pending_only:
        outcome = "pending_only"
    elif result.not_modified:
        outcome = "not_modified"
    else:
        outcome = "ok"
    POLLS.labels(outcome=outcome).inc()


@_never_raise
def fetch_failed(target: str, error: Exception) -> None:
    """A feed or article page that could not be fetched or used, by its code."""
    reason = getattr(error, "code", "") or type(error).__name__
    FETCH_ERRORS.labels(target=target, reason=reason[:40]).inc()


@_never_raise
def article_stored(*, published: datetime, seen: datetime, now: datetime) -> None:
    ARTICLES_STORED.inc()
    INGEST_DELAY.labels(since="published").observe(
        max(0.0, (now - published).total_seconds())
    )
    INGEST_DELAY.labels(since="seen").observe(max(0.0, (now - seen).total_seconds()))


class MetricsApplication:
    """WSGI middleware counting every request, the page cache's own answers too."""

    def __init__(self, application: Callable[[dict, Callable], Iterable[bytes]]):
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict = {}

        def recording_start_response(status: str, headers: list, *args):
            seen["status"] = status
            # Django's page cache and cupure.web.pagecache add Age to a hit only.
            seen["cached"] = any(name.lower() == "age" for name, _ in headers)
            return start_response(status, headers, *args)

        body = self.application(environ, recording_start_response)
        request_observed(
            path=environ.get("PATH_INFO", ""),
            method=environ.get("REQUEST_METHOD", ""),
            status=int(seen.get("status", "500").split(" ", 1)[0]),
            cached=seen.get("cached", False),
            seconds=time.perf_counter() - started,
        )
        return body


# --- state, read when scraped ---------------------------------------------------------


class SiteCollector(Collector):
    """Gauges read from the database and the broker, cached SITE_SECONDS."""

    _lock = threading.Lock()
    _cached: tuple[float, list[GaugeMetricFamily]] | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self._lock:
            now = time.monotonic()
            cached = SiteCollector._cached
            if cached is None or now - cached[0] > SITE_SECONDS:
                cached = (now, [*_database_gauges(), *_queue_gauges()])
                SiteCollector._cached = cached
        yield from cached[1]


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _database_gauges() -> list[GaugeMetricFamily]:
    from django.db import DatabaseError
    from django.db.models import Count, Max, Min
    from django.utils import timezone

    from cupure.articles.models import Article
    from cupure.sources.models import Entry, Feed
    from cupure.stories.models import Story
    from cupure.trends.models import ArticleTopic

    try:
        now = timezone.now()
        gauges = [
            _gauge("cupure_articles", "Articles stored.", Article.objects.count()),
            _gauge("cupure_stories", "Stories.", Story.objects.count()),
            _gauge(
                "cupure_topics",
                "Distinct topics named by articles.",
                ArticleTopic.objects.values("key").distinct().count(),
            ),
        ]
        feeds = GaugeMetricFamily("cupure_feeds", "Feeds by status.", labels=["status"])
        by_status = dict(
            Feed.objects.values_list("status").annotate(n=Count("id")).order_by()
        )
        for status in Feed.Status.values:
            feeds.add_metric([status], by_status.get(status, 0))
        gauges.append(feeds)
        entries = GaugeMetricFamily(
            "cupure_entries", "Feed entries by status.", labels=["status"]
        )
        entry_counts = dict(
            Entry.objects.values_list("status").annotate(n=Count("id")).order_by()
        )
        for status in Entry.Status.values:
            entries.add_metric([status], entry_counts.get(status, 0))
        gauges.append(entries)
        oldest = Entry.objects.filter(status=Entry.Status.PENDING).aggregate(
            at=Min("created_at")
        )["at"]
        gauges.append(
            _gauge(
                "cupure_ingest_lag_seconds",
                "How long the oldest pending entry has waited for its article.",
                (now - oldest).total_seconds() if oldest else 0.0,
            )
        )
        newest = Article.objects.aggregate(at=Max("created_at"))["at"]
        if newest is not None:
            gauges.append(
                _gauge(
                    "cupure_newest_article_age_seconds",
                    "Since the last article was stored.",
                    (now - newest).total_seconds(),
                )
            )
        gauges.append(
            _gauge(
                "cupure_feeds_overdue",
                "Active feeds due for a poll more than a minute ago.",
                Feed.objects.exclude(status=Feed.Status.INACTIVE)
                .filter(next_poll_at__lt=now - timezone.timedelta(minutes=1))
                .count(),
            )
        )
    except DatabaseError as error:
        logger.warning("metrics: database unreadable (%s)", error)
        return []
    return gauges


def _queue_gauges() -> list[GaugeMetricFamily]:
    """Tasks waiting in the broker's queue (Redis lists, one per priority step)."""
    from django.conf import settings

    if not settings.CUPURE_BROKER_URL:
        return []
    import redis

    from cupure.celery import app
    from cupure.ops.health import broker_client

    queue = app.conf.task_default_queue
    # kombu's Redis transport keeps priority steps 3, 6 and 9 in lists named
    # queue + "\x06\x16" + step; step 0 is the queue's own name.
    names = [queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))]
    client = broker_client(settings.CUPURE_BROKER_URL)
    try:
        depth = sum(client.llen(name) for name in names)
    except redis.exceptions.RedisError as error:
        logger.warning("metrics: broker unreadable (%s)", error)
        return []
    finally:
        client.close()
    gauge = GaugeMetricFamily(
        "cupure_queue_depth", "Tasks waiting in the broker.", labels=["queue"]
    )
    gauge.add_metric([queue], depth)
    return [gauge]


def exposition() -> tuple[bytes, str]:
    """The metrics page: every process's events, then the site's state."""
    if MULTIPROCESS and os.environ.get(MULTIPROCESS_ENV):
        from prometheus_client import multiprocess

        events = CollectorRegistry()
        multiprocess.MultiProcessCollector(events)
    else:
        events = REGISTRY
    site = CollectorRegistry(auto_describe=False)
    site.register(SiteCollector())
    return generate_latest(events) + generate_latest(site), CONTENT_TYPE_LATEST
