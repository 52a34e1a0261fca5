"""Storing who said what: each article's quotes, at ingest and on reindex."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from cupure.articles.models import Article

from .extract import quotes_from_paragraphs
from .merge import name_key
from .models import Quote

log = logging.getLogger(__name__)

# ``cupure quotes --reindex`` stores this many articles' quotes per transaction.
REINDEX_BATCH = 200


def _rows(article: Article) -> list[Quote]:
    return [
        Quote(
            article=article,
            position=position,
            text=found.text,
            start=found.start,
            end=found.end,
            paragraph=found.paragraph,
            speaker=found.speaker[:300],
            speaker_key=name_key(found.speaker)[:300],
            role=found.role[:300],
            speaker_kind=found.speaker_kind,
            cue=found.cue[:60],
        )
        for position, found in enumerate(quotes_from_paragraphs(article.paragraphs))
    ]


def article_quotes_store(*, article: Article) -> int:
    """Replace ``article``'s stored quotes by those its paragraphs hold now; return
    how many. Idempotent: a retried ingest stores the same rows."""
    rows = _rows(article)
    Quote.objects.filter(article=article).delete()
    Quote.objects.bulk_create(rows)
    return len(rows)


def article_quotes_ingest(*, article: Article) -> None:
    """The ingest step: store the article's quotes unless CUPURE_QUOTES_AT_INGEST
    is off (then ``cupure quotes --reindex`` fills them in later)."""
    if getattr(settings, "CUPURE_QUOTES_AT_INGEST", True):
        article_quotes_store(article=article)


def quotes_reindex(*, batch_size: int = REINDEX_BATCH) -> int:
    """Recompute every article's quotes; return how many are stored. Each batch is
    its own transaction, so a long run never holds the write lock for long."""
    from cupure.db import write_turn

    stored = 0
    batch: list[Any] = []
    articles = Article.objects.only("pk", "paragraphs").order_by("pk")

    def flush() -> int:
        with write_turn(), transaction.atomic():
            Quote.objects.filter(article__in=batch).delete()
            rows = [row for article in batch for row in _rows(article)]
            Quote.objects.bulk_create(rows)
        return len(rows)

    for article in articles.iterator(chunk_size=batch_size):
        batch.append(article)
        if len(batch) >= batch_size:
            stored += flush()
            batch = []
    if batch:
        stored += flush()
    log.info("Quotes recomputed: %d stored", stored)
    return stored
