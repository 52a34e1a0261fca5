"""Why feed bytes could not be read as a feed; each message says what to do."""

from __future__ import annotations


class FeedError(Exception):
    """Base class: the bytes we fetched are not a feed we can use."""

    code: str = "feed_error"

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message


class NotAFeed(FeedError):
    """The bytes are something else (an HTML page, other XML or JSON).

    ``alternates`` lists the feed URLs an HTML page advertises with
    ``<link rel="alternate">``, best first, so the caller can offer or follow them.
    """

    code = "not_a_feed"

    def __init__(
        self, message: str, *, url: str = "", alternates: list[str] | None = None
    ) -> None:
        super().__init__(message, url=url)
        self.alternates: list[str] = list(alternates or [])


class MalformedFeed(FeedError):
    """The bytes claim to be a feed but cannot be parsed, or are refused as unsafe."""

    code = "malformed_feed"


class OpmlError(FeedError):
    """An OPML file that cannot be read (not XML, not OPML, or unsafe XML)."""

    code = "bad_opml"
