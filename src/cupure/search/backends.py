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

Common words and short prefixes match a large share of the archive, and scoring a
match costs per match (its positions are read, its article joined). So ``count``
can stop at a limit, and ``search`` can rank a bounded set of *candidates* instead
of every match: the newest N matches plus the newest N headline matches, both found
without scoring anything. The recency blend favours the first, and the headline
weight the second (a strong old match is a headline match). On the benchmark's 100k
articles, for the 225 of 1,000 queries with more than 1,000 matches, ranking 1,000 +
1,000 candidates gives the best result that ranking every match gives, every time,
and 99.9% (SQLite) / 98.7% (PostgreSQL) of the first twenty.
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
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest

from cupure.articles.models import Article

from . import ranking
from .errors import SearchUnavailable
from .query import ParsedQuery, to_fts5, to_tsquery
from .snippets import ELLIPSIS, MARK_END, MARK_START

# A snippet is about this many words of the body around the best match: two lines
# of a result card.
SNIPPET_WORDS = 30
# When asked for candidates, SQLite still ranks a set of at most this many matches
# whole: bm25 and the article join cost about 4 µs a match, as much as finding and
# ranking the candidates near 8,000 of 100k articles.
SQLITE_RANK_ALL_MAX = 8000
# The newest N of a match set are found by looking up each match's article and
# sorting (about 2 µs a match) up to this many matches, and past it by walking the
# ``published`` index until N are found (about N × archive ÷ matches entries at
# 0.4 µs): the two cost the same near 4,000 of 100k articles, N = 1,000.
SQLITE_WALK_MIN = 4000
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
    def count(
        self, query: ParsedQuery, filters: SearchFilters, *, limit: int | None = None
    ) -> int:
        """How many articles match, counting no further than ``limit`` if given."""

    @abc.abstractmethod
    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters,
        *,
        now: datetime,
        limit: int,
        offset: int,
        candidates: int | None = None,
    ) -> list[Hit]:
        """One page of matches, best score first, with title and snippet marked.

        With ``candidates``, only the newest ``candidates`` matches and the newest
        ``candidates`` headline matches (required terms in the headline) are
        ranked; meant for a query known to match more than that many articles.
        """


