"""The demo content: fictional publishers, events and articles as plain data.

Articles are written as text files under ``content/events/`` (one file per event,
several articles per file) so the prose reads like prose. This module parses them
into frozen dataclasses; nothing here knows about HTTP, HTML or dates: an article
only says how many hours before "now" it was published.

Event file format (``content/events/*.txt``)::

    event: port-strike               <- header lines until the first "===" line
    topic: business
    title: Port of Kessel dockworkers strike
    near_miss: other-event-id        <- optional, documents a deliberate near miss

    === harbour-herald/dockers-walk-out
    section: business
    hours_ago: 2.5
    headline: Dockers walk out at Port of Kessel
    author: Jana Okafor
    summary: One sentence for feeds and the standfirst.
    lead: harbour-cranes-dawn | Caption of the lead photo | Credit
    syndicated_from: meridian-wire/slug   <- optional: a word-for-word copy
    ---
    A paragraph.

    ## A subheading

    - a list item
    - another item

    [figure skyline-quay | Caption of an inline photo | Credit]

A copy (``syndicated_from``) may leave its body, summary and lead empty: they are
taken from the original, so the copy is word for word by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Literal

FIGURE_LINE = re.compile(r"^\[figure\s+(?P<spec>.+)\]$")
IMAGE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Every demo article is published within the last 48 hours (the brief, and what
# "trending now vs. baseline" needs to have a baseline at all).
MAX_HOURS_AGO = 48.0


class ContentError(ValueError):
    """A demo content file is malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Publisher:
    """A fictional publisher served under ``/<slug>/``."""

    slug: str
    name: str
    tagline: str
    layout: str  # which HTML layout renders it (see cupure.demo.layouts)
    feed_format: Literal["rss", "atom", "json"]  # the one feeds() advertises
    language: str  # the page's lang attribute
    is_wire: bool = False


@dataclass(frozen=True)
class Figure:
    """An image with its caption and credit; ``image_id`` names a generated image."""

    image_id: str
    caption: str
    credit: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Subheading:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class InlineFigure:
    figure: Figure


Block = Paragraph | Subheading | BulletList | InlineFigure


@dataclass(frozen=True)
class Article:
    """One article of one publisher; ``hours_ago`` is relative to the server's now."""

    publisher: str
    slug: str
    event: str
    section: str
    hours_ago: float
    headline: str
    author: str
    summary: str
    lead: Figure
    blocks: tuple[Block, ...]
    syndicated_from: str | None = None  # "publisher/slug" of the original

    @property
    def key(self) -> str:
        """``publisher/slug``, unique across the demo."""
        return f"{self.publisher}/{self.slug}"

    @property
    def paragraphs(self) -> list[str]:
        """The body paragraphs (not subheadings, lists or captions), in order."""
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def inline_figures(self) -> list[Figure]:
        return [b.figure for b in self.blocks if isinstance(b, InlineFigure)]

    @property
    def word_count(self) -> int:
        """Words of body text: paragraphs, subheadings and list items."""
        words = 0
        for block in self.blocks:
            if isinstance(block, Paragraph | Subheading):
                words += len(block.text.split())
            elif isinstance(block, BulletList):
                words += sum(len(item.split()) for item in block.items)
        return words


@dataclass(frozen=True)
class Event:
    """A real-world (fictional) happening that one or more articles report."""

    id: str
    topic: str
    title: str
    near_miss: str | None = None
    articles: tuple[Article, ...] = field(default=())

    @property
    def publishers(self) -> set[str]:
        return {a.publisher for a in self.articles}


