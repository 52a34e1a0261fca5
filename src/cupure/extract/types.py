"""Plain data returned by the article extractor (no Django, no lxml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .dates import DateCandidate

PARAGRAPH_SEPARATOR = "\n\n"


class ExtractionError(Exception):
    """A page could not be turned into an article; the message says what to do."""

    # A short stable slug, as cupure.net.errors has (metrics count failures by it).
    code: str = "extraction"


@dataclass(frozen=True)
class Image:
    """A picture with its caption and credit kept apart, all plain text."""

    src: str
    caption: str = ""
    credit: str = ""

    def to_json(self) -> dict[str, str]:
        """Return ``{"src", "caption", "credit"}``."""
        return {"src": self.src, "caption": self.caption, "credit": self.credit}


@dataclass(frozen=True)
class Figure(Image):
    """A picture inside the body; ``position`` counts the paragraphs before it."""

    position: int = 0


@dataclass(frozen=True)
class ExtractedArticle:
    """A clean article: metadata, body blocks in order, and the body's figures."""

    title: str
    byline: str
    published: datetime | None
    site_name: str
    canonical_url: str
    language: str
    lead_image: Image | None
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...]
    # The site or agency credited when the byline names an organisation
    # ("Reuters", "The Gazette Team"), kept apart from the people in ``byline``.
    credit: str = ""
    # A later "updated" date the page gives, when it gives one.
    updated: datetime | None = None
    # Where each chosen field was read ("title": "h1", "published":
    # "jsonld:datePublished", ...), so a wrong value can be explained.
    sources: dict[str, str] = field(default_factory=dict)
    # Every plausible date the page gives (the date chosen is one of them).
    date_candidates: tuple[DateCandidate, ...] = ()
    # Every day the page writes in its visible text (None: not read), so that a
    # later choice among these candidates and a feed's applies the same rule.
    shown_days: frozenset[date] | None = None
    # The line under the headline that the page's description repeats (a
    # standfirst, dek or summary the publisher wrote), kept apart from the body.
    standfirst: str = ""
    # What each paragraph is on the page, parallel to ``paragraphs``: "p", "h1" to
    # "h6", "li" (a list item), "oli" (a numbered one: its number opens its text),
    # "row" (a table row, cells joined by " | "; "hrow" one of header cells),
    # "quote", "pre" (a line of preformatted text); see
    # cupure.extract.body.block_kind. Empty: all "p".
    block_kinds: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The body as plain text: paragraphs joined by a blank line."""
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    def to_json(self) -> dict[str, Any]:
        """Return the DESIGN.md shape (``published`` as ISO 8601 or ``None``), with
        ``updated``, ``sources`` (where each field was read) and ``date_candidates``
        (every plausible date on the page) besides."""
        return {
            "title": self.title,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "site_name": self.site_name,
            "canonical_url": self.canonical_url,
            "language": self.language,
            "lead_image": self.lead_image.to_json() if self.lead_image else None,
            "paragraphs": list(self.paragraphs),
            "figures": [figure.to_json() for figure in self.figures],
            "text": self.text,
            "credit": self.credit,
            "standfirst": self.standfirst,
            "block_kinds": list(self.block_kinds),
            "updated": self.updated.isoformat() if self.updated else None,
            "sources": dict(self.sources),
            "date_candidates": [c.to_json() for c in self.date_candidates],
        }


class NoArticleText(ExtractionError):
    """The page holds no article text (a script-only page, a login wall, a
    listing); ``page`` is what it does say: its title, byline, dates, lead
    picture and standfirst, with no paragraphs."""

    code = "no_article_text"

    def __init__(self, message: str, *, page: ExtractedArticle) -> None:
        super().__init__(message)
        self.page = page
