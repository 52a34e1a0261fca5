"""Search backends behind one interface, chosen by the database vendor.

- ``SqliteFts5Backend``: the FTS5 table ``search_fts`` (rowid = article id, columns
  title and body), ranked by ``bm25()`` with the headline weighted above the body.
  It is a regular FTS5 table holding its own copy of the text: the body is a JSON list
  on the article, which an external-content table cannot read, and a copy lets
  ``snippet()`` work and the indexing service replace a row by rowid alone.
- ``PostgresBackend``: the table ``search_document`` with a weighted ``tsvector``
  (headline A, body B) under a GIN index, queried with ``SearchQuery``/``SearchRank``/
  ``SearchHeadline``.

Both are written only by the indexing service (``search.services``), never by
triggers, and both compute the score of ``search.ranking`` in SQL so the database
sorts and pages. Every result joins ``articles_article``: a row whose article is gone
is never returned.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Value,
)
from django.db.models.functions import Greatest

from cupure.articles.models import Article

from . import ranking
from .errors import SearchUnavailable
from .query import ParsedQuery, to_fts5, to_tsquery
from .snippets import ELLIPSIS, MARK_END, MARK_START

# A snippet is about this many words of the body around the best match: two lines
# of a result card.
SNIPPET_WORDS = 30
# PostgreSQL's text search configuration: English stemming and stop words, the
# counterpart of FTS5's porter tokenizer.
POSTGRES_CONFIG = "english"


@dataclass(frozen=True)
class IndexedText:
    """What the index holds for one article (already cleaned by document_text)."""

    article_id: int
    title: str
    body: str


@dataclass(frozen=True)
class SearchFilters:
    """Which articles may match. ``since`` is inclusive, ``until`` exclusive."""

    publisher_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    # Copies of another article are shown on their original, except when a reader
    # asks for one publisher's articles (that publisher did publish the copy).
    originals_only: bool = True


@dataclass(frozen=True)
class Hit:
    """One matching article: its scores and its marked-up title and snippet."""

    article_id: int
    relevance: float
    score: float
    title_marked: str = ""
    snippet_marked: str = ""


class SearchBackend(abc.ABC):
    """The interface every search backend offers."""

    vendor: str

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    @abc.abstractmethod
    def index(self, documents: Sequence[IndexedText]) -> None:
        """Add or replace these articles' rows (idempotent)."""

    @abc.abstractmethod
    def remove(self, article_ids: Iterable[int]) -> None:
        """Drop these articles' rows, if any."""

    @abc.abstractmethod
    def prune(self) -> int:
        """Drop rows whose article no longer exists; return how many."""

    @abc.abstractmethod
    def optimize(self) -> None:
        """Tidy the index after a bulk rebuild (merge segments, refresh statistics)."""

    @abc.abstractmethod
    def document_count(self) -> int:
        """How many rows the index holds."""

    @abc.abstractmethod
    def count(self, query: ParsedQuery, filters: SearchFilters) -> int:
        """How many articles match."""

    @abc.abstractmethod
    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters,
        *,
        now: datetime,
        limit: int,
        offset: int,
    ) -> list[Hit]:
        """One page of matches, best score first, with title and snippet marked."""


