"""Reader IP addresses reduced to the network we may keep (no Django).

We rate-limit by network, not by person, and never store a full address: IPv4 is
kept as its /24 and IPv6 as its /48 (the usual allocation to one site or household),
which is enough to slow a flood from one place and too coarse to identify a reader.
"""

from __future__ import annotations

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 48
# What we store when the server could not tell (a misconfigured proxy): all such
# requests share one bucket, so a broken setup is rate-limited rather than wide open.
UNKNOWN_NETWORK = "unknown"


def ip_network_of(address: str | None) -> str:
    """``"203.0.113.0/24"`` for ``"203.0.113.57"``; ``"2001:db8:1::/48"`` for v6."""
    if not address:
        return UNKNOWN_NETWORK
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return UNKNOWN_NETWORK
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
