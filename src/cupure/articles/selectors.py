"""Reads for articles, shaped for the pages that show them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

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


@dataclass(frozen=True)
class BodyBlock:
    """A paragraph or a figure of an article body, in the publisher's order."""

    paragraph: str = ""
    figure: Figure | None = None
    # The paragraph's place among the body's paragraphs (its #pN anchor), -1 for
    # a figure.
    index: int = -1


def article_body(article: Article) -> list[BodyBlock]:
    """Paragraphs with the inline figures placed where the publisher had them."""
    figures = list(article.figures.all())
    blocks: list[BodyBlock] = []
    for index, paragraph in enumerate(article.paragraphs):
        blocks.extend(BodyBlock(figure=f) for f in figures if f.position == index)
        blocks.append(BodyBlock(paragraph=paragraph, index=index))
    count = len(article.paragraphs)
    blocks.extend(BodyBlock(figure=f) for f in figures if f.position >= count)
    return blocks
