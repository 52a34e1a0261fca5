"""The one door to the network: fetch a URL someone else controls, safely.

Every outbound request of cupure goes through :func:`fetch`. It

* accepts only absolute http(s) URLs (:func:`validate_url`);
* resolves the host itself and checks every address *on the connection it opens*, so a
  name that resolves inside, or a DNS answer that changes between a check and the
  connect (rebinding), cannot reach an internal service. TLS still verifies and sends
  SNI for the name, and the Host header is the name;
* follows at most ``policy.max_redirects`` redirects by hand, checking each hop anew;
* caps the whole request (DNS, connect, headers, body) at ``policy.timeout`` seconds, so
  a server that drips one byte a second cannot hold a worker;
* counts the body *after* decompression against ``policy.max_bytes``, decompressing in
  bounded steps, so a small gzip/deflate/brotli bomb is refused without being inflated;
* turns every failure into a :class:`~cupure.net.errors.FetchError` subclass.

Nothing here imports Django; the caller passes a :class:`FetchPolicy`.
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import certifi
import httpcore
import httpx

from cupure.net.addresses import IPNetwork, parse_allow_private, parse_ip_host
from cupure.net.caching import parse_retry_after
from cupure.net.decoding import DECODE_ERRORS, decoded_body
from cupure.net.errors import (
    BlockedAddress,
    ConnectionFailed,
    ContentDecodingError,
    FetchError,
    Gone,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    ResponseTooLarge,
    TLSFailure,
    TooManyRedirects,
)
from cupure.net.guard import (
    GuardedBackend,
    Resolver,
    deadline_remaining,
    refuse_if_blocked,
    resolve_host,
    system_resolver,
    timeout_error,
)

__all__ = [
    "FEED_ACCEPT",
    "FetchPolicy",
    "FetchResponse",
    "Resolver",
    "check_url",
    "fetch",
    "parse_allow_private",
    "system_resolver",
    "validate_url",
]

log = logging.getLogger(__name__)

# Counted after decompression: a 10 KB gzip bomb must not become 10 GB in memory. The
# largest real feeds we have seen are a few MB; article pages with inline data ~10 MB.
FETCH_MAX_BYTES = 15 * 1024 * 1024
# Whole request, including slow-drip bodies: one slow publisher must not hold a worker.
FETCH_TIMEOUT_SECONDS = 20.0
# Browsers allow 20; feeds that move more than a few times are misconfigured.
FETCH_MAX_REDIRECTS = 5
FETCH_USER_AGENT = "cupure/0.1 (+https://github.com/cupure/cupure; news aggregator)"
# What a feed poll asks for; HTML last so feed discovery still works on a homepage.
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, text/html;q=0.5, */*;q=0.1"
)
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})
# Longest URL we follow or store (the Feed/Entry URL columns are 2000 characters).
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may do. Build one per process from settings and pass it around."""

    # Networks that may be reached although internal (CUPURE_FETCH_ALLOW_PRIVATE).
    allow_private: tuple[IPNetwork, ...] = ()
    max_bytes: int = FETCH_MAX_BYTES
    timeout: float = FETCH_TIMEOUT_SECONDS
    max_redirects: int = FETCH_MAX_REDIRECTS
    user_agent: str = FETCH_USER_AGENT
    # Replaces DNS, for tests and for deployments with their own resolution.
    resolver: Resolver | None = field(default=None, compare=False)
    # Extra CA bundle to trust besides certifi's (private deployments, tests).
    ca_file: str | None = None
    # Keep the first ``max_bytes`` of a larger body instead of refusing it
    # (robots.txt: RFC 9309 §2.5 parses the first 500 KiB of a larger file).
    truncate: bool = False


@dataclass(frozen=True)
class FetchResponse:
    """A successful (2xx) or not-modified (304) answer, body decompressed."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    # Where the leading run of 301/308 hops led, if the first hop was permanent: the
    # caller may replace a stored feed URL with it (after it repeats, see issue #3).
    # Only ever set on success, so every hop to it passed the address checks.
    permanent_redirect: str | None = None

    @property
    def not_modified(self) -> bool:
        """True for a 304 answer to a conditional GET (``content`` is empty)."""
        return self.status == 304

    def content_type(self) -> str:
        """The media type, lower-case without parameters (``""`` when absent)."""
        value = self.headers.get("content-type", "")
        return value.split(";", 1)[0].strip().lower()

    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, lower-case, if any."""
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'").lower() or None
        return None


