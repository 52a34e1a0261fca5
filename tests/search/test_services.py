"""The indexing services keep the index in step, idempotently."""

from __future__ import annotations

import pytest

from cupure.articles.models import Article
from cupure.search.backends import get_backend
from cupure.search.selectors import search_articles
from cupure.search.services import (
    search_index_article,
    search_reindex,
    search_unindex_article,
)

from .conftest import NOW, MakeArticle

pytestmark = pytest.mark.django_db


def test_indexing_twice_keeps_one_row(make_article: MakeArticle) -> None:
    """search_index_article on the same article twice: one row, one result."""
    article = make_article("Seal pups counted on the sandbank", ["A record year."])
    search_index_article(article=article)
    assert get_backend().document_count() == 1
    assert search_articles(query="seal", now=NOW).total == 1


def test_reindex_is_idempotent_and_complete(make_article: MakeArticle) -> None:
    """Articles never indexed are picked up; a second run changes nothing."""
    for n in range(3):
        make_article(f"Exports rise for month {n}", ["Trade grew."], index=False)
    assert search_articles(query="exports", now=NOW).total == 0

    assert search_reindex(batch_size=2) == 3
    first = [r.article.pk for r in search_articles(query="exports", now=NOW).results]
    assert search_reindex(batch_size=2) == 3
    second = [r.article.pk for r in search_articles(query="exports", now=NOW).results]

    assert len(first) == 3
    assert first == second
    assert get_backend().document_count() == Article.objects.count() == 3


def test_reindex_picks_up_changed_text(make_article: MakeArticle) -> None:
    """Re-indexing an edited article replaces its old words."""
    article = make_article("Lighthouse keeper retires", ["After forty years."])
    article.title = "Lighthouse keeper stays on"
    article.save()
    search_index_article(article=article)
    assert search_articles(query="retires", now=NOW).total == 0
    assert search_articles(query="stays", now=NOW).total == 1


def test_deleted_articles_are_never_found_and_pruned(make_article: MakeArticle) -> None:
    """A deleted article's row is skipped by search and removed by reindex."""
    gone = make_article("Film festival opens", ["Crowds gathered."])
    kept = make_article("Film festival closes", ["Prizes given."])
    Article.objects.filter(pk=gone.pk).delete()

    assert [r.article.pk for r in search_articles(query="film", now=NOW).results] == [
        kept.pk
    ]
    assert search_articles(query="film", now=NOW).total == 1
    assert get_backend().document_count() == 2
    search_reindex()
    assert get_backend().document_count() == 1


def test_unindex(make_article: MakeArticle) -> None:
    """search_unindex_article removes the row; removing again is harmless."""
    article = make_article("Teachers pay deal agreed", ["Unions accept."])
    search_unindex_article(article_id=article.pk)
    search_unindex_article(article_id=article.pk)
    assert search_articles(query="teachers", now=NOW).total == 0


def test_summary_stands_in_for_a_missing_body(make_article: MakeArticle) -> None:
    """An article without paragraphs is found by its summary."""
    article = make_article("Robotics firm expands", [], index=False)
    article.summary = "Brightwell opens a second factory."
    article.save()
    search_index_article(article=article)
    assert search_articles(query="factory", now=NOW).total == 1
