"""cupure.net.addresses: which addresses are internal, host spellings, allow lists."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import pytest

from cupure.net.addresses import (
    address_block_reason,
    blocked_reason,
    parse_allow_private,
    parse_ipv4_host,
)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.0000.0000.0001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("10.0x10.1", "10.16.0.1"),
        ("0", "0.0.0.0"),  # noqa: S104
        ("93.184.216.34", "93.184.216.34"),
    ],
)
def test_ipv4_spellings_are_read_like_inet_aton(spelling: str, expected: str) -> None:
    assert parse_ipv4_host(spelling) == IPv4Address(expected)


@pytest.mark.parametrize("name", ["example.com", "127.0.0.1.example", "x1", "1x"])
def test_names_are_not_addresses(name: str) -> None:
    assert parse_ipv4_host(name) is None


@pytest.mark.parametrize(
    "bad", ["1.2.3.4.5", "256.0.0.1", "09.1.1.1", "1.2.3.0x100", "4294967296"]
)
def test_numeric_hosts_out_of_range_are_errors(bad: str) -> None:
    """Hosts that look numeric but overflow are refused, not guessed at."""
    with pytest.raises(ValueError, match="not a valid IPv4"):
        parse_ipv4_host(bad)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.1.1.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.0.1", "private"),
        ("100.127.255.254", "CGNAT"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("224.0.0.251", "multicast"),
        ("239.255.255.250", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "documentation"),
        ("198.18.0.1", "benchmarking"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fd00::1", "unique local"),
        ("fe80::1", "link-local"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "documentation"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:192.168.1.1", "private"),
        ("::127.0.0.1", "loopback"),
        ("64:ff9b::10.0.0.1", "private"),
        ("64:ff9b:1::1", "NAT64"),
        ("2002:7f00:1::1", "loopback"),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
    ],
)
def test_internal_addresses_have_a_reason(address: str, reason: str) -> None:
    found = address_block_reason(ip_address(address))
    assert found is not None
    assert reason in found


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "1.1.1.1"],
)
def test_public_addresses_pass(address: str) -> None:
    assert address_block_reason(ip_address(address)) is None


def test_allow_list_opens_exactly_its_networks() -> None:
    allow = (ip_network("10.0.0.0/8"), ip_network("::1/128"))
    assert blocked_reason(IPv4Address("10.9.8.7"), allow) is None
    assert blocked_reason(IPv6Address("::1"), allow) is None
    assert blocked_reason(IPv6Address("::ffff:10.0.0.1"), allow) is None
    assert blocked_reason(IPv4Address("192.168.0.1"), allow) == "private"
    assert blocked_reason(IPv4Address("127.0.0.1"), allow) == "loopback"


def test_parse_allow_private_reads_cidrs_and_bare_addresses() -> None:
    assert parse_allow_private("127.0.0.1/32, ::1/128") == (
        ip_network("127.0.0.1/32"),
        ip_network("::1/128"),
    )
    assert parse_allow_private(" 10.0.0.0/8  192.168.1.5 ") == (
        ip_network("10.0.0.0/8"),
        ip_network("192.168.1.5/32"),
    )
    assert parse_allow_private("") == ()
    assert parse_allow_private(" , ") == ()


def test_parse_allow_private_explains_mistakes() -> None:
    with pytest.raises(ValueError, match=r"did you mean 10\.0\.0\.0/8"):
        parse_allow_private("10.0.0.5/8")
    with pytest.raises(ValueError, match="CUPURE_FETCH_ALLOW_PRIVATE: 'localhost'"):
        parse_allow_private("127.0.0.1, localhost")