class SqliteFts5Backend(SearchBackend):
    """SQLite FTS5: ``bm25()`` relevance, ``highlight()``/``snippet()`` marks."""

    vendor = "sqlite"
    table = "search_fts"

    def _filters_sql(
        self, filters: SearchFilters, alias: str = "a"
    ) -> tuple[str, list[object]]:
        """The filters as ``AND`` clauses on the article table aliased ``alias``."""
        ops = self.connection.ops
        sql, params = [], []
        if filters.publisher_id is not None:
            sql.append(f"{alias}.publisher_id = %s")
            params.append(filters.publisher_id)
        if filters.since is not None:
            sql.append(f"{alias}.published >= %s")
            params.append(ops.adapt_datetimefield_value(filters.since))
        if filters.until is not None:
            sql.append(f"{alias}.published < %s")
            params.append(ops.adapt_datetimefield_value(filters.until))
        if filters.originals_only:
            sql.append(f"{alias}.duplicate_of_id IS NULL")
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

    def count(
        self, query: ParsedQuery, filters: SearchFilters, *, limit: int | None = None
    ) -> int:
        where, params = self._filters_sql(filters)
        matches = f"SELECT 1 {self._from_sql()}{where}"
        if limit is not None:
            # The join stops at the limit instead of visiting every match.
            matches += " LIMIT %s"
            params.append(limit)
        with self.connection.cursor() as cursor:
            cursor.execute(
                # Only placeholders and our own SQL are interpolated.
                f"SELECT count(*) FROM ({matches})",  # noqa: S608
                [to_fts5(query), *params],
            )
            return int(cursor.fetchone()[0])

    def _match_counts(self, matches: Sequence[str], limit: int) -> list[int]:
        """How many rows each FTS5 expression matches, counting at most ``limit``;
        from the index alone (no article read, nothing scored), in one statement."""
        # Only our table name is interpolated; values go as parameters.
        one = (
            f"(SELECT count(*) FROM (SELECT 1 FROM {self.table} "  # noqa: S608
            f"WHERE {self.table} MATCH %s LIMIT %s))"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join([one] * len(matches)),
                [value for match in matches for value in (match, limit)],
            )
            return [int(n) for n in cursor.fetchone()]

    def _newest_sql(
        self, match: str, filters: SearchFilters, count: int, matches: int
    ) -> tuple[str, list[object]]:
        """A subquery: ids of the newest ``count`` articles matching ``match``
        (``matches`` rows, as far as counted), no match scored.

        Two plans, forced by the SQL's shape since SQLite cannot tell how many rows
        a MATCH yields. Up to SQLITE_WALK_MIN matches, each match's article is
        looked up (CROSS JOIN fixes that order) and the lot sorted by date. Past it,
        the ``published`` index is walked from the newest article down, keeping
        those in the match set until ``count`` are kept: about ``count`` × archive
        ÷ ``matches`` index entries (the unary ``+`` forbids the lookup plan).
        """
        where, params = self._filters_sql(filters, alias="c")
        article, table = Article._meta.db_table, self.table
        in_match = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
        if matches > SQLITE_WALK_MIN:
            source = f"{article} c WHERE +c.id IN ({in_match})"
        else:
            source = f"({in_match}) m CROSS JOIN {article} c ON c.id = m.rowid WHERE 1"
        return (
            # Only our table names and placeholders are interpolated.
            f"SELECT c.id FROM {source}{where} "  # noqa: S608
            "ORDER BY c.published DESC LIMIT %s",
            [match, *params, count],
        )

    def _candidates_sql(
        self, query: ParsedQuery, filters: SearchFilters, count: int
    ) -> tuple[str, list[object]]:
        """An ``AND`` clause keeping only the candidates (the newest ``count``
        matches and the newest ``count`` headline matches), or none at all.

        A set of at most SQLITE_RANK_ALL_MAX matches is kept whole: ranking it
        costs less than finding its newest.
        """
        match, headline_match = to_fts5(query), to_fts5(query, column="title")
        matches, headlines = self._match_counts(
            [match, headline_match], max(SQLITE_RANK_ALL_MAX, SQLITE_WALK_MIN) + 1
        )
        if matches <= SQLITE_RANK_ALL_MAX:
            return "", []
        newest, params = self._newest_sql(match, filters, count, matches)
        if headlines <= count:
            table = self.table
            headline = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
            params += [headline_match]
        else:
            headline, headline_params = self._newest_sql(
                headline_match, filters, count, headlines
            )
            params += headline_params
        # The unary + keeps the FTS5 scan one pass over the matches, membership
        # tested per row, instead of one index seek per candidate (slow: ~0.1 ms).
        return (
            f" AND (+{self.table}.rowid IN ({newest}) "
            f"OR +{self.table}.rowid IN ({headline}))",
            params,
        )

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters,
        *,
        now: datetime,
        limit: int,
        offset: int,
        candidates: int | None = None,
    ) -> list[Hit]:
        match = to_fts5(query)
        where, params = self._filters_sql(filters)
        if candidates is not None:
            scope, scope_params = self._candidates_sql(query, filters, candidates)
            where += scope
            params += scope_params
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


