"""Reads for articles, shaped for the pages that show them."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cupure.extract.body import (
    CELL_SEPARATOR,
    HEADER_ROW,
    HEADINGS,
    LIST_ITEM,
    NUMBERED_ITEM,
    PARAGRAPH,
    PREFORMATTED,
    QUOTE,
    TABLE_ROW,
)
from cupure.sources.models import Publisher

from .models import Article, Figure

# The home page lists this many of the newest articles.
HOME_ARTICLE_COUNT = 30
# Columns no page shows: the raw HTML, the body's fingerprint, the import id (the
# last two JSON, decoded for every row loaded).
ARTICLE_UNSHOWN_FIELDS = ("raw_html", "signature", "external_id")
# What lists of articles show (cards, a story's coverage, syndication feeds). The
# rest of a row is skipped: the raw HTML, and JSON (body, fingerprint, import id)
# and timestamps that would be decoded for every article listed.
ARTICLE_CARD_FIELDS = (
    "publisher",
    "publisher__name",
    "publisher__slug",
    "url",
    "canonical_url",
    "title",
    "slug",
    "byline",
    "published",
    "updated",
    "summary",
    "lead_image_src",
    "story",
    "duplicate_of",
    # What the article may show (cupure.rights.selectors.article_display).
    "publisher__display_policy",
    "robots",
)


def article_cards(queryset: QuerySet[Article] | None = None) -> QuerySet[Article]:
    """``queryset`` (default: every article) as list items: with the publisher,
    with ARTICLE_CARD_FIELDS only."""
    queryset = Article.objects.all() if queryset is None else queryset
    return queryset.select_related("publisher").only(*ARTICLE_CARD_FIELDS)


def _article_cards() -> QuerySet[Article]:
    """Articles for lists: with their publisher and ``comment_count``, without the
    heavy columns."""
    from cupure.comments.selectors import with_comment_counts

    return with_comment_counts(article_cards().order_by("-published", "-id"))


def article_list_latest(*, limit: int = HOME_ARTICLE_COUNT) -> QuerySet[Article]:
    """Newest articles first; copies of other articles are shown on their original.

    The newest are chosen in a subquery of the article table alone, which SQLite
    answers by walking the ``published`` index down. Joined to the publishers in
    one query, the planner may instead start from the publishers and sort every
    article (250 ms at 100k articles): it did when ANALYZE's sample of the
    publisher index (its first thousand rows, all of one publisher) put a
    publisher's articles at 1,000 instead of 2,500.
    """
    newest = (
        Article.objects.filter(duplicate_of__isnull=True)
        .order_by("-published", "-id")
        .values("pk")[:limit]
    )
    return _article_cards().filter(pk__in=newest)


def article_list_for_publisher(
    *, publisher: Publisher, limit: int = HOME_ARTICLE_COUNT
) -> QuerySet[Article]:
    """A publisher's own articles, copies included (they did publish them)."""
    return _article_cards().filter(publisher=publisher)[:limit]


# Articles are read for export in batches of this size: bounded memory at any scale.
EXPORT_BATCH = 1000


def article_export_rows() -> Iterator[dict[str, Any]]:
    """Every article as the export-jsonl object (DESIGN.md), oldest first.

    ``id`` is the imported record's id when there was one, else ours; ``duplicate_of``
    uses the same ids; ``topics`` are canonical topic keys.
    """
    from cupure.trends.services import resolver_load

    resolver = resolver_load()
    ids = dict(Article.objects.values_list("pk", "external_id"))

    def public_id(pk: int | None) -> Any:
        if pk is None:
            return None
        external = ids.get(pk)
        return pk if external is None else external

    articles = (
        Article.objects.select_related("publisher")
        .only(
            "pk",
            "url",
            "title",
            "published",
            "publisher__name",
            "story_id",
            "duplicate_of_id",
        )
        .prefetch_related("topics")
        .order_by("published", "pk")
    )
    for article in articles.iterator(chunk_size=EXPORT_BATCH):
        topics = dict.fromkeys(resolver.canonical(t.key) for t in article.topics.all())
        yield {
            "id": public_id(article.pk),
            "url": article.url,
            "title": article.title,
            "published": article.published.isoformat(),
            "source": article.publisher.name,
            "story": article.story_id,
            "duplicate_of": public_id(article.duplicate_of_id),
            "topics": list(topics),
        }