@dataclass(frozen=True)
class Catalog:
    """Everything the demo site serves, already validated."""

    publishers: tuple[Publisher, ...]
    events: tuple[Event, ...]

    @property
    def articles(self) -> list[Article]:
        """All articles, newest first (smallest ``hours_ago``), ties by key."""
        every = [a for e in self.events for a in e.articles]
        return sorted(every, key=lambda a: (a.hours_ago, a.key))

    def publisher(self, slug: str) -> Publisher:
        for publisher in self.publishers:
            if publisher.slug == slug:
                return publisher
        raise KeyError(slug)

    def articles_of(self, publisher_slug: str) -> list[Article]:
        """One publisher's articles, newest first."""
        return [a for a in self.articles if a.publisher == publisher_slug]

    def article(self, key: str) -> Article:
        for article in self.articles:
            if article.key == key:
                return article
        raise KeyError(key)

    def event(self, event_id: str) -> Event:
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(event_id)

    def image_ids(self) -> set[str]:
        """Every image id some article uses (lead or inline)."""
        ids = set()
        for article in self.articles:
            ids.add(article.lead.image_id)
            ids.update(f.image_id for f in article.inline_figures)
        return ids


PUBLISHERS: tuple[Publisher, ...] = (
    Publisher(
        slug="harbour-herald",
        name="The Harbour Herald",
        tagline="Kessel's paper of record since 1871",
        layout="herald",
        feed_format="rss",
        language="en-GB",
    ),
    Publisher(
        slug="evening-post",
        name="Kessel Evening Post",
        tagline="Your city. Your news. Every evening.",
        layout="post",
        feed_format="atom",
        language="en",
    ),
    Publisher(
        slug="marrowdale-gazette",
        name="Marrowdale Gazette",
        tagline="News from across the province",
        layout="gazette",
        feed_format="json",
        language="en-GB",
    ),
    Publisher(
        slug="northshore-daily",
        name="Northshore Daily",
        tagline="Loud, local and proud",
        layout="northshore",
        feed_format="rss",
        language="en",
    ),
    Publisher(
        slug="the-lantern",
        name="The Lantern",
        tagline="Slow journalism for a fast city",
        layout="lantern",
        feed_format="atom",
        language="en-GB",
    ),
    Publisher(
        slug="meridian-wire",
        name="Meridian Wire",
        tagline="The province's news agency",
        layout="wire",
        feed_format="json",
        language="en",
        is_wire=True,
    ),
)


def _parse_figure(spec: str, where: str) -> Figure:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) != 3 or not all(parts):
        raise ContentError(
            f"{where}: a figure needs 'image-id | caption | credit', got {spec!r}"
        )
    image_id, caption, credit = parts
    if not IMAGE_ID.match(image_id):
        raise ContentError(
            f"{where}: image id {image_id!r} must be lowercase words joined by '-'"
        )
    return Figure(image_id=image_id, caption=caption, credit=credit)


def _parse_body(text: str, where: str) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines()]
        if not lines or not lines[0]:
            continue
        if lines[0].startswith("## "):
            blocks.append(Subheading(" ".join(lines)[3:].strip()))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(BulletList(tuple(line[2:].strip() for line in lines)))
        elif (match := FIGURE_LINE.match(" ".join(lines))) is not None:
            blocks.append(InlineFigure(_parse_figure(match["spec"], where)))
        else:
            blocks.append(Paragraph(" ".join(lines)))
    return tuple(blocks)


