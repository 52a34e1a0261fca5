"""Writes to the search index: one article, or all of them.

The index is kept in step explicitly: ``article_ingest`` calls
``search_index_article`` right after storing an article, and ``search_reindex``
rebuilds everything (after an import, a restore, or a change of tokenizer).
"""

from __future__ import annotations

import logging

from django.db import transaction

from cupure.articles.models import Article

from .backends import IndexedText, get_backend
from .snippets import document_text

log = logging.getLogger(__name__)

# Articles are read and indexed in batches of this size: bounded memory at any scale,
# and one executemany per batch instead of one statement per article.
REINDEX_BATCH = 500


def _indexed_text(article: Article) -> IndexedText:
    """Headline and body (the standfirst first) as the index holds them; the
    summary stands in for an article whose body could not be extracted."""
    text = [article.standfirst, *(article.paragraphs or [])]
    body = "\n\n".join(p for p in text if p) or article.summary
    return IndexedText(
        article_id=article.pk,
        title=document_text(article.title),
        body=document_text(body),
    )


def search_index_article(*, article: Article) -> None:
    """Add or replace ``article`` in the search index. Idempotent."""
    with transaction.atomic(savepoint=False):
        get_backend().index([_indexed_text(article)])


@transaction.atomic
def search_unindex_article(*, article_id: int) -> None:
    """Remove an article from the search index (nothing happens if it is absent)."""
    get_backend().remove([article_id])


def search_reindex(*, batch_size: int = REINDEX_BATCH) -> int:
    """Index every article and drop rows of deleted ones; return how many indexed.

    Idempotent: running it twice leaves the same index. Each batch is its own
    transaction, so a long rebuild never holds the write lock for long.
    """
    backend = get_backend()
    with transaction.atomic():
        pruned = backend.prune()
    articles = Article.objects.only(
        "pk", "title", "standfirst", "paragraphs", "summary"
    ).order_by("pk")
    indexed = 0
    batch: list[IndexedText] = []
    for article in articles.iterator(chunk_size=batch_size):
        batch.append(_indexed_text(article))
        if len(batch) >= batch_size:
            with transaction.atomic():
                backend.index(batch)
            indexed += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            backend.index(batch)
        indexed += len(batch)
    backend.optimize()
    log.info(
        "Search index rebuilt: %d articles indexed, %d stale rows removed",
        indexed,
        pruned,
    )
    return indexed
