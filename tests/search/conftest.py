"""Articles written for the search tests; each test says what it expects of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from cupure.articles.models import Article
from cupure.search.services import search_index_article
from cupure.sources.models import Publisher
from cupure.sources.services import publisher_get_or_create

# "Now" for every ranking test, so ages are exact.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

MakeArticle = Callable[..., Article]


@pytest.fixture
def gazette() -> Publisher:
    return publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )


@pytest.fixture
def herald() -> Publisher:
    return publisher_get_or_create(
        name="Harbour Herald", homepage_url="https://herald.example/"
    )


@pytest.fixture
def make_article(gazette: Publisher) -> MakeArticle:
    """Store an article (indexed unless index=False) with the given text."""
    counter = iter(range(1, 10_000))

    def make(
        title: str,
        paragraphs: list[str],
        *,
        published: datetime = NOW,
        publisher: Publisher | None = None,
        duplicate_of: Article | None = None,
        index: bool = True,
    ) -> Article:
        n = next(counter)
        article = Article.objects.create(
            publisher=publisher or gazette,
            url=f"https://gazette.example/news/{n}",
            canonical_url=f"https://gazette.example/news/{n}",
            title=title,
            slug=f"article-{n}",
            byline="Mara Quist",
            published=published,
            paragraphs=paragraphs,
            duplicate_of=duplicate_of,
        )
        if index:
            search_index_article(article=article)
        return article

    return make
