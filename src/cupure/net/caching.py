"""What a server's headers say about when to ask again (Retry-After, Cache-Control).

Pure functions over header values and a caller-supplied ``now`` so the scheduler can be
tested without clocks. Garbage in a header is ignored, never an exception: a publisher's
typo must not stop polling.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# A server may ask for a pause, not for us to forget it: we honour a week at most.
RETRY_AFTER_MAX_SECONDS = 7 * 24 * 3600.0
# Cache lifetimes beyond this are treated as this; the scheduler bounds them again.
CACHE_LIFETIME_MAX_SECONDS = 7 * 24 * 3600.0

_DIGITS = re.compile(r"^\s*(\d{1,12})\s*$")
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d{1,12})\"?\s*(?:,|$)", re.I)
_NO_CACHE = re.compile(r"(?:^|,)\s*(no-store|no-cache)\s*(?:,|=|$)", re.I)


def parse_http_date(value: str) -> datetime | None:
    """An RFC 9110 HTTP date (or an obsolete form) as aware UTC; None if unreadable."""
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _aware(now: datetime) -> datetime:
    return now if now.tzinfo is not None else now.replace(tzinfo=UTC)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, or None when absent or garbage.

    Accepts delay-seconds (``"120"``) and an HTTP date (a date in the past gives 0).
    Capped at RETRY_AFTER_MAX_SECONDS.
    """
    if value is None:
        return None
    match = _DIGITS.match(value)
    if match:
        seconds = float(match.group(1))
    else:
        when = parse_http_date(value)
        if when is None:
            return None
        seconds = max(0.0, (when - _aware(now)).total_seconds())
    return min(seconds, RETRY_AFTER_MAX_SECONDS)


def cache_lifetime(headers: Mapping[str, str], now: datetime) -> float | None:
    """How long the response stays fresh, in seconds, or None if the headers don't say.

    ``Cache-Control: max-age`` wins over ``Expires`` (RFC 9111); ``no-store`` /
    ``no-cache`` give 0. ``Expires`` is measured against the server's ``Date`` header
    when present (so clock skew between us and the server does not matter), otherwise
    against ``now``. ``headers`` must have lower-case names (as FetchResponse has).
    """
    cache_control = headers.get("cache-control", "")
    if cache_control:
        match = _MAX_AGE.search(cache_control)
        if match:
            return min(float(match.group(1)), CACHE_LIFETIME_MAX_SECONDS)
        if _NO_CACHE.search(cache_control):
            return 0.0
    expires_header = headers.get("expires")
    if expires_header is None:
        return None
    expires = parse_http_date(expires_header)
    if expires is None:
        # RFC 9111 §5.3: an invalid Expires (often "0" or "-1") means already expired.
        return 0.0
    date = parse_http_date(headers.get("date", "")) or _aware(now)
    lifetime = max(0.0, (expires - date).total_seconds())
    return min(lifetime, CACHE_LIFETIME_MAX_SECONDS)
