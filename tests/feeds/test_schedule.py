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
    PUSHED_POLL_SECONDS,
    backoff_interval,
    backoff_reason,
    is_broken,
    next_poll_interval,
    permanent_redirect_step,
    poll_plan,
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


# --- poll_plan: the interval with its reason, quiet spells, the host budget ----------


def test_frequent_publisher_is_polled_far_more_often_than_a_weekly_one() -> None:
    """Every 10 min: polled every 5 min. Once a week: polled daily (the ceiling)."""
    busy = poll_plan(every(10, 30), now=NOW)
    weekly = poll_plan([NOW - timedelta(days=6)], now=NOW)

    assert busy.seconds == 5 * 60
    assert busy.reason == "every 5 min: publishes every ~10 min"
    assert weekly.seconds == MAX_POLL_SECONDS
    assert weekly.reason == (
        "every 24 h: one article in 7 days, 6 days ago; ceiling 24 h"
    )


def test_the_median_gap_ignores_one_long_silence_between_bursts() -> None:
    """Twenty articles 4 min apart, then one 5 h earlier: the typical gap is 4 min,
    not the mean (~19 min); polled at the floor."""
    burst = every(4, 20)
    plan = poll_plan([*burst, burst[-1] - timedelta(hours=5)], now=NOW)
    assert plan.seconds == MIN_POLL_SECONDS
    assert plan.reason == "every 5 min: publishes every ~4 min; floor 5 min"


def test_a_quiet_spell_slows_polling_step_by_step() -> None:
    """A 10-min publisher silent for 3 h is polled every 30 min (silence / 3 / 2);
    its next article brings the pace back."""
    quiet = [NOW - timedelta(hours=3, minutes=10 * i) for i in range(30)]
    plan = poll_plan(quiet, now=NOW)
    assert plan.seconds == pytest.approx(30 * 60, rel=0.01)
    assert plan.reason == ("every 30 min: publishes every ~10 min but quiet for 3 h")
    assert poll_plan([NOW, *quiet], now=NOW).seconds == MIN_POLL_SECONDS


def test_server_hints_are_named_in_the_reason() -> None:
    plan = poll_plan(every(10, 30), now=NOW, cache_lifetime=600, ttl_seconds=1800)
    assert plan.seconds == 1800
    assert plan.reason == (
        "every 30 min: publishes every ~10 min; Cache-Control/Expires 10 min; "
        "feed ttl/updatePeriod 30 min"
    )


def test_host_budget_is_shared_in_proportion_to_what_feeds_want() -> None:
    """A host whose other feeds already want 50 requests/h, budget 60: this feed's
    12/h (every 5 min) would make 62, so it is slowed by 62/60; what it wants is
    kept for the others' share."""
    plan = poll_plan(
        every(10, 30),
        now=NOW,
        host="news.example",
        host_others_per_hour=50,
        host_feeds=11,
        host_budget_per_hour=60,
    )
    assert plan.wanted_seconds == 300
    assert plan.seconds == pytest.approx(300 * 62 / 60)
    assert plan.reason.endswith("news.example budget 60 requests/h shared by 11 feeds")
    alone = poll_plan(every(10, 30), now=NOW, host_budget_per_hour=60)
    assert alone.seconds == 300 and "budget" not in alone.reason


def test_pushed_feed_is_polled_only_as_a_safety_net() -> None:
    plan = poll_plan(every(10, 30), now=NOW, pushed=True)
    assert plan.seconds == PUSHED_POLL_SECONDS
    assert "pushed by its hub" in plan.reason


def test_configured_bounds_are_used() -> None:
    assert poll_plan(every(1, 100), now=NOW, min_seconds=60).seconds == 60
    assert poll_plan([], now=NOW, max_seconds=3600).seconds == 3600


def test_backoff_reason_says_why() -> None:
    assert backoff_reason(2, retry_after=None, delay=1200) == (
        "in 20 min: backing off after 2 failures in a row"
    )
    assert backoff_reason(1, retry_after=7200, delay=7200) == (
        "in 2 h: the server asked us to wait (Retry-After)"
    )
    assert backoff_reason(BROKEN_AFTER_FAILURES, retry_after=None, delay=7 * 86400) == (
        f"in 7 days: broken ({BROKEN_AFTER_FAILURES} failures)"
    )


def test_a_feed_whose_every_entry_was_new_is_asked_again_soon() -> None:
    """A daily-ish feed that suddenly lists only new entries may have dropped some
    unseen: the next poll comes at the floor, and says why."""
    plan = poll_plan([NOW - timedelta(hours=10)], now=NOW, overflowed=True)
    assert plan.seconds == MIN_POLL_SECONDS
    assert "every entry it listed was new" in plan.reason
