"""plausible_date: every date from outside is checked once, and never raises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cupure.text.dates import plausible_date, to_utc

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"],
)
def test_dates_utc_cannot_hold_are_refused_with_a_reason(text: str) -> None:
    value = datetime.fromisoformat(text)
    assert to_utc(value) is None
    date, reason = plausible_date(value, now=NOW)
    assert date is None
    assert "UTC" in reason


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (datetime(1900, 1, 1, tzinfo=UTC), "before 1990"),
        (datetime(1970, 1, 1, tzinfo=UTC), "before 1990"),
        (datetime(9999, 12, 31, tzinfo=UTC), "future"),
        (NOW + timedelta(days=3), "future"),
        (None, "no date"),
    ],
)
def test_placeholders_and_far_future_are_refused(
    value: datetime | None, words: str
) -> None:
    date, reason = plausible_date(value, now=NOW)
    assert date is None
    assert words in reason


def test_a_good_date_is_kept_in_utc_and_a_near_future_one_clamped() -> None:
    paris = timezone(timedelta(hours=1))
    date, reason = plausible_date(datetime(2026, 11, 25, 9, 0, tzinfo=paris), now=NOW)
    assert (date, reason) == (datetime(2026, 11, 25, 8, 0, tzinfo=UTC), "")
    assert date is not None and date.utcoffset() == timedelta(0)
    soon, _ = plausible_date(NOW + timedelta(hours=2), now=NOW)
    assert soon == NOW
    naive, _ = plausible_date(datetime(2026, 11, 25, 9, 0), now=NOW)
    assert naive == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


BOUNDARY_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_the_limits_themselves_are_plausible() -> None:
    """1990-01-01 00:00 UTC and exactly a day ahead are kept (the latter clamped to
    now); a second beyond either is refused."""
    earliest = datetime(1990, 1, 1, tzinfo=UTC)
    assert plausible_date(earliest, now=BOUNDARY_NOW) == (earliest, "")
    early = earliest - timedelta(seconds=1)
    assert plausible_date(early, now=BOUNDARY_NOW) == (
        None,
        "date 1989-12-31 is before 1990 (a placeholder)",
    )
    ahead = BOUNDARY_NOW + timedelta(days=1)
    assert plausible_date(ahead, now=BOUNDARY_NOW) == (BOUNDARY_NOW, "")
    beyond = ahead + timedelta(seconds=1)
    assert plausible_date(beyond, now=BOUNDARY_NOW) == (
        None,
        "date 2026-11-26 is in the future",
    )


def test_no_date_says_so() -> None:
    assert plausible_date(None, now=BOUNDARY_NOW) == (None, "no date")


def test_an_unusable_now_falls_back_to_the_clock() -> None:
    """A ``now`` UTC cannot hold is replaced by the real time, never compared naive."""
    broken_now = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    date = datetime(2020, 5, 1, tzinfo=UTC)
    assert plausible_date(date, now=broken_now) == (date, "")


def test_to_utc_answers_in_utc_itself() -> None:
    """The answer's zone is UTC, not the machine's local zone that happens to be
    UTC here."""
    paris = datetime(2026, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    converted = to_utc(paris)
    assert converted is not None
    assert converted.tzinfo is UTC
    assert converted == datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
