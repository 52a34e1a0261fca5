"""Reader addresses are kept only as their /24 (IPv4) or /48 (IPv6) network."""

from __future__ import annotations

import pytest

from cupure.comments.addresses import UNKNOWN_NETWORK, ip_network_of


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.57", "203.0.113.0/24"),
        ("203.0.113.1", "203.0.113.0/24"),
        ("2001:db8:1:2:3::5", "2001:db8:1::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        (" 192.0.2.200 ", "192.0.2.0/24"),
    ],
)
def test_addresses_are_truncated(address: str, network: str) -> None:
    assert ip_network_of(address) == network


@pytest.mark.parametrize("address", ["", None, "not-an-ip", "999.1.1.1"])
def test_unreadable_addresses_share_one_bucket(address: str | None) -> None:
    assert ip_network_of(address) == UNKNOWN_NETWORK
