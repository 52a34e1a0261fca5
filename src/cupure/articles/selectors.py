"""Reads for articles, shaped for the pages that show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cupure.sources.models import Publisher

from .models import Article, Figure

# The home page lists this many of the newest articles.
HOME_ARTICLE_COUNT = 60


def _article_cards() -> QuerySet[Article]:
    """Articles for lists: with their publisher, without the heavy columns."""
    return (
        Article.objects.select_related("publisher")
        .defer("raw_html", "paragraphs", "signature")
        .order_by("-published", "-id")
    )


def article_list_latest(*, limit: int = HOME_ARTICLE_COUNT) -> QuerySet[Article]:
    """Newest articles first; copies of other articles are shown on their original."""
    return _article_cards().filter(duplicate_of__isnull=True)[:limit]


def article_list_for_publisher(
    *, publisher: Publisher, limit: int = HOME_ARTICLE_COUNT
) -> QuerySet[Article]:
    """A publisher's own articles, copies included (they did publish them)."""
    return _article_cards().filter(publisher=publisher)[:limit]


@dataclass(frozen=True)
class BodyBlock:
    """A paragraph or a figure of an article body, in the publisher's order."""

    paragraph: str = ""
    figure: Figure | None = None


def article_body(article: Article) -> list[BodyBlock]:
    """Paragraphs with the inline figures placed where the publisher had them."""
    figures = list(article.figures.all())
    blocks: list[BodyBlock] = []
    for index, paragraph in enumerate(article.paragraphs):
        blocks.extend(BodyBlock(figure=f) for f in figures if f.position == index)
        blocks.append(BodyBlock(paragraph=paragraph))
    count = len(article.paragraphs)
    blocks.extend(BodyBlock(figure=f) for f in figures if f.position >= count)
    return blocks
