"""Gaps found by mutation testing (issue #23): internal IPv6 ranges no block-list entry
names, DNS failures and resolver answers that are not addresses."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta, timezone
from ipaddress import ip_address, ip_network

import pytest

from cupure.net.addresses import address_block_reason, parse_allow_private
from cupure.net.caching import parse_http_date, parse_retry_after
from cupure.net.errors import BlockedAddress, ConnectionFailed
from cupure.net.fetch import FetchPolicy, fetch
from cupure.net.guard import GuardedBackend, timeout_error
from cupure.net.limits import HostLimiter, host_key
from tests.timezones import local_time_zone


@pytest.mark.parametrize(
    "address",
    [
        "2001:2::1",  # benchmarking (RFC 5180)
        "2001:10::1",  # ORCHID (RFC 4843, deprecated)
    ],
)
def test_ipv6_ranges_outside_the_block_list_are_still_internal(address: str) -> None:
    """No explicit entry names these; the "not globally routable" fallback must."""
    assert address_block_reason(ip_address(address)) == "not globally routable"


@pytest.mark.parametrize("address", ["2001:2::1", "2001:10::1"])
def test_a_name_resolving_to_such_a_range_is_refused(address: str) -> None:
    policy = FetchPolicy(timeout=2, resolver=lambda host, port: [address])
    with pytest.raises(BlockedAddress, match="not globally routable"):
        fetch("http://bench.example/feed", policy=policy)


def refusing(error: Exception):
    def resolver(host: str, port: int) -> list[str]:
        raise error

    return resolver


@pytest.mark.parametrize(
    "error",
    [
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
        OSError("network is unreachable"),
        UnicodeError("label too long"),
    ],
)
def test_a_name_that_does_not_resolve_is_a_connection_failure(
    error: Exception,
) -> None:
    """The reader is told the name did not resolve, with the resolver's reason."""
    policy = FetchPolicy(timeout=2, resolver=refusing(error))
    with pytest.raises(ConnectionFailed) as caught:
        fetch("http://nowhere.example/feed", policy=policy)
    message = str(caught.value)
    assert message.startswith("Could not resolve nowhere.example for ")
    assert str(error) in message
    assert "check the host name" in message
    assert caught.value.url == "http://nowhere.example/feed"


@pytest.mark.parametrize("answer", ["nowhere", "", "1.2.3.4.5", "256.1.1.1", "::g"])
def test_a_resolver_answer_that_is_not_an_address_is_refused(answer: str) -> None:
    """An answer we cannot read as an IP is never connected to (nor guessed at)."""
    policy = FetchPolicy(timeout=2, resolver=lambda host, port: [answer])
    with pytest.raises(ConnectionFailed, match="not an IP address") as caught:
        fetch("http://odd.example/feed", policy=policy)
    assert repr(answer) in str(caught.value)
    assert "odd.example" in str(caught.value)


def test_a_name_with_no_answers_is_a_connection_failure() -> None:
    policy = FetchPolicy(timeout=2, resolver=lambda host, port: [])
    with pytest.raises(ConnectionFailed, match=r"empty\.example has no addresses"):
        fetch("http://empty.example/feed", policy=policy)


def test_a_scoped_ipv6_answer_is_judged_by_its_address() -> None:
    """``fe80::1%eth0`` from the resolver is the link-local fe80::1: refused."""
    policy = FetchPolicy(timeout=2, resolver=lambda host, port: ["fe80::1%eth0"])
    with pytest.raises(BlockedAddress, match="link-local"):
        fetch("http://scoped.example/feed", policy=policy)


def test_allow_list_with_a_leading_separator_reads_every_network() -> None:
    """An empty item (",10.0.0.0/8") is skipped, not the end of the list."""
    assert parse_allow_private(",10.0.0.0/8 ::1/128") == (
        ip_network("10.0.0.0/8"),
        ip_network("::1/128"),
    )


def test_allow_list_item_that_is_no_network_says_what_is_expected() -> None:
    with pytest.raises(ValueError, match="localhost") as caught:
        parse_allow_private("localhost")
    assert str(caught.value).endswith("; expected CIDRs such as 10.0.0.0/8 or ::1/128")
    assert "did you mean" not in str(caught.value)


# --- limits and caching at their edges (mutation testing) --------------------------


def test_a_url_without_a_host_has_the_empty_key() -> None:
    assert host_key("http:///feed.xml") == ""
    assert host_key("HTTP://News.Example:8080/x") == "news.example"


def test_a_host_stays_tracked_while_anyone_holds_it() -> None:
    """Three nested holders: after two leave, the third still counts (a count off by
    one would forget the host and hand out a fresh set of slots)."""
    limiter = HostLimiter(per_host=3)
    with limiter.slot("a.example"):
        with limiter.slot("a.example"), limiter.slot("a.example"):
            assert limiter.active_hosts() == 1
        assert limiter.active_hosts() == 1
    assert limiter.active_hosts() == 0


def test_http_dates_are_utc_whatever_the_local_zone() -> None:
    with local_time_zone():
        offset = parse_http_date("Wed, 21 Oct 2026 07:28:00 +0200")
        unknown = parse_http_date("Wed, 21 Oct 2026 07:28:00 -0000")
    assert offset == datetime(2026, 10, 21, 5, 28, tzinfo=UTC)
    assert offset is not None and offset.tzinfo is UTC
    assert unknown == datetime(2026, 10, 21, 7, 28, tzinfo=UTC)
    assert unknown is not None and unknown.tzinfo is UTC


def test_retry_after_date_against_naive_and_offset_clocks() -> None:
    """``now`` without a zone is UTC; with one, its own instant counts."""
    header = "Wed, 21 Oct 2026 07:28:00 GMT"
    naive = datetime(2026, 10, 21, 7, 27)
    assert parse_retry_after(header, naive) == 60.0
    paris = datetime(2026, 10, 21, 9, 27, tzinfo=timezone(timedelta(hours=2)))
    assert parse_retry_after(header, paris) == 60.0


# --- the guard's own edges -----------------------------------------------------------


def test_the_timeout_message_names_the_url_and_the_limit() -> None:
    error = timeout_error("http://slow.example/feed", 0.5)
    assert str(error) == (
        "Gave up on http://slow.example/feed after 0.5 s (the limit for the whole "
        "request, body included); the server is too slow or unreachable, try again "
        "later"
    )
    assert error.url == "http://slow.example/feed"


def test_the_guard_never_opens_unix_sockets_and_sleeps_as_asked() -> None:
    backend = GuardedBackend(
        allow=(), resolver=None, deadline=time.monotonic() + 5, timeout=5
    )
    backend.url = "http://x.example/feed"
    with pytest.raises(ConnectionFailed) as caught:
        backend.connect_unix_socket("/run/docker.sock")
    assert str(caught.value) == "Unix sockets are never fetched"
    assert caught.value.url == "http://x.example/feed"
    started = time.monotonic()
    backend.sleep(0.05)
    assert time.monotonic() - started >= 0.05
