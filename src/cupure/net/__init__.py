"""The one door to the network (no Django).

``fetch(url, policy=FetchPolicy(...))`` is the only way cupure talks to other servers:
SSRF guard at connect time, redirect, size and time limits, conditional GET, and a
:class:`~cupure.net.errors.FetchError` taxonomy. Also here: ``caching`` (Retry-After,
Cache-Control), ``robots`` (robots.txt for article pages) and ``limits`` (per-host
concurrency).
"""

from cupure.net.errors import FetchError
from cupure.net.fetch import (
    FetchPolicy,
    FetchResponse,
    check_url,
    fetch,
    parse_allow_private,
    validate_url,
)

__all__ = [
    "FetchError",
    "FetchPolicy",
    "FetchResponse",
    "check_url",
    "fetch",
    "parse_allow_private",
    "validate_url",
]
