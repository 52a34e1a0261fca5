"""Plain, immutable results of feed parsing; what the sources app stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedEntry:
    """One article a feed lists, cleaned and ready to store."""

    guid: str  # stable id from the feed; the link when the feed gives none
    link: str  # absolute http(s) URL of the article page
    title: str  # plain text, whitespace collapsed, at most TITLE_MAX_CHARS
    published: datetime  # aware UTC; fetch time when missing or bad; never future
    summary: str  # plain text, at most SUMMARY_MAX_CHARS
    author: str  # plain text, "" when unknown
    image_url: str  # absolute http(s) URL or ""
    # The feed's own dates as written (aware UTC, unchecked), None when absent: the
    # article's date is chosen among these and the page's (cupure.extract.dates).
    declared_published: datetime | None = None
    declared_updated: datetime | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A whole feed document."""

    format: str  # "rss2.0", "rss1.0", "rss0.91", "atom1.0", "atom0.3", "json1.1", …
    title: str
    site_url: str  # the publisher's page the feed belongs to, absolute http(s) or ""
    description: str
    entries: tuple[FeedEntry, ...]
    ttl_seconds: int | None  # how long the publisher says the feed stays fresh
    skipped: tuple[str, ...]  # one line per entry left out, with the reason
    # WebSub: the hubs the feed names (<link rel="hub">, JSON Feed "hubs") and its
    # own address (rel="self", JSON Feed "feed_url"), absolute http(s) or "".
    hub_urls: tuple[str, ...] = ()
    self_url: str = ""


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription in an OPML file."""

    title: str
    xml_url: str  # the feed URL, as written in the file (check it before use)
    html_url: str = ""
    category: str = ""  # the enclosing outline's title, if any
    # cupure's displayPolicy attribute (full/excerpt/headline) as written, if any.
    display_policy: str = ""
