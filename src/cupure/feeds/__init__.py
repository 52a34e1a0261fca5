"""Feed and OPML parsing into plain dataclasses (no Django, no network).

``parse_feed(bytes, url=…)`` reads RSS 0.9x/1.0/2.0, Atom and JSON Feed; see
:mod:`cupure.feeds.parse` for the order of checks. ``schedule`` holds the pure polling
arithmetic the scheduler in ``cupure.sources`` uses.
"""

from cupure.feeds.discover import discover_feed_links
from cupure.feeds.errors import FeedError, MalformedFeed, NotAFeed, OpmlError
from cupure.feeds.opml import export_opml, parse_opml
from cupure.feeds.parse import parse_feed
from cupure.feeds.types import FeedEntry, OpmlFeed, ParsedFeed

__all__ = [
    "FeedEntry",
    "FeedError",
    "MalformedFeed",
    "NotAFeed",
    "OpmlError",
    "OpmlFeed",
    "ParsedFeed",
    "discover_feed_links",
    "export_opml",
    "parse_feed",
    "parse_opml",
]