class SqliteFts5Backend(SearchBackend):
    """SQLite FTS5: ``bm25()`` relevance, ``highlight()``/``snippet()`` marks."""

    vendor = "sqlite"
    table = "search_fts"

    def _filters_sql(self, filters: SearchFilters) -> tuple[str, list[object]]:
        ops = self.connection.ops
        sql, params = [], []
        if filters.publisher_id is not None:
            sql.append("a.publisher_id = %s")
            params.append(filters.publisher_id)
        if filters.since is not None:
            sql.append("a.published >= %s")
            params.append(ops.adapt_datetimefield_value(filters.since))
        if filters.until is not None:
            sql.append("a.published < %s")
            params.append(ops.adapt_datetimefield_value(filters.until))
        if filters.originals_only:
            sql.append("a.duplicate_of_id IS NULL")
        return "".join(f" AND {clause}" for clause in sql), params

    def _from_sql(self) -> str:
        return (
            f"FROM {self.table} JOIN {Article._meta.db_table} a "
            f"ON a.id = {self.table}.rowid WHERE {self.table} MATCH %s"
        )

    def index(self, documents: Sequence[IndexedText]) -> None:
        if not documents:
            return
        with self.connection.cursor() as cursor:
            self._delete(cursor, [d.article_id for d in documents])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [(d.article_id, d.title, d.body) for d in documents],
            )

    def _delete(self, cursor, article_ids: list[int]) -> None:
        cursor.executemany(
            "DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in article_ids]
        )

    def remove(self, article_ids: Iterable[int]) -> None:
        with self.connection.cursor() as cursor:
            self._delete(cursor, list(article_ids))

    def prune(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid NOT IN "
                "(SELECT id FROM articles_article)"
            )
            return max(cursor.rowcount, 0)

    def optimize(self) -> None:
        # Merges the index's b-trees into one: fewer segments to read per query.
        with self.connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    def document_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            return int(cursor.fetchone()[0])

    def count(self, query: ParsedQuery, filters: SearchFilters) -> int:
        where, params = self._filters_sql(filters)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) {self._from_sql()}{where}",
                [to_fts5(query), *params],
            )
            return int(cursor.fetchone()[0])

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters,
        *,
        now: datetime,
        limit: int,
        offset: int,
    ) -> list[Hit]:
        match = to_fts5(query)
        where, params = self._filters_sql(filters)
        # bm25() is "lower is better" (negative); its negation is the relevance.
        relevance = f"(-bm25({self.table}, %s, %s))"
        age = "max(julianday(%s) - julianday(a.published), 0.0)"
        half_life = ranking.RECENCY_HALF_LIFE_DAYS
        floor = ranking.RECENCY_FLOOR
        score = (
            f"{relevance} * ({floor!r} + {1.0 - floor!r} * "
            f"{half_life!r} / ({half_life!r} + {age}))"
        )
        weights = [ranking.HEADLINE_WEIGHT, ranking.BODY_WEIGHT]
        now_param = self.connection.ops.adapt_datetimefield_value(now)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.id, {relevance}, {score} AS score {self._from_sql()}{where} "
                "ORDER BY score DESC, a.published DESC, a.id DESC LIMIT %s OFFSET %s",
                [*weights, *weights, now_param, match, *params, limit, offset],
            )
            ranked = cursor.fetchall()
            if not ranked:
                return []
            ids = [row[0] for row in ranked]
            # Marks for this page only: snippet() reads the row's text, which is
            # worth doing for twenty rows, not for every match before the sort.
            cursor.execute(
                # Only placeholders are interpolated: values go as parameters.
                "SELECT rowid, highlight(search_fts, 0, %s, %s), "  # noqa: S608
                "snippet(search_fts, 1, %s, %s, %s, %s) FROM search_fts "
                "WHERE search_fts MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [
                    MARK_START,
                    MARK_END,
                    MARK_START,
                    MARK_END,
                    ELLIPSIS,
                    SNIPPET_WORDS,
                    match,
                    *ids,
                ],
            )
            marks = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        return [
            Hit(
                article_id=article_id,
                relevance=float(rel),
                score=float(score_value),
                title_marked=marks.get(article_id, ("", ""))[0],
                snippet_marked=marks.get(article_id, ("", ""))[1],
            )
            for article_id, rel, score_value in ranked
        ]


# Longer bodies are indexed by their beginning: a tsvector is capped at 1 MB, and
# past this point lie no snippets a reader wants.
POSTGRES_MAX_BODY_CHARS = 200_000
# ts_rank's normalization 1 divides by 1 + log(document length): a long article
# mentioning a word in passing does not outrank a short one about it.
POSTGRES_RANK_NORMALIZATION = 1
# ts_rank's weights for the labels D, C, B, A; only B (body) and A (headline) are used.
POSTGRES_RANK_WEIGHTS = [0.0, 0.0, ranking.BODY_WEIGHT, ranking.HEADLINE_WEIGHT]


