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
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import brotli
import certifi
import httpcore
import httpx

from cupure.net.addresses import (
    IPAddress,
    IPNetwork,
    blocked_reason,
    parse_allow_private,
    parse_ip_host,
)
from cupure.net.caching import parse_retry_after
from cupure.net.errors import (
    BlockedAddress,
    ConnectionFailed,
    ContentDecodingError,
    FetchError,
    FetchTimeout,
    Gone,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    ResponseTooLarge,
    TLSFailure,
    TooManyRedirects,
)

__all__ = [
    "FEED_ACCEPT",
    "FetchPolicy",
    "FetchResponse",
    "Resolver",
    "check_url",
    "fetch",
    "parse_allow_private",
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
# Decompressed in pieces of this size so the size check runs before memory grows.
_DECODE_STEP = 64 * 1024
# Stacked encodings ("gzip, gzip") are legal; more than this is an attack, not a server.
_MAX_ENCODING_LAYERS = 2
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})
# Longest URL we follow or store (the Feed/Entry URL columns are 2000 characters).
MAX_URL_LENGTH = 2000

Resolver = Callable[[str, int], Sequence[str]]
"""Maps (host, port) to IP address strings; the default asks the system resolver."""

# getaddrinfo has no timeout of its own; it runs here so we can stop waiting for it.
# Sized above any sane worker count: a lookup stuck in the system resolver (which
# gives up by itself after ~30 s) must not queue the lookups of other fetches.
_RESOLVER_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="cupure-dns")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (TCP), in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


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
    parts = urlsplit(url)
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
        _refuse_if_blocked(ip, policy.allow_private, url)


def _refuse_if_blocked(ip: IPAddress, allow: Sequence[IPNetwork], url: str) -> None:
    reason = blocked_reason(ip, allow)
    if reason is not None:
        raise BlockedAddress(
            f"Refused to connect to {ip} ({reason}) for {url}; add its network to "
            "CUPURE_FETCH_ALLOW_PRIVATE if this is intended",
            url=url,
            address=str(ip),
        )


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
    for ip in _resolve(parsed.host, port, policy, deadline, normalised):
        _refuse_if_blocked(ip, policy.allow_private, normalised)
    return normalised


# ---------------------------------------------------------------- the network layer


