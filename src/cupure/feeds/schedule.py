"""When to poll a feed next: adaptive from its publishing rate, backed off on failure.

Pure functions of what the caller knows (entry dates, header lifetimes, the host's
other feeds, failure count) and ``now``. The scheduler in ``cupure.sources`` stores the
result as ``next_poll_at`` with its reason in words (``cupure feeds``, the admin);
``bench/freshness.py`` runs the same functions on a simulated day.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# Breaking news is the point of the site, but a feed asked more often than this is
# being hammered; 5 minutes is also Miniflux's floor. (CUPURE_POLL_MIN_SECONDS)
MIN_POLL_SECONDS = 5 * 60.0
# Even a dormant feed is looked at daily, so a revived one is noticed the same day.
# (CUPURE_POLL_MAX_SECONDS)
MAX_POLL_SECONDS = 24 * 3600.0
# The publishing rate is measured over this window; older entries say little about now.
RATE_WINDOW = timedelta(days=7)
# The typical gap is the median of at most this many of the latest gaps: recent
# behaviour, and one burst or one long silence does not swing it.
GAPS_KEPT = 20
# Poll twice per typical gap between articles: a new one then waits a quarter gap on
# average, without polling a quiet feed much more often than it changes.
POLLS_PER_GAP = 2.0
# A feed silent for longer than its typical gap has paused (the night, a weekend):
# it is then treated as publishing every (silence / QUIET_DIVISOR), so it slows down
# step by step and speeds up again with its next article.
QUIET_DIVISOR = 3.0
# Requests an hour one host receives from us at most, shared by all of its feeds
# (CUPURE_POLL_HOST_BUDGET): a publisher with 40 feeds is not polled 40 times as hard.
HOST_BUDGET_PER_HOUR = 60.0
# A feed whose hub pushes its new entries is still polled this rarely, in case the
# hub misses one (it polls at its adaptive interval again when the push lapses).
PUSHED_POLL_SECONDS = 6 * 3600.0
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


@dataclass(frozen=True)
class PollPlan:
    """When to poll a healthy feed next, and why, in words for the operator."""

    seconds: float  # until the next poll
    # The interval this feed alone would want (before the host budget): stored, so
    # the host's other feeds can share the budget by what each wants.
    wanted_seconds: float
    reason: str


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def duration_text(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3.5 h``, ``2 days``: short and readable."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        hours = seconds / 3600
        whole = hours >= 10 or hours.is_integer()
        return f"{hours:.0f} h" if whole else f"{hours:.1f} h"
    return f"{seconds / 86400:.1f} days".replace(".0 days", " days")


def typical_gap(
    published: Sequence[datetime], *, now: datetime
) -> tuple[float | None, str]:
    """Seconds between the feed's articles as it publishes now, and how it was seen.

    The median of the latest GAPS_KEPT gaps between entries of the last RATE_WINDOW
    (one entry: the time since it). When the feed has been silent for longer than
    that, the silence divided by QUIET_DIVISOR wins, so a wire that stopped for the
    night is not polled all night at its daytime pace. None: nothing recent.
    """
    now = _aware(now)
    start = now - RATE_WINDOW
    recent = sorted({p for p in map(_aware, published) if start <= p <= now})
    if not recent:
        return None, "no article in 7 days"
    silence = (now - recent[-1]).total_seconds()
    if len(recent) == 1:
        gap = max((now - recent[0]).total_seconds(), 1.0)
        return gap, f"one article in 7 days, {duration_text(gap)} ago"
    gaps = [
        (later - earlier).total_seconds()
        for earlier, later in itertools.pairwise(recent)
    ][-GAPS_KEPT:]
    gap = max(statistics.median(gaps), 1.0)
    if silence / QUIET_DIVISOR > gap:
        return silence / QUIET_DIVISOR, (
            f"publishes every ~{duration_text(gap)} but quiet for "
            f"{duration_text(silence)}"
        )
    return gap, f"publishes every ~{duration_text(gap)}"


def poll_plan(
    published: Sequence[datetime],
    *,
    now: datetime,
    cache_lifetime: float | None = None,
    ttl_seconds: int | None = None,
    host: str = "",
    host_others_per_hour: float = 0.0,
    host_feeds: int = 1,
    host_budget_per_hour: float = HOST_BUDGET_PER_HOUR,
    pushed: bool = False,
    overflowed: bool = False,
    min_seconds: float = MIN_POLL_SECONDS,
    max_seconds: float = MAX_POLL_SECONDS,
) -> PollPlan:
    """The next poll of a healthy feed, with the reason.

    ``published`` are the dates of the feed's recent entries (any order): the
    interval is :func:`typical_gap` / POLLS_PER_GAP, bounded to
    [``min_seconds``, ``max_seconds``] (no recent entry: ``max_seconds``).
    ``cache_lifetime`` (Cache-Control max-age / Expires) and ``ttl_seconds`` (RSS
    ``<ttl>``, ``sy:updatePeriod``) can only lengthen it, never beyond
    ``max_seconds``. A feed whose hub pushes (``pushed``) is polled every
    PUSHED_POLL_SECONDS at most often, as a safety net. A poll that found every
    entry of the feed new (``overflowed``) may have missed older ones that scrolled
    off the feed: the next poll is then at ``min_seconds``.

    Then the host budget: ``host_others_per_hour`` is what the host's
    ``host_feeds - 1`` other feeds want (3600 / their wanted intervals); when this
    feed's wish would take the host over ``host_budget_per_hour``, every feed of the
    host is slowed in proportion (this one here; the others at their next poll), so
    a busy feed keeps more of the budget than a quiet one.
    """
    gap, why = typical_gap(published, now=now)
    interval = max_seconds if gap is None else gap / POLLS_PER_GAP
    reasons = [why]
    if overflowed and interval > min_seconds:
        # Every entry the feed listed was new: more may have scrolled off unseen.
        interval = min_seconds
        reasons.append("every entry it listed was new, so it is asked again soon")
    if interval < min_seconds:
        interval = min_seconds
        reasons.append(f"floor {duration_text(min_seconds)}")
    elif interval > max_seconds:
        interval = max_seconds
        reasons.append(f"ceiling {duration_text(max_seconds)}")
    for hint, label in (
        (cache_lifetime, "Cache-Control/Expires"),
        (ttl_seconds, "feed ttl/updatePeriod"),
    ):
        if hint is not None and hint > interval:
            interval = min(float(hint), max_seconds)
            reasons.append(f"{label} {duration_text(float(hint))}")
    if pushed:
        interval = max(interval, min(PUSHED_POLL_SECONDS, max_seconds))
        reasons.append("pushed by its hub, polled as a safety net")
    wanted = interval
    total = 3600.0 / wanted + max(host_others_per_hour, 0.0)
    if host_budget_per_hour > 0 and total > host_budget_per_hour:
        interval = wanted * total / host_budget_per_hour
        reasons.append(
            f"{host or 'host'} budget {host_budget_per_hour:g} requests/h shared "
            f"by {host_feeds} feeds"
        )
    return PollPlan(
        seconds=interval,
        wanted_seconds=wanted,
        reason=f"every {duration_text(interval)}: " + "; ".join(reasons),
    )


def next_poll_interval(
    published: Sequence[datetime],
    *,
    now: datetime,
    cache_lifetime: float | None = None,
    ttl_seconds: int | None = None,
) -> float:
    """Seconds until the next poll of a healthy feed alone on its host (see
    :func:`poll_plan`)."""
    return poll_plan(
        published, now=now, cache_lifetime=cache_lifetime, ttl_seconds=ttl_seconds
    ).seconds


def backoff_reason(
    consecutive_failures: int, *, retry_after: float | None, delay: float
) -> str:
    """Why a failing feed waits ``delay`` seconds, for the operator."""
    if retry_after is not None and retry_after >= delay - 1:
        return f"in {duration_text(delay)}: the server asked us to wait (Retry-After)"
    if is_broken(consecutive_failures):
        return f"in {duration_text(delay)}: broken ({consecutive_failures} failures)"
    return (
        f"in {duration_text(delay)}: backing off after {consecutive_failures} "
        f"failure{'s' if consecutive_failures > 1 else ''} in a row"
    )


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
