"""The SSRF guard: resolve, check and connect in one step, under one deadline.

An httpcore network backend, so the check happens on the connection actually opened:
a name is resolved once, every answer is checked against the allow list, and the
socket goes to the very address checked (no window for DNS rebinding). Every read and
write of that socket is cut at the request's overall deadline.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import httpcore

from cupure.net.addresses import IPAddress, IPNetwork, blocked_reason, parse_ip_host
from cupure.net.errors import BlockedAddress, ConnectionFailed, FetchTimeout

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


def refuse_if_blocked(ip: IPAddress, allow: Sequence[IPNetwork], url: str) -> None:
    """Raise BlockedAddress (naming ``ip``, why, and the setting) unless allowed."""
    reason = blocked_reason(ip, allow)
    if reason is not None:
        raise BlockedAddress(
            f"Refused to connect to {ip} ({reason}) for {url}; add its network to "
            "CUPURE_FETCH_ALLOW_PRIVATE if this is intended",
            url=url,
            address=str(ip),
        )


def deadline_remaining(deadline: float, url: str, timeout: float) -> float:
    """Seconds left until ``deadline`` (monotonic); FetchTimeout when none are."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise timeout_error(url, timeout)
    return left


def timeout_error(url: str, timeout: float) -> FetchTimeout:
    """The one message for a request that outlived its time limit."""
    return FetchTimeout(
        f"Gave up on {url} after {timeout:g} s (the limit for the whole request, "
        "body included); the server is too slow or unreachable, try again later",
        url=url,
    )


def resolve_host(
    host: str,
    port: int,
    *,
    resolver: Resolver | None,
    deadline: float,
    timeout: float,
    url: str,
) -> list[IPAddress]:
    """The addresses to connect to for ``host``: itself if an IP, else DNS answers.

    Raises FetchTimeout at the deadline and ConnectionFailed when the name does not
    resolve.
    """
    try:
        literal = parse_ip_host(host)
    except ValueError:
        literal = None
    if literal is not None:
        return [literal]
    future = _RESOLVER_POOL.submit(resolver or system_resolver, host, port)
    try:
        answers = future.result(timeout=deadline_remaining(deadline, url, timeout))
    except FutureTimeout:
        raise timeout_error(url, timeout) from None
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

    def __init__(self, inner: httpcore.NetworkStream, guard: GuardedBackend) -> None:
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


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects to the checked address, in one step.

    httpcore hands us the host name; we resolve it once, refuse the connection if any
    answer is internal (a name that mixes public and internal answers is a rebinding
    set-up), and open the socket to the very address we checked. TLS is started later
    by httpcore with ``server_hostname`` set to the name, so certificates are verified
    against the name and SNI is sent for it.
    """

    def __init__(
        self,
        *,
        allow: Sequence[IPNetwork],
        resolver: Resolver | None,
        deadline: float,
        timeout: float,
    ) -> None:
        self._allow = tuple(allow)
        self._resolver = resolver
        self._deadline = deadline
        self._timeout = timeout
        self._inner = httpcore.SyncBackend()
        self.url = ""
        self.connected_to: list[str] = []

    def remaining(self) -> float:
        """Seconds left before the request's deadline; FetchTimeout if none."""
        return deadline_remaining(self._deadline, self.url, self._timeout)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_host(
            host,
            port,
            resolver=self._resolver,
            deadline=self._deadline,
            timeout=self._timeout,
            url=self.url,
        )
        for ip in addresses:
            refuse_if_blocked(ip, self._allow, self.url)
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
