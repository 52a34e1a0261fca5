"""Feed discovery: the feeds an HTML page advertises with ``<link rel="alternate">``."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Media types of feeds in <link rel="alternate" type=…>, in order of preference.
FEED_LINK_TYPES = (
    "application/atom+xml",
    "application/rss+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/json",
    "application/xml",
    "text/xml",
)
# Feed links live in <head>; a page is not read past this many characters for them.
DISCOVERY_INPUT_MAX_CHARS = 1_000_000
# More than this many advertised feeds is noise (or an attack on our database).
DISCOVERY_MAX_LINKS = 20


def absolute_http_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base`` if the result is an http(s) URL with a host.

    ``javascript:``, ``data:``, ``mailto:`` and anything with whitespace or control
    characters inside give None; surrounding whitespace is trimmed.
    """
    href = href.strip()
    if not href or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in href):
        return None
    try:
        resolved = urljoin(base, href) if base else href
        parts = urlsplit(resolved)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None
    if " " in resolved or len(resolved) > 2000:
        return None
    return resolved


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base_href: str | None = None
        self.links: list[tuple[str, str]] = []  # (type, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and self.base_href is None and values.get("href"):
            self.base_href = values["href"]
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            media_type = values.get("type", "").split(";")[0].strip().lower()
            if "alternate" in rels and media_type in FEED_LINK_TYPES:
                self.links.append((media_type, values.get("href", "")))

    handle_startendtag = handle_starttag


def discover_feed_links(html: bytes, *, url: str) -> list[str]:
    """Absolute http(s) URLs of the feeds ``html`` advertises, best type first.

    Relative hrefs are resolved against ``<base href>`` or ``url``; duplicates and
    non-http(s) links are dropped; at most DISCOVERY_MAX_LINKS are returned.
    """
    collector = _LinkCollector()
    text = html[: DISCOVERY_INPUT_MAX_CHARS * 4].decode("utf-8", "replace")
    collector.feed(text[:DISCOVERY_INPUT_MAX_CHARS])
    collector.close()
    base = url
    if collector.base_href:
        base = absolute_http_url(url, collector.base_href) or url
    found: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for position, (media_type, href) in enumerate(collector.links):
        absolute = absolute_http_url(base, href)
        if absolute is None or absolute in seen:
            continue
        seen.add(absolute)
        found.append((FEED_LINK_TYPES.index(media_type), position, absolute))
    found.sort()
    return [link for _rank, _position, link in found[:DISCOVERY_MAX_LINKS]]
