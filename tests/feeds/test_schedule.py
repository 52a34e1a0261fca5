"""cupure.feeds.schedule: adaptive polling and backoff arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.feeds.schedule import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_CEILING_SECONDS,
    BROKEN_AFTER_FAILURES,
    BROKEN_POLL_SECONDS,
    MAX_POLL_SECONDS,
    MIN_POLL_SECONDS,
    PERMANENT_REDIRECT_CONFIRMATIONS,
    backoff_interval,
    is_broken,
    next_poll_interval,
    permanent_redirect_step,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def every(minutes: float, count: int) -> list[datetime]:
    return [NOW - timedelta(minutes=minutes * (i + 1)) for i in range(count)]


def test_busy_feed_is_polled_at_half_its_gap() -> None:
    """An entry every 60 minutes: polled about every 30 minutes."""
    interval = next_poll_interval(every(60, 24), now=NOW)
    assert interval == pytest.approx(30 * 60, rel=0.01)


def test_very_busy_feed_is_bounded_below() -> None:
    assert next_poll_interval(every(1, 200), now=NOW) == MIN_POLL_SECONDS


def test_quiet_feed_is_bounded_above() -> None:
    assert next_poll_interval([], now=NOW) == MAX_POLL_SECONDS
    old = [NOW - timedelta(days=30)]
    assert next_poll_interval(old, now=NOW) == MAX_POLL_SECONDS


def test_feed_that_stopped_slows_down() -> None:
    """Ten entries long ago within the window poll less often than ten recent ones."""
    recent = next_poll_interval(every(10, 10), now=NOW)
    stale = next_poll_interval([d - timedelta(days=3) for d in every(10, 10)], now=NOW)
    assert stale > recent


def test_future_dates_are_ignored() -> None:
    future = [NOW + timedelta(hours=1)] * 50
    assert next_poll_interval(future, now=NOW) == MAX_POLL_SECONDS


def test_cache_and_ttl_only_lengthen() -> None:
    base = next_poll_interval(every(60, 24), now=NOW)
    assert next_poll_interval(every(60, 24), now=NOW, cache_lifetime=60) == base
    assert next_poll_interval(every(60, 24), now=NOW, ttl_seconds=7200) == 7200
    assert next_poll_interval(every(60, 24), now=NOW, cache_lifetime=5400) == 5400
    assert (
        next_poll_interval(every(60, 24), now=NOW, cache_lifetime=10**9)
        == MAX_POLL_SECONDS
    )


def test_naive_datetimes_are_read_as_utc() -> None:
    naive = [d.replace(tzinfo=None) for d in every(60, 24)]
    assert next_poll_interval(naive, now=NOW.replace(tzinfo=None)) == pytest.approx(
        30 * 60, rel=0.01
    )


def test_backoff_doubles_up_to_the_ceiling() -> None:
    assert backoff_interval(0) == 0
    assert backoff_interval(1) == BACKOFF_BASE_SECONDS
    assert backoff_interval(2) == 2 * BACKOFF_BASE_SECONDS
    assert backoff_interval(3) == 4 * BACKOFF_BASE_SECONDS
    assert backoff_interval(BROKEN_AFTER_FAILURES - 1) == BACKOFF_CEILING_SECONDS


def test_broken_feeds_are_polled_rarely() -> None:
    assert not is_broken(BROKEN_AFTER_FAILURES - 1)
    assert is_broken(BROKEN_AFTER_FAILURES)
    assert backoff_interval(BROKEN_AFTER_FAILURES) == BROKEN_POLL_SECONDS
    assert backoff_interval(10**6) == BROKEN_POLL_SECONDS


def test_retry_after_only_lengthens_backoff() -> None:
    assert backoff_interval(1, retry_after=5) == BACKOFF_BASE_SECONDS
    assert backoff_interval(1, retry_after=7200) == 7200


def test_permanent_redirect_is_adopted_only_after_it_repeats() -> None:
    pending, seen, adopt = permanent_redirect_step("", 0, "https://new.example/feed")
    assert (pending, seen, adopt) == ("https://new.example/feed", 1, False)
    pending, seen, adopt = permanent_redirect_step(
        pending, seen, "https://new.example/feed"
    )
    assert adopt
    assert seen == PERMANENT_REDIRECT_CONFIRMATIONS


def test_permanent_redirect_count_restarts() -> None:
    """A poll without the redirect, or to another target, starts over."""
    assert permanent_redirect_step("https://a.example/", 1, None) == ("", 0, False)
    assert permanent_redirect_step("https://a.example/", 1, "https://b.example/") == (
        "https://b.example/",
        1,
        False,
    )


def test_backoff_jitter_only_lengthens_and_is_capped() -> None:
    """Jitter spreads retries over at most BACKOFF_JITTER_SHARE more; Retry-After
    still wins when longer; no jitter value makes a backoff shorter."""
    from cupure.feeds.schedule import BACKOFF_JITTER_SHARE

    base = backoff_interval(3)
    assert backoff_interval(3, jitter=0.0) == base
    assert backoff_interval(3, jitter=0.999) <= base * (1 + BACKOFF_JITTER_SHARE)
    assert backoff_interval(3, jitter=0.5) > base
    assert backoff_interval(3, jitter=-5) == base
    assert backoff_interval(3, jitter=0.5, retry_after=10 * base) == 10 * base