class _EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class PostgresBackend(SearchBackend):
    """PostgreSQL full text: weighted tsvector + GIN, ``ts_rank``, ``ts_headline``."""

    vendor = "postgresql"
    table = "search_document"

    def index(self, documents: Sequence[IndexedText]) -> None:
        if not documents:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_document (article_id, title, body, vector) "
                "VALUES (%s, %s, %s, "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B')) "
                "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, "
                "body = EXCLUDED.body, vector = EXCLUDED.vector",
                [
                    (
                        d.article_id,
                        d.title,
                        d.body[:POSTGRES_MAX_BODY_CHARS],
                        POSTGRES_CONFIG,
                        d.title,
                        POSTGRES_CONFIG,
                        d.body[:POSTGRES_MAX_BODY_CHARS],
                    )
                    for d in documents
                ],
            )

    def remove(self, article_ids: Iterable[int]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document WHERE article_id = ANY(%s)",
                [list(article_ids)],
            )

    def prune(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_document d WHERE NOT EXISTS (SELECT 1 FROM "
                "articles_article a WHERE a.id = d.article_id)"
            )
            return max(cursor.rowcount, 0)

    def optimize(self) -> None:
        # After a bulk load the planner's row estimates are stale until autovacuum
        # runs; without them it may scan every article instead of the GIN index.
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE articles_article")

    def document_count(self) -> int:
        from .models import SearchDocument

        return SearchDocument.objects.count()

    def _matches(self, query: ParsedQuery, filters: SearchFilters):
        from .models import SearchDocument

        tsquery = SearchQuery(
            to_tsquery(query), search_type="raw", config=POSTGRES_CONFIG
        )
        # Filtering on a column of the article joins it: orphan rows drop out.
        documents = SearchDocument.objects.filter(
            vector=tsquery, article__published__isnull=False
        )
        if filters.publisher_id is not None:
            documents = documents.filter(article__publisher_id=filters.publisher_id)
        if filters.since is not None:
            documents = documents.filter(article__published__gte=filters.since)
        if filters.until is not None:
            documents = documents.filter(article__published__lt=filters.until)
        if filters.originals_only:
            documents = documents.filter(article__duplicate_of__isnull=True)
        return documents, tsquery

    def count(self, query: ParsedQuery, filters: SearchFilters) -> int:
        documents, _ = self._matches(query, filters)
        return documents.count()

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters,
        *,
        now: datetime,
        limit: int,
        offset: int,
    ) -> list[Hit]:
        documents, tsquery = self._matches(query, filters)
        age_days = Greatest(
            _EpochSeconds(
                ExpressionWrapper(
                    Value(now, output_field=DateTimeField()) - F("article__published"),
                    output_field=DurationField(),
                )
            )
            / Value(86400.0),
            Value(0.0),
            output_field=FloatField(),
        )
        half_life = Value(ranking.RECENCY_HALF_LIFE_DAYS)
        recency = Value(ranking.RECENCY_FLOOR) + Value(
            1.0 - ranking.RECENCY_FLOOR
        ) * half_life / (half_life + age_days)
        ranked = list(
            documents.annotate(
                relevance=SearchRank(
                    F("vector"),
                    tsquery,
                    weights=POSTGRES_RANK_WEIGHTS,
                    normalization=Value(POSTGRES_RANK_NORMALIZATION),
                )
            )
            .annotate(
                score=ExpressionWrapper(
                    F("relevance") * recency, output_field=FloatField()
                )
            )
            .order_by("-score", "-article__published", "-article_id")
            .values_list("article_id", "relevance", "score")[offset : offset + limit]
        )
        if not ranked:
            return []
        ids = [row[0] for row in ranked]
        marks = {
            row[0]: (row[1], row[2])
            for row in documents.filter(article_id__in=ids)
            .annotate(
                title_marked=SearchHeadline(
                    "title",
                    tsquery,
                    config=POSTGRES_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    highlight_all=True,
                ),
                snippet_marked=SearchHeadline(
                    "body",
                    tsquery,
                    config=POSTGRES_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=f" {ELLIPSIS} ",
                ),
            )
            .values_list("article_id", "title_marked", "snippet_marked")
        }
        return [
            Hit(
                article_id=article_id,
                relevance=float(relevance),
                score=float(score),
                title_marked=marks.get(article_id, ("", ""))[0],
                snippet_marked=marks.get(article_id, ("", ""))[1],
            )
            for article_id, relevance, score in ranked
        ]


BACKENDS: dict[str, type[SearchBackend]] = {
    SqliteFts5Backend.vendor: SqliteFts5Backend,
    PostgresBackend.vendor: PostgresBackend,
}


def get_backend(connection: BaseDatabaseWrapper | None = None) -> SearchBackend:
    """The backend for this database connection (the default one unless given)."""
    connection = connection or default_connection
    backend = BACKENDS.get(connection.vendor)
    if backend is None:
        raise SearchUnavailable(
            f"Search needs SQLite (with FTS5) or PostgreSQL; this database is "
            f"{connection.vendor}. Set CUPURE_DATABASE_URL to one of those."
        )
    return backend(connection)