# A row matches a tsquery (parameters: config, query) by its weighted vector...
_POSTGRES_MATCH = "vector @@ to_tsquery(%s::regconfig, %s)"
# ...and its headline does by this expression, the one the GIN index
# search_document_title_gin (migration 0002) is built on.
_POSTGRES_HEADLINE_MATCH = (
    f"to_tsvector('{POSTGRES_CONFIG}'::regconfig, title) "
    "@@ to_tsquery(%s::regconfig, %s)"
)


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
            # The article's date is copied in (see SearchDocument.published).
            cursor.executemany(
                "INSERT INTO search_document (article_id, title, body, vector, "
                "published) VALUES (%s, %s, %s, "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B'), "
                "(SELECT published FROM articles_article WHERE id = %s)) "
                "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, "
                "body = EXCLUDED.body, vector = EXCLUDED.vector, "
                "published = EXCLUDED.published",
                [
                    (
                        d.article_id,
                        d.title,
                        d.body[:POSTGRES_MAX_BODY_CHARS],
                        POSTGRES_CONFIG,
                        d.title,
                        POSTGRES_CONFIG,
                        d.body[:POSTGRES_MAX_BODY_CHARS],
                        d.article_id,
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

    def count(
        self, query: ParsedQuery, filters: SearchFilters, *, limit: int | None = None
    ) -> int:
        if limit is None:
            documents, _ = self._matches(query, filters)
            return documents.count()
        where, params = self._filters_sql(filters)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM ("  # noqa: S608
                f"{self._match_ids_sql(_POSTGRES_MATCH)}) m "
                f"JOIN articles_article a ON a.id = m.article_id WHERE TRUE{where} "
                "LIMIT %s) s",
                [POSTGRES_CONFIG, to_tsquery(query), *params, limit],
            )
            return int(cursor.fetchone()[0])

    def _filters_sql(self, filters: SearchFilters) -> tuple[str, list[object]]:
        """The filters as ``AND`` clauses on the article table aliased ``a``."""
        sql, params = [], []
        if filters.publisher_id is not None:
            sql.append("a.publisher_id = %s")
            params.append(filters.publisher_id)
        if filters.since is not None:
            sql.append("a.published >= %s")
            params.append(filters.since)
        if filters.until is not None:
            sql.append("a.published < %s")
            params.append(filters.until)
        if filters.originals_only:
            sql.append("a.duplicate_of_id IS NULL")
        return "".join(f" AND {clause}" for clause in sql), params

    @staticmethod
    def _match_ids_sql(condition: str, *, newest_first: bool = False) -> str:
        """The ids and dates of the rows meeting ``condition``, as a fenced subquery.

        ``OFFSET 0`` keeps the planner from merging it into the outer query, where
        it would rather walk the primary key and test ``@@`` on each row's vector,
        decompressing thousands: fenced, the GIN index yields the matches and the
        outer query joins them to their articles only until its LIMIT is met.
        Sorted by the row's copy of the date, the outer join meets them newest
        first.
        """
        order = " ORDER BY published DESC NULLS LAST" if newest_first else ""
        return (
            "SELECT article_id, published FROM search_document "  # noqa: S608
            f"WHERE {condition}{order} OFFSET 0"
        )

    def _candidates_sql(
        self, query: ParsedQuery, filters: SearchFilters, count: int
    ) -> RawSQL:
        """A subquery: ids of the newest ``count`` matches and of the newest
        ``count`` headline matches (required terms in the headline, through the
        GIN index on headlines).

        Both are ordered by the index row's copy of the article's date: the
        matches' rows are read anyway, while ordering by the article's own date
        would join every match first; the join then runs (for the filters) on the
        newest rows only, until ``count`` pass. A headline holding the required
        terms makes its row match them too (the vector holds the headline), so
        only an excluded term needs the vector tested as well.
        """
        where, filter_params = self._filters_sql(filters)
        match = (_POSTGRES_MATCH, [POSTGRES_CONFIG, to_tsquery(query)])
        headline = (
            _POSTGRES_HEADLINE_MATCH,
            [POSTGRES_CONFIG, to_tsquery(query.required)],
        )
        if query.excluded:
            headline = (f"{headline[0]} AND {match[0]}", headline[1] + match[1])
        parts, params = [], []
        for condition, condition_params in (match, headline):
            ids = self._match_ids_sql(condition, newest_first=True)
            parts.append(
                f"(SELECT m.article_id FROM ({ids}) m "  # noqa: S608
                f"JOIN articles_article a ON a.id = m.article_id WHERE TRUE{where} "
                "ORDER BY m.published DESC NULLS LAST LIMIT %s)"
            )
            params += [*condition_params, *filter_params, count]
        # Our own SQL; every value is a parameter.
        return RawSQL(" UNION ".join(parts), params)  # noqa: S611

    def search(
        self,
        query: ParsedQuery,
        filters: SearchFilters,
        *,
        now: datetime,
        limit: int,
        offset: int,
        candidates: int | None = None,
    ) -> list[Hit]:
        from .models import SearchDocument

        documents, tsquery = self._matches(query, filters)
        ranked_documents = documents
        if candidates is not None:
            # The candidates match and pass the filters already.
            ranked_documents = SearchDocument.objects.filter(
                article_id__in=self._candidates_sql(query, filters, candidates),
                article__published__isnull=False,
            )
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
            ranked_documents.annotate(
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
