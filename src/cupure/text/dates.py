"""Dates from outside, made safe to compare, store and show (no Django).

Feeds and pages write any date they like: ``9999-12-31T23:59:59-01:00`` and
``0001-01-01T00:00:00+01:00`` parse, but converting them to UTC overflows Python's
``datetime`` (issue #16: such a feed crashed every poll and was re-polled in a hot
loop); "0000-00-00" placeholders, 1900 epochs and dates years ahead are not
publication dates either. :func:`plausible_date` is the one check every date from
outside goes through before it is compared or stored: it answers the date in UTC, or
None with the reason it was refused, and never raises.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Dates before this are placeholders ("0000-00-00", "0001-01-01", the Unix or 1900
# epoch) or typos, not publication dates: the web's news archives start in the 1990s.
EARLIEST_DATE = datetime(1990, 1, 1, tzinfo=UTC)
# Clocks disagree by minutes and publishers schedule posts a little ahead; a date
# further in the future than this is wrong, not early.
FUTURE_SLACK = timedelta(days=1)


def to_utc(value: datetime) -> datetime | None:
    """``value`` in UTC (naive values are taken as UTC), or None when UTC cannot hold
    it (year 1 with a positive offset, year 9999 with a negative one)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def plausible_date(
    value: datetime | None, *, now: datetime
) -> tuple[datetime | None, str]:
    """``value`` in UTC if it can be a publication date seen at ``now``, else
    ``(None, reason)``; a date up to FUTURE_SLACK ahead is clamped to ``now`` (a
    page dated later would pin itself to the top of every list)."""
    if value is None:
        return None, "no date"
    utc = to_utc(value)
    if utc is None:
        return None, f"date {value.isoformat()} is outside what UTC can hold"
    current = to_utc(now) or datetime.now(UTC)
    if utc < EARLIEST_DATE:
        return None, f"date {utc:%Y-%m-%d} is before {EARLIEST_DATE:%Y} (a placeholder)"
    if utc > current + FUTURE_SLACK:
        return None, f"date {utc:%Y-%m-%d} is in the future"
    return min(utc, current), ""
