"""Search backends behind one interface, chosen by the database vendor.

- ``SqliteFts5Backend``: the FTS5 table ``search_fts`` (rowid = article id, columns
  title and body), ranked by ``bm25()`` with the headline weighted above the body.
  It is a regular FTS5 table holding its own copy of the text: the body is a JSON list
  on the article, which an external-content table cannot read, and a copy lets
  ``snippet()`` work and the indexing service replace a row by rowid alone.
- ``PostgresBackend``: the table ``search_document`` with a weighted ``tsvector``
  (headline A, body B) under a GIN index, matched with ``to_tsquery``, ranked by
  ``ts_rank`` and marked by ``ts_headline``.

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
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

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


@dataclass(frozen=True)
class RowCondition:
    """A condition on a PostgreSQL index row ``d``, in two parts: ``indexed``,
    which a GIN index answers exactly (it finds the rows), and ``tested``, which
    only the row itself answers (word order, a headline's words), tested on the
    fewest rows it can be. Hashable: it keys the remembered newest matches."""

    indexed: str
    params: tuple[object, ...]
    tested: str = ""
    tested_params: tuple[object, ...] = ()
    # Parameters of ``indexed`` for each required group alone (see _estimate).
    groups: tuple[tuple[object, ...], ...] = ()

    @property
    def whole(self) -> tuple[str, list[object]]:
        """Both parts as one SQL condition, and its parameters."""
        if not self.tested:
            return self.indexed, list(self.params)
        return f"{self.indexed} AND {self.tested}", [
            *self.params,
            *self.tested_params,
        ]


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
        score = ranking.blend_sql(
            "relevance", "max(julianday(%s) - julianday(published), 0.0)"
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
# ...and its stored vector is tested outside the GIN index scan (the function behind
# @@, which the planner does not match to the index): see RowCondition.
_POSTGRES_VECTOR_TEST = "ts_match_vq(d.vector, to_tsquery(%s::regconfig, %s))"
# How the newest matches of a query are found (``PostgresBackend._newest_ids``),
# by the share of the index the planner expects it to match. From this share on,
# by walking the ids down and testing each row (about 3 µs a row, the vector
# decompressed), which finds N matches within about N ÷ share rows; below it, by
# intersecting the GIN index's entries for the query (about 0.3 µs a match) with a
# window of the newest ids, widened until it holds N.
POSTGRES_WALK_MIN_SHARE = 0.3
# A window is made to hold this many times the matches wanted: the copies left out
# (about 6%) and the estimate's error. A window short of them costs one more
# statement, on the range below it; a wide one reads rows it does not need.
POSTGRES_WINDOW_MARGIN = 1.3
# A window that held no match at all is followed by one this many times wider.
POSTGRES_WINDOW_GROWTH = 4
# The filters are tested on a window's newest rows: the count wanted plus a 1/N
# share (about 6% of articles are copies, left out by default).
POSTGRES_FILTER_SLACK = 10


def _planned_rows(plan: Any) -> float:
    """The rows an ``EXPLAIN (FORMAT JSON)`` plan (decoded or not) expects."""
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _next_span(span: int, found: int, wanted: int) -> int:
    """The width of the window after one of ``span`` ids that held ``found``
    matches, for ``wanted`` more: as its density says (the estimate was off)."""
    if not found:
        return span * POSTGRES_WINDOW_GROWTH
    return max(int(span * wanted / found * POSTGRES_WINDOW_MARGIN), 1)


def _group_tsqueries(query: ParsedQuery) -> tuple[tuple[object, ...], ...]:
    """Each required group of ``query`` alone, words in any order, as
    ``to_tsquery`` parameters; none for a query of one group."""
    if len(query.groups) < 2:
        return ()
    return tuple(
        (
            POSTGRES_CONFIG,
            to_tsquery(replace(query, groups=(group,), excluded=()), in_order=False),
        )
        for group in query.groups
    )


def _has_phrase(query: ParsedQuery) -> bool:
    return any(term.is_phrase for term in query.terms)


def _match_condition(query: ParsedQuery) -> RowCondition:
    """A row matching ``query``. A phrase's words are found by the GIN index and
    their order tested on the newest of those rows only: the index cannot answer
    order, and a row it cannot settle is read and tested (about 3 µs) anyway."""
    whole = (POSTGRES_CONFIG, to_tsquery(query))
    groups = _group_tsqueries(query)
    if not _has_phrase(query):
        return RowCondition(_POSTGRES_MATCH, whole, groups=groups)
    words = (POSTGRES_CONFIG, to_tsquery(query, in_order=False))
    return RowCondition(
        _POSTGRES_MATCH, words, _POSTGRES_VECTOR_TEST, whole, groups=groups
    )


def _headline_condition(query: ParsedQuery) -> RowCondition:
    """A row matching ``query`` with its required terms in the headline.

    The headline index answers "every required word is in the headline" exactly.
    Word order and excluded words it cannot answer: where the query has either,
    the row's stored vector is tested too (its headline words carry weight A).
    Inside the index scan, a row the index cannot settle would have every
    condition rechecked, the headline's parse included (about 25 µs a row,
    against 3 µs for the vector).
    """
    words = (POSTGRES_CONFIG, to_tsquery(query.required, in_order=False))
    groups = _group_tsqueries(query)
    if not (query.excluded or _has_phrase(query)):
        return RowCondition(_POSTGRES_HEADLINE_MATCH, words, groups=groups)
    headline = (POSTGRES_CONFIG, to_tsquery(query, weight="A"))
    return RowCondition(
        _POSTGRES_HEADLINE_MATCH,
        words,
        _POSTGRES_VECTOR_TEST,
        headline,
        groups=groups,
    )


class PostgresBackend(SearchBackend):
    """PostgreSQL full text: weighted tsvector + GIN, ``ts_rank``, ``ts_headline``."""

    vendor = "postgresql"
    table = "search_document"

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        super().__init__(connection)
        if connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
            raise ImproperlyConfigured(
                "Search on PostgreSQL sends several statements in one round trip, "
                "which psycopg's server-side binding refuses: remove "
                "'server_side_binding' from the database's OPTIONS."
            )
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

    def _matching_rows(
        self, query: ParsedQuery, filters: SearchFilters
    ) -> tuple[str, list[object]]:
        """Every row ``d`` that matches and whose article ``a`` passes the filters,
        as the SQL after ``FROM search_document d``: joined to its article, so an
        orphan row drops out."""
        where, params = self._filters_sql(filters)
        return (
            f"JOIN {Article._meta.db_table} a ON a.id = d.article_id "
            f"WHERE {_POSTGRES_MATCH}{where}",
            [POSTGRES_CONFIG, to_tsquery(query), *params],
        )

    def count(
        self, query: ParsedQuery, filters: SearchFilters, *, limit: int | None = None
    ) -> int:
        if limit is None:
            rows, params = self._matching_rows(query, filters)
            with self.connection.cursor() as cursor:
                # Only our own SQL; values go as parameters.
                cursor.execute(f"SELECT count(*) FROM search_document d {rows}", params)  # noqa: S608
                return int(cursor.fetchone()[0])
        # Newest first, stopping at the limit: the candidates of search() are found
        # by the same walk, so it is kept.
        return len(self._newest_ids(_match_condition(query), filters, limit))

    def _newest_ids(
        self, condition: RowCondition, filters: SearchFilters, count: int
    ) -> list[int]:
        """The ids of the ``count`` most recently stored articles whose row meets
        ``condition`` and that pass the filters, newest first (fewer if fewer
        match); kept for a second call with the same arguments (a count, then a
        search)."""
        return self._remembered(
            (condition, filters),
            count,
            lambda n: self._newest_found(condition, filters, n),
        )

    def _newest_found(
        self, condition: RowCondition, filters: SearchFilters, count: int
    ) -> list[int]:
        expected = self._estimate(condition)
        total, top = self._size()
        if expected >= total * POSTGRES_WALK_MIN_SHARE:
            return self._newest_walking(condition, filters, count)
        span = int(count * total / max(expected, 1.0) * POSTGRES_WINDOW_MARGIN)
        ids: list[int] = []
        after, upto = top - span, top
        while True:
            kept, below = self._newest_in_window(
                condition, filters, count - len(ids), after=after, upto=upto
            )
            ids += kept
            if len(ids) >= count:
                return ids[:count]
            if below is not None:
                # The rest of this window, below the rows tested.
                upto = below
            elif after <= 0:
                return ids
            else:
                # The next window is the range below this one: no row read twice.
                span = _next_span(span, len(kept), count - len(ids))
                after, upto = after - span, after

    def _estimate(self, condition: RowCondition) -> float:
        """How many rows ``condition.indexed`` matches, as the planner expects
        (from the statistics ANALYZE keeps: frequent lexemes are counted).

        For several required groups, the fewest rows one of them alone matches
        (unless the planner expects more for the whole: a group of stop words
        alone matches nothing). The planner multiplies the groups' shares as if
        their words were independent; a reader's words go together ("council
        tax" is in 5,272 rows of the bench's 100,000, "council" in 13,603, "tax"
        in 5,272; the planner expects 692), and a window sized by the product
        reads every match in the index. Words that do not go together are
        overestimated instead, which costs a second window sized by what the
        first held. The plans are asked for in one round trip.
        """
        param_sets = (condition.params, *condition.groups)
        explain = (
            # Only our own SQL; values go as parameters.
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_document d "  # noqa: S608
            f"WHERE {condition.indexed}"
        )
        plans = []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "; ".join([explain] * len(param_sets)),
                [param for params in param_sets for param in params],
            )
            plans.append(cursor.fetchone()[0])
            while cursor.nextset():
                plans.append(cursor.fetchone()[0])
        whole, *groups = (_planned_rows(plan) for plan in plans)
        return max(whole, min(groups)) if groups else whole

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
        self, condition: RowCondition, filters: SearchFilters, count: int
    ) -> list[int]:
        """Newest matches of a common query: down the primary key, each row tested,
        until ``count`` pass."""
        where, filter_params = self._filters_sql(filters)
        whole, params = condition.whole
        with self.connection.cursor() as cursor:
            cursor.execute(
                # Only our own SQL; values go as parameters.
                "SELECT d.article_id FROM search_document d "  # noqa: S608
                f"JOIN articles_article a ON a.id = d.article_id WHERE {whole}"
                f"{where} ORDER BY d.article_id DESC LIMIT %s",
                [*params, *filter_params, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def _newest_in_window(
        self,
        condition: RowCondition,
        filters: SearchFilters,
        count: int,
        *,
        after: int,
        upto: int,
    ) -> tuple[list[int], int | None]:
        """Newest matches that pass the filters among the rows with an id above
        ``after`` and up to ``upto``, at least ``count`` if the window holds them;
        and, if rows of the window were left untested, the id up to which the rest
        of it lies (else None).

        One statement: the GIN index (``condition.indexed``) and the primary
        key's range are intersected as bitmaps, so that only the rows in both are
        read; ``condition.tested`` and the filters are tested on the newest of
        those only, a share more than ``count`` (PostgreSQL 15 reads every id of
        an ``= ANY`` list before it sorts and stops, and a window may hold several
        times the ids wanted).

        The planner would rather walk the key's range and test every row (it
        does not count what decompressing a vector costs), so for this one
        statement it is told not to use plain index scans. The settings go in
        the same round trip (a text of several statements runs as one
        transaction, and a client-side binding cursor, Django's default, sends
        it as one); ``SET LOCAL`` would outlast it in an enclosing transaction,
        so they are set back at its end.
        """
        where, filter_params = self._filters_sql(filters)
        tested = count + count // POSTGRES_FILTER_SLACK + 1
        # The rows' vectors go along only when the test needs them.
        vector, test = "", ""
        if condition.tested:
            vector, test = ", d.vector", f" WHERE {condition.tested}"
        with self.connection.cursor() as cursor:
            cursor.execute(
                # Only our own SQL; values go as parameters.
                "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; "  # noqa: S608
                f"WITH newest AS MATERIALIZED (SELECT d.article_id{vector} FROM "
                f"search_document d WHERE {condition.indexed} AND d.article_id > %s "
                "AND d.article_id <= %s ORDER BY d.article_id DESC LIMIT %s) "
                "SELECT (SELECT count(*) FROM newest), "
                "(SELECT min(article_id) FROM newest), ARRAY(SELECT a.id FROM "
                "articles_article a WHERE a.id = ANY(ARRAY(SELECT d.article_id FROM "
                f"newest d{test})){where} ORDER BY a.id DESC); "
                "SET LOCAL enable_indexscan TO DEFAULT; "
                "SET LOCAL enable_seqscan TO DEFAULT",
                [
                    *condition.params,
                    after,
                    upto,
                    tested,
                    *condition.tested_params,
                    *filter_params,
                ],
            )
            # The results of the two settings come first.
            cursor.nextset()
            cursor.nextset()
            read, oldest, kept = cursor.fetchone()
        return kept, (oldest - 1 if read == tested else None)

    def _candidate_ids(
        self, query: ParsedQuery, filters: SearchFilters, count: int
    ) -> list[int] | None:
        """The ids of the ``count`` most recently stored matches and of the
        ``count`` most recently stored headline matches (required terms in the
        headline); None when fewer than ``count`` match at all (then every match
        is ranked)."""
        newest = self._newest_ids(_match_condition(query), filters, count)
        if len(newest) < count:
            return None
        headlines = self._newest_ids(_headline_condition(query), filters, count)
        return sorted(set(newest) | set(headlines))

    def _every_match_found(
        self, query: ParsedQuery, filters: SearchFilters
    ) -> list[int] | None:
        """Every match's id, if the count before found them all (it stopped
        short of its limit); else None."""
        key = (_match_condition(query), filters)
        asked, ids = self._newest.get(key, (0, []))
        return ids if len(ids) < asked else None

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
        chosen = (
            self._candidate_ids(query, filters, candidates)
            if candidates is not None
            else None
        )
        if chosen is None:
            chosen = self._every_match_found(query, filters)
        if chosen is not None:
            # The ids match and pass the filters already, and their rows carry
            # their article's date: no article is joined, no vector tested. One
            # array parameter, not one placeholder per id.
            rows, published = (
                "WHERE d.article_id = ANY(%s) AND d.published IS NOT NULL",
                "d.published",
            )
            rows_params: list[object] = [chosen]
        else:
            rows, rows_params = self._matching_rows(query, filters)
            published = "a.published"
        return self._ranked_page(
            query, rows, rows_params, published, now=now, limit=limit, offset=offset
        )

    def _ranked_page(
        self,
        query: ParsedQuery,
        rows: str,
        rows_params: list[object],
        published: str,
        *,
        now: datetime,
        limit: int,
        offset: int,
    ) -> list[Hit]:
        """One page of the ``rows`` (FROM search_document ``d`` on), best score
        first, with their headlines marked: one statement.

        ``ts_rank`` is computed once per row (a subquery kept apart by ``OFFSET
        0``; a merged one would compute it again for the score), and
        ``ts_headline``, which parses the text again (about 0.1 ms a body), only
        for the page's rows.
        """
        score = ranking.blend_sql(
            "relevance",
            "greatest(extract(epoch FROM %s::timestamptz - published)::float8 "
            "/ 86400.0, 0.0)",
        )
        tsquery = "to_tsquery(%s::regconfig, %s)"
        sql = (
            # Only our own SQL is interpolated; values go as parameters.
            f"SELECT article_id, relevance, score, ts_headline(%s::regconfig, "  # noqa: S608
            f"title, {tsquery}, %s), ts_headline(%s::regconfig, body, {tsquery}, %s) "
            f"FROM (SELECT article_id, title, body, published, relevance, {score} "
            "AS score FROM (SELECT d.article_id, d.title, d.body, "
            f"{published} AS published, ts_rank(%s::float4[], d.vector, {tsquery}, "
            f"%s) AS relevance FROM search_document d {rows} OFFSET 0) matches "
            "ORDER BY score DESC, published DESC, article_id DESC LIMIT %s OFFSET %s"
            ") page ORDER BY score DESC, published DESC, article_id DESC"
        )
        match = [POSTGRES_CONFIG, to_tsquery(query)]
        params = [
            POSTGRES_CONFIG,
            *match,
            self._headline_options(highlight_all=True),
            POSTGRES_CONFIG,
            *match,
            self._headline_options(
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=f" {ELLIPSIS} ",
            ),
            now,
            POSTGRES_RANK_WEIGHTS,
            *match,
            POSTGRES_RANK_NORMALIZATION,
            *rows_params,
            limit,
            offset,
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                Hit(
                    article_id=article_id,
                    relevance=float(relevance),
                    score=float(score),
                    title_marked=title_marked,
                    snippet_marked=snippet_marked,
                )
                for article_id, relevance, score, title_marked, snippet_marked in (
                    cursor.fetchall()
                )
            ]

    def _headline_options(self, **options: object) -> str:
        """``ts_headline``'s options: our marks, and ``options`` (snake case)."""
        named = {"start_sel": MARK_START, "stop_sel": MARK_END, **options}
        return ", ".join(
            self.connection.ops.compose_sql(
                "".join(part.title() for part in name.split("_")) + "=%s", [value]
            )
            for name, value in named.items()
        )


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