# Consecutive blocks of these kinds are shown as one element: a list's items as a
# list, a table's rows as a table, lines of preformatted text as one <pre>, the
# paragraphs of a quotation as one quotation.
GROUPED_KINDS = {
    LIST_ITEM: "ul",
    NUMBERED_ITEM: "ol",
    TABLE_ROW: "table",
    HEADER_ROW: "table",
    PREFORMATTED: "pre",
    QUOTE: "blockquote",
}
# The article's headline is the page's <h1>; the body's subheadings go from <h2>
# down to this level.
DEEPEST_HEADING = 4


@dataclass(frozen=True)
class BodyBlock:
    """A paragraph, a subheading, a group (list, table, quotation, preformatted
    text) or a figure of an article body, in the publisher's order."""

    paragraph: str = ""
    figure: Figure | None = None
    # The paragraph's place among the body's paragraphs (its #pN anchor), -1 for
    # a figure; a group's is its first block's.
    index: int = -1
    # "p", "h2" to "h4", or a group's element ("ul", "ol", "table", "pre",
    # "blockquote") with its blocks in ``items``.
    kind: str = PARAGRAPH
    items: tuple[BodyBlock, ...] = ()
    # A group's place among the body's groups of its kind, from 1 ("Table 2"
    # names the second table's scrolling region, each apart from the others).
    number: int = 0

    @property
    def cells(self) -> list[str]:
        """A table row's cells."""
        return self.paragraph.split(CELL_SEPARATOR)

    @property
    def lines(self) -> str:
        """A preformatted group's text, a line per block."""
        return "\n".join(item.paragraph for item in self.items)


def article_body(article: Article, *, with_figures: bool = True) -> list[BodyBlock]:
    """Paragraphs, subheadings, lists, tables and quotations as the publisher's page
    has them (``Article.block_kinds``), with the inline figures placed where the
    publisher had them."""
    figures = list(article.figures.all()) if with_figures else []
    kinds = article.block_kinds
    if len(kinds) != len(article.paragraphs):  # not known: all paragraphs
        kinds = [PARAGRAPH] * len(article.paragraphs)
    levels = _heading_levels(kinds)
    blocks: list[BodyBlock] = []
    for index, (paragraph, kind) in enumerate(
        zip(article.paragraphs, kinds, strict=True)
    ):
        blocks.extend(BodyBlock(figure=f) for f in figures if f.position == index)
        kind = levels.get(index, kind if kind in GROUPED_KINDS else PARAGRAPH)
        blocks.append(BodyBlock(paragraph=paragraph, index=index, kind=kind))
    count = len(article.paragraphs)
    blocks.extend(BodyBlock(figure=f) for f in figures if f.position >= count)
    return _grouped(blocks)


def _heading_levels(kinds: list[str]) -> dict[int, str]:
    """The element of each subheading (by its block's index): the page's levels in
    their order, the highest as <h2>, never deeper than one below the heading
    before it (nor than :data:`DEEPEST_HEADING`), so the outline skips no level."""
    used = sorted({kind for kind in kinds if kind in HEADINGS})
    levels: dict[int, str] = {}
    previous = 1
    for index, kind in enumerate(kinds):
        if kind in used:
            level = min(2 + used.index(kind), previous + 1, DEEPEST_HEADING)
            levels[index] = f"h{level}"
            previous = level
    return levels


def _grouped(blocks: list[BodyBlock]) -> list[BodyBlock]:
    """Consecutive blocks of a grouped kind gathered into one group each."""
    shown: list[BodyBlock] = []
    counts: Counter[str] = Counter()
    for key, run in itertools.groupby(
        blocks,
        key=lambda block: (
            GROUPED_KINDS.get(block.kind) if block.figure is None else None
        ),
    ):
        if key is None:
            shown.extend(run)
            continue
        items = tuple(run)
        counts[key] += 1
        shown.append(
            BodyBlock(index=items[0].index, kind=key, items=items, number=counts[key])
        )
    return shown
