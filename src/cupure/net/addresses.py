"""Which IP addresses a fetch may connect to, and how hosts are spelled.

The rule (issue #3): the address actually connected to must be a public unicast
address, unless the operator allow-listed its network in ``CUPURE_FETCH_ALLOW_PRIVATE``.
Hosts are canonicalised the way browsers (WHATWG URL) and ``inet_aton`` read them, so
``2130706433``, ``0x7f000001``, ``0177.0.0.1`` and ``127.1`` all mean ``127.0.0.1``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

# Checked in order; the first match names the reason in the refusal message. The final
# ``is_global`` test in address_block_reason catches whatever IANA adds later.
_IPV4_BLOCKS: tuple[tuple[IPv4Network, str], ...] = tuple(
    (IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified / 'this network'"),
        ("127.0.0.0/8", "loopback"),
        ("10.0.0.0/8", "private"),
        ("172.16.0.0/12", "private"),
        ("192.168.0.0/16", "private"),
        ("100.64.0.0/10", "shared address space (CGNAT)"),
        ("169.254.0.0/16", "link-local"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("198.18.0.0/15", "benchmarking"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
    )
)

_IPV6_BLOCKS: tuple[tuple[IPv6Network, str], ...] = tuple(
    (IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("fc00::/7", "private (unique local)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
        ("100::/64", "discard-only"),
        ("2001:db8::/32", "documentation"),
        ("64:ff9b:1::/48", "local-use NAT64"),
        # Teredo tunnels to an obfuscated IPv4 client; nothing legitimate needs it.
        ("2001::/32", "Teredo tunnel"),
    )
)

_NAT64 = IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = IPv6Network("::/96")


def embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_block_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be connected to (``"loopback"``…), or None if it is public.

    IPv6 addresses that embed an IPv4 address (``::ffff:127.0.0.1``, ``::127.0.0.1``,
    ``64:ff9b::7f00:1``, ``2002:7f00:1::``) are judged by the embedded address as well.
    """
    if isinstance(ip, IPv4Address):
        for network, reason in _IPV4_BLOCKS:
            if ip in network:
                return reason
        return None if ip.is_global else "not globally routable"
    inner = embedded_ipv4(ip)
    if inner is not None:
        inner_reason = address_block_reason(inner)
        if inner_reason is not None:
            return f"IPv6 form of {inner}, {inner_reason}"
        return None
    for network6, reason6 in _IPV6_BLOCKS:
        if ip in network6:
            return reason6
    return None if ip.is_global else "not globally routable"


def is_allowed(ip: IPAddress, allow: Iterable[IPNetwork]) -> bool:
    """True when ``ip`` (or the IPv4 address it embeds) is in an allowed network."""
    candidates: list[IPAddress] = [ip]
    if isinstance(ip, IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            candidates.append(inner)
    return any(
        candidate.version == network.version and candidate in network
        for candidate in candidates
        for network in allow
    )


def blocked_reason(ip: IPAddress, allow: Iterable[IPNetwork]) -> str | None:
    """The reason to refuse ``ip`` under an allow list, or None if we may connect."""
    if is_allowed(ip, allow):
        return None
    return address_block_reason(ip)


def parse_allow_private(text: str) -> tuple[IPNetwork, ...]:
    """Parse ``CUPURE_FETCH_ALLOW_PRIVATE``: comma- or space-separated CIDRs.

    ``"127.0.0.1/32, ::1/128"`` gives two networks; a bare address means that one
    address; an empty string gives ``()``. Raises ValueError naming the bad item, e.g.
    for host bits set (``10.0.0.5/8``) or text that is not a network.
    """
    networks: list[IPNetwork] = []
    for item in re.split(r"[,\s]+", text.strip()):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=True))
        except ValueError as exc:
            hint = ""
            try:
                loose = ipaddress.ip_network(item, strict=False)
                hint = f"; did you mean {loose}?"
            except ValueError:
                hint = "; expected CIDRs such as 10.0.0.0/8 or ::1/128"
            raise ValueError(
                f"CUPURE_FETCH_ALLOW_PRIVATE: {item!r} is not a network ({exc}){hint}"
            ) from exc
    return tuple(networks)


_IPV4_PART = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")


def _ipv4_number(part: str) -> int | None:
    if not _IPV4_PART.match(part):
        return None
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8) if re.fullmatch(r"[0-7]+", part) else None
    return int(part)


def parse_ipv4_host(host: str) -> IPv4Address | None:
    """Read ``host`` as an IPv4 address in any spelling ``inet_aton`` accepts.

    ``"2130706433"``, ``"0x7f000001"``, ``"0177.0.0.1"``, ``"127.1"`` and
    ``"127.0.0.1."`` all give ``127.0.0.1``. Returns None when ``host`` is a name.
    Raises ValueError when it looks numeric but is out of range (``"1.2.3.4.5"``,
    ``"256.0.0.1"``, ``"09.1.1.1"``), since resolvers disagree about such hosts.
    """
    labels = host.split(".")
    if labels and labels[-1] == "" and len(labels) > 1:
        labels = labels[:-1]
    # WHATWG URL: a host whose last label is numeric is an IPv4 address or invalid.
    if not labels or not re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]*", labels[-1]):
        return None
    numbers = [_ipv4_number(label) for label in labels]
    if len(labels) > 4 or any(n is None for n in numbers):
        raise ValueError(f"{host!r} is not a valid IPv4 address")
    values = [n for n in numbers if n is not None]
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (5 - len(values)):
        raise ValueError(f"{host!r} is not a valid IPv4 address (a part is too large)")
    number = last
    for index, value in enumerate(head):
        number += value << (8 * (3 - index))
    return IPv4Address(number)


def parse_ip_host(host: str) -> IPAddress | None:
    """The IP address ``host`` spells (IPv4 in any spelling, or bracketless IPv6)."""
    if ":" in host:
        return IPv6Address(host)
    return parse_ipv4_host(host)
