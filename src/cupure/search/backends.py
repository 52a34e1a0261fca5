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
sorts and pages. Every result's article exists: a row whose article is gone is never
returned (the matches are joined to their articles, and candidates are chosen from
joined rows).

Common words and short prefixes match a large share of the archive, and scoring a
match costs per match (its positions are read, its vector decompressed). So
``count`` can stop at a limit, and ``search`` can rank a bounded set of
*candidates* instead of every match: the N most recently stored matches plus the N
most recently stored headline matches, both found newest first without scoring
anything, and the first by the count's own walk (kept per backend instance, which a
search lives as long as). "Most recently stored" is the highest article ids: ingest
stores articles as their publishers publish them, so for a running site it is the
newest published, and it is an order both databases can read from an index without
sorting. (An old archive imported late counts as recent here; ranking still dates
it by publication.) The recency blend favours the first set, and the headline
weight the second (a strong old match is a headline match). The selector chooses N
(``SEARCH_CANDIDATES``) and says how close it comes to ranking every match.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
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
        # The newest matches found for a query, by what found them: a search
        # right after its count takes its candidates from there instead of
        # finding them again. A backend instance lives for one search.
        self._newest: dict[Hashable, tuple[int, list[int]]] = {}

    def _remembered(
        self, key: Hashable, count: int, find: Callable[[int], list[int]]
    ) -> list[int]:
        """``find(count)``, or the first ``count`` of an earlier, longer answer for
        ``key``."""
        asked, ids = self._newest.get(key, (0, []))
        if asked >= count:
            return ids[:count]
        ids = find(count)
        self._newest[key] = (count, ids)
        return ids

    def _filters_sql(self, filters: SearchFilters) -> tuple[str, list[object]]:
        """The filters as ``AND`` clauses on the article table aliased ``a``."""
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
        if limit is not None:
            # Newest first, stopping at the limit: the same walk finds the bound
            # of the candidates (search()), so it is kept.
            return len(self._newest_ids(to_fts5(query), filters, limit))
        where, params = self._filters_sql(filters)
        with self.connection.cursor() as cursor:
            cursor.execute(
                # Only placeholders and our own SQL are interpolated.
                f"SELECT count(*) {self._from_sql()}{where}",
                [to_fts5(query), *params],
            )
            return int(cursor.fetchone()[0])

    def _newest_ids(self, match: str, filters: SearchFilters, count: int) -> list[int]:
        """The ids of the ``count`` most recently stored articles that match and pass
        the filters, newest first (fewer if fewer match).

        FTS5 yields its matches in rowid order, newest first when asked, and stops
        at the LIMIT: only those matches' articles are looked up, nothing scored.
        """
        return self._remembered(
            (match, filters), count, lambda n: self._newest_found(match, filters, n)
        )

    def _newest_found(
        self, match: str, filters: SearchFilters, count: int
    ) -> list[int]:
        where, params = self._filters_sql(filters)
        table = self.table
        with self.connection.cursor() as cursor:
            cursor.execute(
                # Only our table name and placeholders are interpolated.
                f"SELECT {table}.rowid {self._from_sql()}{where} "
                f"ORDER BY {table}.rowid DESC LIMIT %s",
                [match, *params, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def _candidates_sql(
        self, query: ParsedQuery, filters: SearchFilters, count: int
    ) -> tuple[str, list[object]]:
        """``AND`` clauses keeping only the candidates: the ``count`` most recently
        stored matches and the ``count`` most recently stored headline matches.

        Both are found newest first without scoring (``_newest_ids``, the first
        by the count before). The ranking then reads one rowid range, which FTS5
        seeks directly: from the oldest candidate on, keeping a match older than
        the newest ``count`` only if it is a headline candidate.
        """
        match, headline_match = to_fts5(query), to_fts5(query, column="title")
        newest_ids = self._newest_ids(match, filters, count)
        if len(newest_ids) < count:
            return "", []
        table, newest = self.table, newest_ids[-1]
        headline_ids = self._newest_ids(headline_match, filters, count)
        first_headline = headline_ids[-1] if headline_ids else newest
        if first_headline >= newest:
            return f" AND {table}.rowid >= %s", [newest]
        # The unary + keeps the FTS5 scan one pass over the range's matches,
        # membership tested per row, instead of one index seek per headline
        # match (about 0.1 ms each).
        return (
            # Only our table name and placeholders are interpolated.
            f" AND {table}.rowid >= %s AND ({table}.rowid >= %s OR "  # noqa: S608
            f"+{table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s "
            "AND rowid >= %s))",
            [first_headline, newest, headline_match, first_headline],
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
        age = "max(julianday(%s) - julianday(published), 0.0)"
        half_life = ranking.RECENCY_HALF_LIFE_DAYS
        floor = ranking.RECENCY_FLOOR
        score = (
            f"relevance * ({floor!r} + {1.0 - floor!r} * "
            f"{half_life!r} / ({half_life!r} + {age}))"
        )
        weights = [ranking.HEADLINE_WEIGHT, ranking.BODY_WEIGHT]
        now_param = self.connection.ops.adapt_datetimefield_value(now)
        with self.connection.cursor() as cursor:
            cursor.execute(
                # The matches with bm25() computed once each (a subquery with a
                # LIMIT is not merged into the outer query, which would compute it
                # again for the score), then scored and sorted.
                f"SELECT id, relevance, {score} AS score FROM (SELECT a.id AS id, "  # noqa: S608
                f"a.published AS published, -bm25({self.table}, %s, %s) AS "
                f"relevance {self._from_sql()}{where} LIMIT -1) "
                "ORDER BY score DESC, published DESC, id DESC LIMIT %s OFFSET %s",
                [now_param, *weights, match, *params, limit, offset],
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


# A row of search_document aliased ``d`` matches a tsquery (parameters: config,
# query) by its weighted vector...
_POSTGRES_MATCH = "d.vector @@ to_tsquery(%s::regconfig, %s)"
# ...and its headline does by this expression, the one the GIN index
# search_document_title_gin (migration 0002) is built on.
_POSTGRES_HEADLINE_MATCH = (
    f"to_tsvector('{POSTGRES_CONFIG}'::regconfig, d.title) "
    "@@ to_tsquery(%s::regconfig, %s)"
)
# How the newest matches of a query are found (``PostgresBackend._newest_ids``),
# by the share of the index the planner expects it to match. From this share on,
# by walking the ids down and testing each row (about 3 µs a row, the vector
# decompressed), which finds N matches within about N ÷ share rows; below it, by
# intersecting the GIN index's entries for the query (about 0.3 µs a match) with a
# window of the newest ids, widened until it holds N.
POSTGRES_WALK_MIN_SHARE = 0.3
# The first window is made to hold this many times the matches wanted.
POSTGRES_WINDOW_MARGIN = 2.0
# Each next window is this many times wider.
POSTGRES_WINDOW_GROWTH = 4
# The filters are tested on the window's newest ids in steps of the count wanted
# plus a 1/N share (about 6% of articles are copies, left out by default).
POSTGRES_FILTER_SLACK = 10


class _EpochSeconds(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class PostgresBackend(SearchBackend):
    """PostgreSQL full text: weighted tsvector + GIN, ``ts_rank``, ``ts_headline``."""

    vendor = "postgresql"
    table = "search_document"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        super().__init__(connection)
        # How many rows the index holds and its highest article id, read once
        # per search (``_size``).
        self._size_read: tuple[float, int] | None = None

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
        # A bulk load leaves entries in the GIN indexes' pending lists, which every
        # query reads one by one until autovacuum merges them: merge them now.
        # And the planner's row estimates are stale until autovacuum runs; without
        # them it may scan every article instead of the GIN index.
        with self.connection.cursor() as cursor:
            for index in ("search_document_vector_gin", "search_document_title_gin"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
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
        # Newest first, stopping at the limit: the candidates of search() are found
        # by the same walk, so it is kept.
        match = [POSTGRES_CONFIG, to_tsquery(query)]
        return len(self._newest_ids(_POSTGRES_MATCH, match, filters, limit))

    def _newest_ids(
        self,
        condition: str,
        params: list[object],
        filters: SearchFilters,
        count: int,
    ) -> list[int]:
        """The ids of the ``count`` most recently stored articles whose row meets
        ``condition`` (on search_document ``d``) and that pass the filters, newest
        first (fewer if fewer match); kept for a second call with the same
        arguments (a count, then a search)."""
        return self._remembered(
            (condition, tuple(params), filters),
            count,
            lambda n: self._newest_found(condition, params, filters, n),
        )

    def _newest_found(
        self,
        condition: str,
        params: list[object],
        filters: SearchFilters,
        count: int,
    ) -> list[int]:
        expected = self._estimate(condition, params)
        total, top = self._size()
        if expected >= total * POSTGRES_WALK_MIN_SHARE:
            return self._newest_walking(condition, params, filters, count)
        span = int(count * total / max(expected, 1.0) * POSTGRES_WINDOW_MARGIN)
        while True:
            ids = self._newest_in_window(
                condition, params, filters, count, after=top - span
            )
            if len(ids) >= count or top - span <= 0:
                return ids
            span *= POSTGRES_WINDOW_GROWTH

    def _estimate(self, condition: str, params: list[object]) -> float:
        """How many rows the planner expects ``condition`` to match (from the
        statistics ANALYZE keeps: frequent lexemes are counted)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                # Only our own SQL; values go as parameters.
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document d "  # noqa: S608
                f"WHERE {condition}",
                params,
            )
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def _size(self) -> tuple[float, int]:
        """How many rows the index holds, and the highest article id in it."""
        if self._size_read is None:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples, (SELECT max(article_id) FROM search_document) "
                    "FROM pg_class WHERE oid = 'search_document'::regclass"
                )
                rows, top = cursor.fetchone()
            # reltuples is -1 before the table's first ANALYZE: the ids stand in.
            total = float(rows) if rows and rows > 0 else float(top or 0)
            self._size_read = (total, int(top or 0))
        return self._size_read

    def _newest_walking(
        self,
        condition: str,
        params: list[object],
        filters: SearchFilters,
        count: int,
    ) -> list[int]:
        """Newest matches of a common query: down the primary key, each row tested,
        until ``count`` pass."""
        where, filter_params = self._filters_sql(filters)
        return self._ids(
            # Only our own SQL; values go as parameters.
            "SELECT d.article_id FROM search_document d "  # noqa: S608
            f"JOIN articles_article a ON a.id = d.article_id WHERE {condition}"
            f"{where} ORDER BY d.article_id DESC LIMIT %s",
            [*params, *filter_params, count],
        )

    def _ids(self, sql: str, params: list[object]) -> list[int]:
        """The first column of what ``sql`` selects."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _newest_in_window(
        self,
        condition: str,
        params: list[object],
        filters: SearchFilters,
        count: int,
        *,
        after: int,
    ) -> list[int]:
        """Newest matches among the rows with an id above ``after``: the GIN index
        and the primary key's range intersected as bitmaps, so that only the
        rows in both are read; then the filters, on those articles only.

        The planner would rather walk the key's range and test every row (it
        does not count what decompressing a vector costs), so for this one
        statement it is told not to use plain index scans.
        """
        with (
            transaction.atomic(using=self.connection.alias),
            self.connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                # Only our own SQL; values go as parameters.
                "SELECT d.article_id FROM search_document d "  # noqa: S608
                f"WHERE {condition} AND d.article_id > %s",
                [*params, after],
            )
            window = [row[0] for row in cursor.fetchall()]
            # SET LOCAL lasts to the end of an enclosing transaction.
            cursor.execute("SET LOCAL enable_indexscan TO DEFAULT")
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        # The filters, on the newest of the window first: PostgreSQL 15 reads every
        # id of an ``= ANY`` list before it sorts and stops, and a window may hold
        # several times the ids wanted.
        window.sort(reverse=True)
        where, filter_params = self._filters_sql(filters)
        step = count + count // POSTGRES_FILTER_SLACK + 1
        kept: list[int] = []
        for start in range(0, len(window), step):
            kept += self._ids(
                # Only our own SQL; values go as parameters.
                "SELECT a.id FROM articles_article a "  # noqa: S608
                f"WHERE a.id = ANY(%s){where} ORDER BY a.id DESC",
                [window[start : start + step], *filter_params],
            )
            if len(kept) >= count:
                break
        return kept[:count]

    def _candidate_ids(
        self, query: ParsedQuery, filters: SearchFilters, count: int
    ) -> list[int] | None:
        """The ids of the ``count`` most recently stored matches and of the
        ``count`` most recently stored headline matches (required terms in the
        headline, through the GIN index on headlines); None when fewer than
        ``count`` match at all (then every match is ranked).

        A headline holding the required terms makes its row match them too (the
        vector holds the headline), so only an excluded term needs the vector
        tested as well.
        """
        match = [POSTGRES_CONFIG, to_tsquery(query)]
        newest = self._newest_ids(_POSTGRES_MATCH, match, filters, count)
        if len(newest) < count:
            return None
        headline, headline_params = (
            _POSTGRES_HEADLINE_MATCH,
            [POSTGRES_CONFIG, to_tsquery(query.required)],
        )
        if query.excluded:
            headline = f"{headline} AND {_POSTGRES_MATCH}"
            headline_params += match
        headlines = self._newest_ids(headline, headline_params, filters, count)
        return sorted(set(newest) | set(headlines))

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
        ranked_documents, published = documents, F("article__published")
        chosen = (
            self._candidate_ids(query, filters, candidates)
            if candidates is not None
            else None
        )
        if chosen is not None:
            # The candidates match and pass the filters already, and their rows
            # carry their article's date: no article is joined. One array
            # parameter, not one placeholder per candidate.
            ranked_documents = SearchDocument.objects.filter(
                RawSQL(
                    "search_document.article_id = ANY(%s)",
                    [chosen],
                    output_field=BooleanField(),
                ),
                published__isnull=False,
            )
            published = F("published")
        age_days = Greatest(
            _EpochSeconds(
                ExpressionWrapper(
                    Value(now, output_field=DateTimeField()) - published,
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
            .order_by("-score", published.desc(), "-article_id")
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
