"""Why a fetch failed: one class per cause, each with a message a person can act on.

Every message is a single line that names the URL and says what to do about it; it is
stored on the feed and shown in the admin, so it must make sense without a traceback.
``code`` is a short stable slug for filtering and metrics; never parse the message.
"""

from __future__ import annotations


class FetchError(Exception):
    """Base class of every failure of :func:`cupure.net.fetch.fetch`."""

    code: str = "fetch_error"

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message


class InvalidURL(FetchError):
    """The URL is not an absolute http(s) URL we are willing to fetch."""

    code = "invalid_url"


class BlockedAddress(FetchError):
    """The host is, or resolves to, an internal address the policy does not allow."""

    code = "blocked_address"

    def __init__(self, message: str, *, url: str = "", address: str = "") -> None:
        super().__init__(message, url=url)
        self.address = address


class TooManyRedirects(FetchError):
    """More redirects than the policy allows (or a redirect loop)."""

    code = "too_many_redirects"


class ResponseTooLarge(FetchError):
    """The body, counted after decompression, exceeds the policy's size limit."""

    code = "too_large"


class FetchTimeout(FetchError):
    """The whole request (DNS, connect, headers and body) took longer than allowed."""

    code = "timeout"


class TLSFailure(FetchError):
    """The TLS handshake failed: untrusted or mismatched certificate, old protocol…"""

    code = "tls"


class ConnectionFailed(FetchError):
    """DNS failed, the connection was refused or reset, or the server spoke bad HTTP."""

    code = "connection"


class ContentDecodingError(FetchError):
    """The body's Content-Encoding is unknown or the compressed data is corrupt."""

    code = "bad_encoding"


class HTTPStatusError(FetchError):
    """The server answered with a status we do not treat as success."""

    code = "http_status"

    def __init__(self, message: str, *, url: str = "", status: int) -> None:
        super().__init__(message, url=url)
        self.status = status


class RateLimited(HTTPStatusError):
    """429, or 503 with Retry-After: the server asked us to come back later."""

    code = "rate_limited"

    def __init__(
        self, message: str, *, url: str = "", status: int, retry_after: float | None
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class Gone(HTTPStatusError):
    """410: the publisher removed the resource for good; stop polling it."""

    code = "gone"


class RobotsDisallowed(FetchError):
    """The site's robots.txt asks crawlers like us not to fetch this URL."""

    code = "robots_disallowed"


class HostBusy(FetchError):
    """No free slot for this host within the wait allowed by the per-host limiter."""

    code = "host_busy"
