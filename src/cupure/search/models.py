"""The PostgreSQL search index, as a model the ORM can query.

Unmanaged: the table exists only on PostgreSQL (migration 0001 creates it there with
its GIN index); on SQLite the index is the FTS5 table ``search_fts`` instead, which no
model describes. The article link has no database constraint and Django does not
cascade to it, so deleting or flushing articles never touches this table on SQLite
(where it does not exist); orphans are skipped by the search join and removed by
``search_reindex``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One article's indexed text and weighted tsvector (headline A, body B)."""

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    title = models.TextField()
    body = models.TextField()
    vector = SearchVectorField()
    # A copy of the article's date, written with the row: the newest matches of a
    # common word are then found from the index rows alone, without joining each
    # match to its article (see PostgresBackend._candidates_sql). Null only on a row
    # whose article is gone.
    published = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "search_document"

    def __str__(self) -> str:
        return self.title