def _remaining(deadline: float, url: str, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout_error(url, timeout)
    return left


def _timeout_error(url: str, timeout: float) -> FetchTimeout:
    return FetchTimeout(
        f"Gave up on {url} after {timeout:g} s (the limit for the whole request, "
        "body included); the server is too slow or unreachable, try again later",
        url=url,
    )


def _resolve(
    host: str, port: int, policy: FetchPolicy, deadline: float, url: str
) -> list[IPAddress]:
    try:
        literal = parse_ip_host(host)
    except ValueError:
        literal = None
    if literal is not None:
        return [literal]
    resolver = policy.resolver or system_resolver
    future = _RESOLVER_POOL.submit(resolver, host, port)
    try:
        answers = future.result(timeout=_remaining(deadline, url, policy.timeout))
    except FutureTimeout:
        raise _timeout_error(url, policy.timeout) from None
    except (OSError, UnicodeError) as exc:
        raise ConnectionFailed(
            f"Could not resolve {host} for {url} ({exc}); check the host name",
            url=url,
        ) from None
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            ip = parse_ip_host(answer.split("%", 1)[0])
        except ValueError:
            ip = None
        if ip is None:
            raise ConnectionFailed(
                f"Resolver gave {answer!r} for {host}, not an IP address", url=url
            )
        addresses.append(ip)
    if not addresses:
        raise ConnectionFailed(f"{host} has no addresses (for {url})", url=url)
    return addresses


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, guard: _GuardedBackend) -> None:
        self._inner = inner
        self._guard = guard

    def _clamp(self, timeout: float | None) -> float:
        left = self._guard.remaining()
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._clamp(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, self._clamp(timeout)
        )
        return _DeadlineStream(inner, self._guard)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects to the checked address, in one step.

    httpcore hands us the host name; we resolve it once, refuse the connection if any
    answer is internal (a name that mixes public and internal answers is a rebinding
    set-up), and open the socket to the very address we checked. TLS is started later
    by httpcore with ``server_hostname`` set to the name, so certificates are verified
    against the name and SNI is sent for it.
    """

    def __init__(self, policy: FetchPolicy, deadline: float) -> None:
        self._policy = policy
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()
        self.url = ""
        self.connected_to: list[str] = []

    def remaining(self) -> float:
        return _remaining(self._deadline, self.url, self._policy.timeout)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, self._policy, self._deadline, self.url)
        for ip in addresses:
            _refuse_if_blocked(ip, self._policy.allow_private, self.url)
        last_error: Exception | None = None
        for ip in addresses:
            left = self.remaining()
            try:
                stream = self._inner.connect_tcp(
                    str(ip),
                    port,
                    timeout=left if timeout is None else min(timeout, left),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            self.connected_to.append(str(ip))
            return _DeadlineStream(stream, self)
        assert last_error is not None
        raise last_error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise ConnectionFailed("Unix sockets are never fetched", url=self.url)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


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


def _zlib_pieces(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """Inflate gzip or deflate, yielding at most _DECODE_STEP bytes at a time."""
    gzip_bits = 16 + zlib.MAX_WBITS
    wbits = gzip_bits if encoding == "gzip" else zlib.MAX_WBITS
    decoder = zlib.decompressobj(wbits)
    first = True
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = decoder.decompress(data, _DECODE_STEP)
            except zlib.error:
                # Servers send raw deflate as "deflate" as often as zlib-wrapped.
                if encoding == "deflate" and first:
                    decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                    first = False
                    continue
                raise
            first = False
            if out:
                yield out
            if decoder.eof:
                # Concatenated gzip members are valid; start a fresh decoder on them.
                data = decoder.unused_data
                decoder = zlib.decompressobj(wbits)
            else:
                data = decoder.unconsumed_tail
    yield decoder.flush()


def _brotli_pieces(chunks: Iterator[bytes]) -> Iterator[bytes]:
    decoder = brotli.Decompressor()
    for chunk in chunks:
        out = decoder.process(chunk, output_buffer_limit=_DECODE_STEP)
        if out:
            yield out
        while not decoder.can_accept_more_data():
            out = decoder.process(b"", output_buffer_limit=_DECODE_STEP)
            if not out:
                break
            yield out


def _decoded(raw: Iterator[bytes], content_encoding: str, url: str) -> Iterator[bytes]:
    encodings = [
        e.strip().lower()
        for e in content_encoding.split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if len(encodings) > _MAX_ENCODING_LAYERS:
        raise ContentDecodingError(
            f"{url} is compressed {len(encodings)} times over ({content_encoding}); "
            "refusing a likely decompression bomb",
            url=url,
        )
    stream: Iterator[bytes] = raw
    # Encodings are listed in the order applied, so undo them from the last.
    for encoding in reversed(encodings):
        if encoding in ("gzip", "x-gzip"):
            stream = _zlib_pieces(stream, "gzip")
        elif encoding == "deflate":
            stream = _zlib_pieces(stream, "deflate")
        elif encoding == "br":
            stream = _brotli_pieces(stream)
        else:
            raise ContentDecodingError(
                f"{url} uses Content-Encoding {encoding!r}, which we do not accept",
                url=url,
            )
    return stream


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
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    try:
        for piece in _decoded(
            response.iter_stream(), headers.get("content-encoding", ""), url
        ):
            body += piece
            if len(body) > limit:
                raise too_large
    except (zlib.error, brotli.error) as exc:
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
        return _timeout_error(url, policy.timeout)
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
) -> FetchResponse:
    """GET ``url`` under ``policy`` and return the decompressed body.

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

    backend = _GuardedBackend(policy, deadline)
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
            left = _remaining(deadline, shown, policy.timeout)
            try:
                with pool.stream(
                    "GET",
                    httpcore.URL(
                        scheme=current.raw_scheme,
                        host=current.raw_host,
                        port=current.port,
                        target=current.raw_path,
                    ),
                    headers=[(b"Host", current.netloc), *request_headers],
                    extensions={
                        "timeout": {"connect": left, "read": left, "write": left}
                    },
                ) as response:
                    status = response.status
                    headers = _headers_dict(response.headers)
                    if status in _REDIRECT_STATUSES and headers.get("location"):
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
