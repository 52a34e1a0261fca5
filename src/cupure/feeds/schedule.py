"""When to poll a feed next: adaptive from its publishing rate, backed off on failure.

Pure functions of what the caller knows (entry dates, header lifetimes, failure count)
and ``now``. The scheduler in ``cupure.sources`` stores the result as ``next_poll_at``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

# Breaking news is the point of the site, but a feed asked more often than this is
# being hammered; 5 minutes is also Miniflux's floor.
MIN_POLL_SECONDS = 5 * 60.0
# Even a dormant feed is looked at daily, so a revived one is noticed the same day.
MAX_POLL_SECONDS = 24 * 3600.0
# The publishing rate is measured over this window; older entries say little about now.
RATE_WINDOW = timedelta(days=7)
# Poll twice per average gap between articles: a new one then waits a quarter gap on
# average, without polling a quiet feed much more often than it changes.
POLLS_PER_GAP = 2.0
# First retry after a failure; doubles with each consecutive failure.
BACKOFF_BASE_SECONDS = 10 * 60.0
# Ceiling of the exponential backoff: a failing feed is still tried daily.
BACKOFF_CEILING_SECONDS = 24 * 3600.0
# Each backoff is lengthened by a random share up to this, so the feeds of a publisher
# that failed together (an outage) come back spread out, not all in one second.
BACKOFF_JITTER_SHARE = 0.2
# After this many failures in a row (more than a week at the ceiling) the feed is
# "broken": polled only weekly until an admin refreshes it.
BROKEN_AFTER_FAILURES = 15
BROKEN_POLL_SECONDS = 7 * 24 * 3600.0


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def next_poll_interval(
    published: Sequence[datetime],
    *,
    now: datetime,
    cache_lifetime: float | None = None,
    ttl_seconds: int | None = None,
) -> float:
    """Seconds until the next poll of a healthy feed.

    ``published`` are the dates of the feed's recent entries (any order). The base
    interval is the average gap between entries of the last RATE_WINDOW divided by
    POLLS_PER_GAP, bounded to [MIN_POLL_SECONDS, MAX_POLL_SECONDS]; a feed with no
    recent entry gets MAX_POLL_SECONDS. ``cache_lifetime`` (Cache-Control / Expires)
    and ``ttl_seconds`` (RSS ``<ttl>``, ``sy:updatePeriod``) can only lengthen the
    interval, never beyond MAX_POLL_SECONDS.
    """
    now = _aware(now)
    start = now - RATE_WINDOW
    recent = [p for p in map(_aware, published) if start <= p <= now]
    if recent:
        # Measured from the oldest recent entry to now, so a feed that stopped
        # publishing slows down instead of keeping its old pace.
        span = max((now - min(recent)).total_seconds(), MIN_POLL_SECONDS)
        interval = span / len(recent) / POLLS_PER_GAP
    else:
        interval = MAX_POLL_SECONDS
    interval = min(max(interval, MIN_POLL_SECONDS), MAX_POLL_SECONDS)
    for hint in (cache_lifetime, ttl_seconds):
        if hint is not None and hint > interval:
            interval = min(float(hint), MAX_POLL_SECONDS)
    return interval


def backoff_interval(
    consecutive_failures: int,
    *,
    retry_after: float | None = None,
    jitter: float = 0.0,
) -> float:
    """Seconds until the next try after ``consecutive_failures`` failures in a row.

    BACKOFF_BASE_SECONDS doubled per failure up to BACKOFF_CEILING_SECONDS; from
    BROKEN_AFTER_FAILURES on, BROKEN_POLL_SECONDS. ``jitter`` (a random number in
    [0, 1) drawn by the caller) lengthens it by up to BACKOFF_JITTER_SHARE, so feeds
    that failed together (one publisher's outage) are not retried together. A
    server's ``retry_after`` (already capped by
    :func:`cupure.net.caching.parse_retry_after`) can only lengthen it.
    """
    if consecutive_failures <= 0:
        delay = 0.0
    elif is_broken(consecutive_failures):
        delay = BROKEN_POLL_SECONDS
    else:
        # The exponent is bounded first so huge counts cannot overflow a float.
        exponent = min(consecutive_failures - 1, 32)
        delay = min(BACKOFF_BASE_SECONDS * 2.0**exponent, BACKOFF_CEILING_SECONDS)
    delay *= 1.0 + BACKOFF_JITTER_SHARE * min(max(jitter, 0.0), 1.0)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def is_broken(consecutive_failures: int) -> bool:
    """True once a feed has failed BROKEN_AFTER_FAILURES times in a row."""
    return consecutive_failures >= BROKEN_AFTER_FAILURES


# A feed URL is replaced only after the same permanent redirect was seen this many polls
# in a row: one misconfigured deploy must not move a subscription for good (issue #3).
PERMANENT_REDIRECT_CONFIRMATIONS = 2


def permanent_redirect_step(
    pending: str, seen: int, observed: str | None
) -> tuple[str, int, bool]:
    """Track a feed's permanent redirect across polls; decide when to adopt it.

    ``pending``/``seen`` are what the feed stored after the last poll (``""``/0 at
    first); ``observed`` is ``FetchResponse.permanent_redirect`` of this poll. Returns
    the new ``(pending, seen, adopt)``: ``adopt`` is True when the same target has
    now been seen PERMANENT_REDIRECT_CONFIRMATIONS polls in a row, and the caller
    should then store it as the feed URL and reset ``pending``/``seen``. A poll
    without the redirect, or with a different target, starts the count again.
    """
    if not observed:
        return "", 0, False
    count = seen + 1 if observed == pending else 1
    return observed, count, count >= PERMANENT_REDIRECT_CONFIRMATIONS