def _parse_headers(lines: list[str], where: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise ContentError(f"{where}: expected 'name: value', got {line!r}")
        headers[name.strip()] = value.strip()
    return headers


ARTICLE_FIELDS = {
    "section",
    "hours_ago",
    "headline",
    "author",
    "summary",
    "lead",
    "syndicated_from",
}


def parse_event_file(text: str, filename: str) -> Event:
    """Parse one event file (format in the module docstring) into an Event.

    Copies (``syndicated_from``) are returned unresolved: ``load_catalog`` fills
    them in from their original once every file is read.
    """
    sections = re.split(r"^=== ", text, flags=re.MULTILINE)
    head = _parse_headers(sections[0].splitlines(), filename)
    for required in ("event", "topic", "title"):
        if required not in head:
            raise ContentError(f"{filename}: the header needs '{required}: ...'")
    articles = []
    for section in sections[1:]:
        first, _, rest = section.partition("\n")
        key = first.strip()
        where = f"{filename} [{key}]"
        publisher, sep, slug = key.partition("/")
        if not sep or not IMAGE_ID.match(slug):
            raise ContentError(f"{where}: start an article with '=== publisher/slug'")
        header_text, sep, body = rest.partition("\n---\n")
        if not sep:
            raise ContentError(f"{where}: end the article header with a '---' line")
        fields = _parse_headers(header_text.splitlines(), where)
        unknown = set(fields) - ARTICLE_FIELDS
        if unknown:
            raise ContentError(f"{where}: unknown fields {sorted(unknown)}")
        missing = {"section", "hours_ago", "headline", "author"} - set(fields)
        copy_of = fields.get("syndicated_from")
        if copy_of is None:
            missing |= {"summary", "lead"} - set(fields)
        if missing:
            raise ContentError(f"{where}: missing fields {sorted(missing)}")
        try:
            hours_ago = float(fields["hours_ago"])
        except ValueError as exc:
            raise ContentError(f"{where}: hours_ago must be a number") from exc
        if not 0 < hours_ago <= MAX_HOURS_AGO:
            raise ContentError(f"{where}: hours_ago must be in (0, {MAX_HOURS_AGO}]")
        lead = fields.get("lead")
        articles.append(
            Article(
                publisher=publisher,
                slug=slug,
                event=head["event"],
                section=fields["section"],
                hours_ago=hours_ago,
                headline=fields["headline"],
                author=fields["author"],
                summary=fields.get("summary", ""),
                lead=_parse_figure(lead, where) if lead else Figure("", "", ""),
                blocks=_parse_body(body, where),
                syndicated_from=copy_of,
            )
        )
    return Event(
        id=head["event"],
        topic=head["topic"],
        title=head["title"],
        near_miss=head.get("near_miss"),
        articles=tuple(articles),
    )


def _resolve_copies(events: list[Event]) -> list[Event]:
    originals = {a.key: a for e in events for a in e.articles}
    resolved = []
    for event in events:
        articles = []
        for article in event.articles:
            if article.syndicated_from is not None:
                original = originals.get(article.syndicated_from)
                if original is None or original.syndicated_from is not None:
                    raise ContentError(
                        f"{article.key}: syndicated_from must name an original "
                        f"article, not {article.syndicated_from!r}"
                    )
                article = replace(
                    article,
                    blocks=article.blocks or original.blocks,
                    summary=article.summary or original.summary,
                    lead=article.lead if article.lead.image_id else original.lead,
                )
            articles.append(article)
        resolved.append(replace(event, articles=tuple(articles)))
    return resolved


def build_catalog(texts: dict[str, str]) -> Catalog:
    """Build and validate a catalog from event files given as ``{filename: text}``."""
    events = _resolve_copies(
        [parse_event_file(text, name) for name, text in sorted(texts.items())]
    )
    slugs = {p.slug for p in PUBLISHERS}
    seen: set[str] = set()
    event_ids: set[str] = set()
    for event in events:
        if event.id in event_ids:
            raise ContentError(f"event id {event.id!r} is used by two files")
        event_ids.add(event.id)
        for article in event.articles:
            if article.publisher not in slugs:
                raise ContentError(
                    f"{article.key}: unknown publisher; use one of {sorted(slugs)}"
                )
            if article.key in seen:
                raise ContentError(f"{article.key}: two articles share this key")
            seen.add(article.key)
    return Catalog(publishers=PUBLISHERS, events=tuple(events))


@cache
def load_catalog() -> Catalog:
    """The bundled demo content (read once from the package's content directory)."""
    folder = resources.files("cupure.demo").joinpath("content", "events")
    texts = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".txt")
    }
    return build_catalog(texts)