# --------------------------------------------------------------------------- URLs


def _parse_url(url: str) -> httpx.URL:
    """Check that ``url`` is an absolute http(s) URL and canonicalise its host."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidURL("Empty URL; give an absolute http(s) URL", url=str(url))
    url = url.strip()
    shown = url if len(url) <= 200 else url[:200] + "…"
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(
            f"URL is {len(url)} characters long, more than {MAX_URL_LENGTH}: {shown}",
            url=url,
        )
    # Control characters and whitespace split requests (CRLF injection) and NUL crashes
    # PostgreSQL; a real URL never needs them unescaped.
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        raise InvalidURL(
            f"URL contains spaces or control characters: {shown!r}; percent-encode",
            url=url,
        )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # an unclosed IPv6 bracket, a port out of range
        raise InvalidURL(f"URL cannot be read ({exc}): {shown}", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"'{scheme}:'" if scheme else "no scheme"
        raise InvalidURL(
            f"Only http and https URLs can be fetched, not {what}: {shown}", url=url
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidURL(
            f"URL carries a user name or password, which we never send: {shown}",
            url=url,
        )
    host = parts.hostname or ""
    if not host:
        raise InvalidURL(f"URL has no host name: {shown}", url=url)
    try:
        port = parts.port
    except ValueError:
        raise InvalidURL(f"URL has an invalid port: {shown}", url=url) from None
    if "%" in host:
        raise InvalidURL(
            f"URL host {host!r} has a zone or percent sign; use a plain name", url=url
        )
    try:
        ip = parse_ip_host(host)
    except ValueError as exc:
        raise InvalidURL(
            f"URL host is not a valid address: {exc}: {shown}", url=url
        ) from None
    if ip is not None:
        host = f"[{ip}]" if ip.version == 6 else str(ip)
    netloc = host if port is None else f"{host}:{port}"
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    try:
        return httpx.URL(rebuilt)
    except httpx.InvalidURL as exc:
        raise InvalidURL(f"URL is not valid ({exc}): {shown}", url=url) from None


def _check_literal(parsed: httpx.URL, policy: FetchPolicy, url: str) -> None:
    """Refuse before connecting when the host is itself an internal IP address."""
    try:
        ip = parse_ip_host(parsed.host)
    except ValueError:
        return
    if ip is not None:
        refuse_if_blocked(ip, policy.allow_private, url)


def validate_url(url: str, *, policy: FetchPolicy | None = None) -> str:
    """Return ``url`` normalised (IDNA host, canonical IP) if it may be fetched.

    Checks the syntax and, when the host is an IP literal in any spelling, the address;
    it does not look names up (see :func:`check_url`). Raises InvalidURL or
    BlockedAddress with the reason.
    """
    policy = policy or FetchPolicy()
    parsed = _parse_url(url)
    _check_literal(parsed, policy, str(parsed))
    return str(parsed)


def check_url(url: str, *, policy: FetchPolicy) -> str:
    """Like :func:`validate_url`, and also resolve the host and check every address.

    For commands that add a feed: the reason is shown before anything is stored. The
    fetch itself checks again on the connection it opens (DNS answers can change).
    """
    normalised = validate_url(url, policy=policy)
    parsed = httpx.URL(normalised)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    deadline = time.monotonic() + policy.timeout
    addresses = resolve_host(
        parsed.host,
        port,
        resolver=policy.resolver,
        deadline=deadline,
        timeout=policy.timeout,
        url=normalised,
    )
    for ip in addresses:
        refuse_if_blocked(ip, policy.allow_private, normalised)
    return normalised


@functools.lru_cache(maxsize=8)
def _ssl_context(ca_file: str | None) -> ssl.SSLContext:
    """Verifying TLS context (certifi's roots, plus ``ca_file``); built once, shared.

    Loading the CA bundle costs ~10 ms, too much per poll; contexts are thread-safe.
    """
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


# ------------------------------------------------------------------------- bodies


def _read_body(
    response: httpcore.Response,
    headers: Mapping[str, str],
    policy: FetchPolicy,
    url: str,
) -> bytes:
    limit = policy.max_bytes
    too_large = ResponseTooLarge(
        f"{url} is larger than {limit:,} bytes (after decompression); if this is a "
        "real feed, ask the publisher for a smaller one",
        url=url,
    )
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and not policy.truncate:
        raise too_large
    body = bytearray()
    try:
        for piece in decoded_body(
            response.iter_stream(), headers.get("content-encoding", ""), url
        ):
            body += piece
            if len(body) > limit:
                if policy.truncate:
                    return bytes(body[:limit])
                raise too_large
    except DECODE_ERRORS as exc:
        raise ContentDecodingError(
            f"{url} sent a corrupt compressed body ({exc}); try again later",
            url=url,
        ) from None
    return bytes(body)


# ----------------------------------------------------------------------- requests


def _status_error(status: int, headers: Mapping[str, str], url: str) -> FetchError:
    retry_after_header = headers.get("retry-after")
    if status == 429 or (status == 503 and retry_after_header is not None):
        retry_after = parse_retry_after(retry_after_header, datetime.now(UTC))
        when = (
            f"asks us to wait {retry_after:g} s"
            if retry_after is not None
            else "asks us to slow down"
        )
        return RateLimited(
            f"{url} answered {status}: the server {when}; polling backs off",
            url=url,
            status=status,
            retry_after=retry_after,
        )
    if status == 410:
        return Gone(
            f"{url} answered 410 Gone: the publisher removed it; the feed is "
            "deactivated, find its new address on the publisher's site",
            url=url,
            status=status,
        )
    hints = {
        401: "it needs a login, which we do not support",
        403: "the server refuses us; it may block aggregators",
        404: "check the address on the publisher's site",
    }
    if status >= 500:
        hint = "the publisher's server is failing; we will retry later"
    elif 300 <= status < 400:
        hint = "a redirect without a usable Location header"
    else:
        hint = hints.get(status, "check the address on the publisher's site")
    return HTTPStatusError(f"{url} answered {status}: {hint}", url=url, status=status)


def _headers_dict(raw: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name_bytes, value_bytes in raw:
        name = name_bytes.decode("latin-1").lower()
        value = value_bytes.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _map_transport_error(exc: Exception, url: str, policy: FetchPolicy) -> FetchError:
    if isinstance(exc, httpcore.TimeoutException):
        return timeout_error(url, policy.timeout)
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TLSFailure(
                f"TLS certificate of {url} is not valid ({cause.verify_message}); "
                "the site must fix its certificate, we do not skip verification",
                url=url,
            )
        if isinstance(cause, ssl.SSLError):
            return TLSFailure(
                f"TLS handshake with {url} failed ({cause.reason or cause}); "
                "the server's TLS set-up is broken or too old",
                url=url,
            )
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpcore.ConnectError):
        return ConnectionFailed(
            f"Could not connect to {url} ({exc or 'connection failed'}); "
            "the site may be down, check the address",
            url=url,
        )
    return ConnectionFailed(
        f"Connection to {url} broke ({type(exc).__name__}: {exc}); try again later",
        url=url,
    )


def fetch(
    url: str,
    *,
    policy: FetchPolicy,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    form: Mapping[str, str] | None = None,
) -> FetchResponse:
    """GET ``url`` under ``policy`` and return the decompressed body.

    With ``form``, POST it instead (``application/x-www-form-urlencoded``, e.g. a
    WebSub subscription request) under the same address checks and limits; a
    redirect answer to a POST is not followed but raised as an HTTPStatusError.

    ``etag`` / ``last_modified`` make the request conditional; a 304 comes back as a
    FetchResponse with ``not_modified`` true and no content. 2xx is success; every other
    outcome raises a :class:`~cupure.net.errors.FetchError` subclass whose message says
    what happened and what to do. Redirects are followed (each hop re-checked) up to
    ``policy.max_redirects``; ``permanent_redirect`` reports where leading 301/308 hops
    led. Thread-safe: each call uses its own connections.
    """
    started = time.monotonic()
    deadline = started + policy.timeout
    current = _parse_url(url)
    _check_literal(current, policy, url)
    request_headers = [
        (b"User-Agent", policy.user_agent.encode("latin-1", "replace")),
        (b"Accept", (accept or "*/*").encode("latin-1", "replace")),
        (b"Accept-Encoding", b"gzip, deflate, br"),
    ]
    if etag:
        request_headers.append((b"If-None-Match", _header_value(etag)))
    if last_modified:
        request_headers.append((b"If-Modified-Since", _header_value(last_modified)))
    method, body = "GET", b""
    if form is not None:
        method, body = "POST", urlencode(form).encode("ascii")
        request_headers.append((b"Content-Type", b"application/x-www-form-urlencoded"))
        request_headers.append((b"Content-Length", str(len(body)).encode("ascii")))

    backend = GuardedBackend(
        allow=policy.allow_private,
        resolver=policy.resolver,
        deadline=deadline,
        timeout=policy.timeout,
    )
    permanent: str | None = None
    permanent_run = True
    with httpcore.ConnectionPool(
        ssl_context=_ssl_context(policy.ca_file),
        network_backend=backend,
        max_connections=1,
        retries=0,
    ) as pool:
        for hop in range(policy.max_redirects + 1):
            shown = str(current)
            backend.url = shown
            left = deadline_remaining(deadline, shown, policy.timeout)
            try:
                with pool.stream(
                    method,
                    httpcore.URL(
                        scheme=current.raw_scheme,
                        host=current.raw_host,
                        port=current.port,
                        target=current.raw_path,
                    ),
                    headers=[(b"Host", current.netloc), *request_headers],
                    content=body or None,
                    extensions={
                        "timeout": {"connect": left, "read": left, "write": left}
                    },
                ) as response:
                    status = response.status
                    headers = _headers_dict(response.headers)
                    if (
                        status in _REDIRECT_STATUSES
                        and headers.get("location")
                        and form is None
                    ):
                        target = _redirect_target(shown, headers["location"])
                        permanent_run = permanent_run and status in _PERMANENT_REDIRECTS
                        if permanent_run:
                            permanent = str(target)
                        log.debug("redirect %s -> %s (%s)", shown, target, status)
                        current = target
                        continue
                    if status == 304:
                        content = b""
                    elif 200 <= status < 300:
                        content = _read_body(response, headers, policy, shown)
                    else:
                        raise _status_error(status, headers, shown)
            except BlockedAddress as exc:
                if hop == 0:
                    raise
                raise BlockedAddress(
                    f"{exc.message} (reached by a redirect from {url})",
                    url=exc.url,
                    address=exc.address,
                ) from None
            except FetchError:
                raise
            except (httpcore.TimeoutException, httpcore.NetworkError) as exc:
                raise _map_transport_error(exc, shown, policy) from None
            except httpcore.ProtocolError as exc:
                raise ConnectionFailed(
                    f"{shown} did not answer with valid HTTP ({exc}); "
                    "is this a web server?",
                    url=shown,
                ) from None
            log.info(
                "fetched %s status=%s bytes=%d hops=%d seconds=%.2f",
                shown,
                status,
                len(content),
                hop,
                time.monotonic() - started,
            )
            return FetchResponse(
                url=shown,
                status=status,
                headers=MappingProxyType(headers),
                content=content,
                permanent_redirect=permanent,
            )
    raise TooManyRedirects(
        f"{url} redirected more than {policy.max_redirects} times (last to "
        f"{current}); a redirect loop or a misconfigured site, use the final address",
        url=url,
    )


def _header_value(value: str) -> bytes:
    """Header values we send back come from servers: drop anything that splits lines."""
    cleaned = "".join(ch for ch in value if ch >= " " and ch != "\x7f")
    return cleaned.encode("latin-1", "replace")


def _redirect_target(current: str, location: str) -> httpx.URL:
    try:
        target = urljoin(current, location.strip())
    except ValueError:
        target = location
    try:
        return _parse_url(target)
    except InvalidURL as exc:
        raise InvalidURL(
            f"{current} redirected to an address we cannot fetch: {exc}", url=current
        ) from None
