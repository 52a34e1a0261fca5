"""WebSub (W3C Recommendation, 2018) for a subscriber: the pure parts.

Where a feed's hub is (``Link:`` header or the feed's own ``rel="hub"`` links), the
topic to subscribe to (``rel="self"``, else the URL polled), the form a subscription
request sends, whether a pushed body carries a valid ``X-Hub-Signature``, and when a
lease is renewed. No Django, no network: ``cupure.sources.websub`` does the storing
and the requests (through ``cupure.net.fetch``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from cupure.feeds.types import ParsedFeed

# What we ask the hub for; hubs choose (often 1 to 10 days) and say so when verifying.
LEASE_REQUESTED_SECONDS = 7 * 24 * 3600
# A hub that verifies without a lease gets this one assumed (the spec leaves it open).
LEASE_ASSUMED_SECONDS = 24 * 3600
# Renew when this share of the lease is left (at least RENEW_MARGIN_MIN_SECONDS), so a
# hub that is briefly down at renewal time still has time to answer a retry.
RENEW_SHARE_LEFT = 0.2
RENEW_MARGIN_MIN_SECONDS = 600.0
# The signatures the spec allows; sha1 is the one every hub sends, the others win.
SIGNATURE_ALGORITHMS = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "sha384": hashlib.sha384,
    "sha512": hashlib.sha512,
}
# hub.secret: "MUST be less than 200 bytes"; 32 random bytes in URL-safe text.
SECRET_BYTES = 32
TOKEN_BYTES = 24

# One link-value of RFC 8288: <uri-reference> followed by ;-separated parameters.
_LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_LINK_PARAM = re.compile(r";\s*([A-Za-z0-9!#$&+.^_`|~-]+)\s*=\s*(\"[^\"]*\"|[^;,\s]+)")


@dataclass(frozen=True)
class HubLinks:
    """Where to subscribe for a feed: its hubs (first preferred) and its topic URL."""

    hubs: tuple[str, ...]
    topic: str


def parse_link_header(value: str, *, base: str) -> list[tuple[str, set[str]]]:
    """``(absolute URL, rel values)`` of each link in an HTTP ``Link`` header.

    Several headers arrive joined with ``", "`` (cupure.net.fetch does so), which
    this grammar reads as further link-values. Links that are not http(s) are left
    out; a malformed header gives what could be read, never an exception.
    """
    links = []
    for match in _LINK_VALUE.finditer(value or ""):
        target = urljoin(base, match.group(1).strip())
        rels: set[str] = set()
        for name, raw in _LINK_PARAM.findall(match.group(2)):
            if name.lower() == "rel":
                rels.update(raw.strip('"').lower().split())
        if urlsplit(target).scheme in ("http", "https"):
            links.append((target, rels))
    return links


def hub_links(
    headers: Mapping[str, str], parsed: ParsedFeed | None, *, url: str
) -> HubLinks | None:
    """The hubs and topic of a fetched feed, or None when it names no hub.

    The spec prefers the HTTP ``Link`` header; the feed's own links are the
    fallback (``<atom:link rel="hub">``, JSON Feed ``hubs``). The topic is the
    ``rel="self"`` URL from the same place as the hub, else the URL fetched.
    """
    header_links = parse_link_header(headers.get("link", ""), base=url)
    header_hubs = tuple(dict.fromkeys(t for t, rels in header_links if "hub" in rels))
    if header_hubs:
        selves = [t for t, rels in header_links if "self" in rels]
        return HubLinks(hubs=header_hubs, topic=selves[0] if selves else url)
    if parsed is not None and parsed.hub_urls:
        return HubLinks(hubs=parsed.hub_urls, topic=parsed.self_url or url)
    return None


def new_secret() -> str:
    """A fresh hub.secret (one per subscription, so one leak costs one feed)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def new_token() -> str:
    """The unguessable part of a callback URL, ``/websub/<token>``."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def subscription_form(
    *,
    mode: str,
    topic: str,
    callback: str,
    secret: str = "",
    lease_seconds: int = LEASE_REQUESTED_SECONDS,
) -> dict[str, str]:
    """The ``application/x-www-form-urlencoded`` fields of a (un)subscription."""
    form = {"hub.mode": mode, "hub.topic": topic, "hub.callback": callback}
    if mode == "subscribe":
        form["hub.lease_seconds"] = str(lease_seconds)
        if secret:
            form["hub.secret"] = secret
    return form


def signature_valid(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` (``X-Hub-Signature: method=hexdigest``) is the HMAC of
    ``body`` with ``secret`` by a method the spec allows; compared in constant
    time. A missing or unknown method is invalid: a subscription with a secret
    accepts only signed content."""
    if not header or not secret:
        return False
    method, _, given = header.strip().partition("=")
    digest = SIGNATURE_ALGORITHMS.get(method.strip().lower())
    if digest is None or not given:
        return False
    expected = hmac.new(secret.encode(), body, digest).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    """The ``X-Hub-Signature`` value a hub sends for ``body`` (for hubs and tests)."""
    digest = hmac.new(secret.encode(), body, SIGNATURE_ALGORITHMS[method]).hexdigest()
    return f"{method}={digest}"


def lease_seconds_granted(value: str | None) -> int:
    """The lease a hub granted (``hub.lease_seconds`` of its verification), or
    LEASE_ASSUMED_SECONDS when it sent none or garbage."""
    text = (value or "").strip()
    if text.isdigit() and 0 < int(text) <= 10 * 365 * 86400:
        return int(text)
    return LEASE_ASSUMED_SECONDS


def renew_margin(lease_seconds: int) -> float:
    """Seconds before a lease ends at which it is renewed."""
    floor = min(RENEW_MARGIN_MIN_SECONDS, lease_seconds / 2)
    return max(lease_seconds * RENEW_SHARE_LEFT, floor)
