"""Which feeds are due, when the next one is, and the health rows `cupure feeds`
prints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.sources.models import Feed
from cupure.sources.selectors import (
    feed_health_rows,
    feed_list_due,
    feed_next_due_at,
)
from cupure.sources.services import feed_create, publisher_get_or_create

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def make(name: str, **fields: object) -> Feed:
    publisher = publisher_get_or_create(name="Selector Times")
    feed = feed_create(url=f"https://times.example/{name}.xml", publisher=publisher)
    Feed.objects.filter(pk=feed.pk).update(**fields)
    return feed


def test_due_list_skips_inactive_future_and_leased_feeds() -> None:
    """Never-polled feeds come first, then the most overdue; inactive feeds, feeds
    not yet due and feeds leased by a live worker are left out."""
    overdue = make("overdue", next_poll_at=NOON - timedelta(hours=1))
    just_due = make("just-due", next_poll_at=NOON)
    never = make("never")
    make("later", next_poll_at=NOON + timedelta(minutes=1))
    make("gone", status=Feed.Status.INACTIVE, next_poll_at=None)
    make("leased", next_poll_at=NOON, poll_lease_until=NOON + timedelta(minutes=5))
    stale = make("stale-lease", next_poll_at=NOON, poll_lease_until=NOON)

    due = list(feed_list_due(now=NOON))

    assert [f.pk for f in due] == [never.pk, overdue.pk, just_due.pk, stale.pk]


def test_next_due_ignores_inactive_feeds() -> None:
    make("gone", status=Feed.Status.INACTIVE, next_poll_at=NOON)
    assert feed_next_due_at() is None
    make("later", next_poll_at=NOON + timedelta(hours=2))
    assert feed_next_due_at() == NOON + timedelta(hours=2)


def test_health_rows_have_the_documented_keys() -> None:
    """Each row: url, title, status, last_error, last_polled, next_poll (ISO 8601 or
    null) and articles, plus publisher, error code and failure count."""
    make(
        "failing",
        status=Feed.Status.FAILING,
        last_error="https://times.example/failing.xml answered 500",
        last_error_code="http_status",
        consecutive_failures=2,
        last_polled_at=NOON,
        next_poll_at=NOON + timedelta(minutes=20),
        poll_reason="in 20 min: backing off after 2 failures in a row",
        poll_interval_seconds=1800,
    )

    (row,) = feed_health_rows()

    assert row == {
        "url": "https://times.example/failing.xml",
        "title": "",
        "publisher": "Selector Times",
        "status": "failing",
        "last_error": "https://times.example/failing.xml answered 500",
        "last_error_code": "http_status",
        "consecutive_failures": 2,
        "last_polled": "2026-11-23T12:00:00+00:00",
        "next_poll": "2026-11-23T12:20:00+00:00",
        "articles": 0,
        "pending_entries": 0,
        "failed_entries": 0,
        "entry_errors": [],
        "last_poll_note": "",
        "poll_reason": "in 20 min: backing off after 2 failures in a row",
        "poll_interval": 1800,
        "push": None,
    }
