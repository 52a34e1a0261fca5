"""Reads from the search index, shaped for the search page, feeds and the CLI."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cupure.articles.models import Article
from cupure.rights.selectors import article_display
from cupure.sources.models import Publisher

from .backends import SearchFilters, get_backend
from .query import parse_query
from .snippets import marked_to_html, marked_to_text

# Results per page: a screenful of cards.
SEARCH_PAGE_SIZE = 20
# The most a caller (feed, CLI --limit) may ask for in one page.
SEARCH_MAX_PAGE_SIZE = 100
# Pages past this are not served: a deep offset makes the database score and sort
# every match before it, and readers refine a query long before page 50.
SEARCH_MAX_PAGE = 50
# Matches are counted up to this many; a query with more shows "more than 1,000"
# and ranks only candidates (search.backends): what a common word costs is bounded.
# It is the most results the pages of the search page hold.
SEARCH_MAX_COUNT = SEARCH_MAX_PAGE * SEARCH_PAGE_SIZE
# The candidates of such a query: its newest this many matches and newest this many
# headline matches, or as many as the page asked for reaches. On the benchmark's
# 100k articles (bench/search.py's queries with more than 1,000 matches), 500 give
# the best result that ranking every match gives for 153 of 154 queries, and 99%
# (SQLite) / 97% (PostgreSQL) of the first twenty; 1,000 give 154 and 99.7% / 99.1%
# at twice the cost.
SEARCH_CANDIDATES = 500


@dataclass(frozen=True)
class SearchResult:
    """One article found, with its score and escaped, highlighted title and snippet."""

    article: Article
    score: float
    relevance: float
    title_html: SafeString
    snippet_html: SafeString
    snippet_text: str


@dataclass(frozen=True)
class SearchPage:
    """One page of results for a query, with what a pager needs."""

    query: str
    results: list[SearchResult] = field(default_factory=list)
    # How many articles match; with total_is_capped, at least this many (more
    # were not counted).
    total: int = 0
    page: int = 1
    page_size: int = SEARCH_PAGE_SIZE
    total_is_capped: bool = False

    @property
    def num_pages(self) -> int:
        pages = math.ceil(self.total / self.page_size) if self.page_size else 0
        return min(pages, SEARCH_MAX_PAGE)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1


def _start(day: date | datetime) -> datetime:
    """A date means from its first moment (UTC); a datetime is taken as it is."""
    if isinstance(day, datetime):
        return day if timezone.is_aware(day) else day.replace(tzinfo=UTC)
    return datetime.combine(day, time.min, tzinfo=UTC)


def _end(day: date | datetime) -> datetime:
    """A date means up to the end of that day (inclusive); a datetime, exclusive."""
    if isinstance(day, datetime):
        return _start(day)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def search_articles(
    *,
    query: str,
    publisher: Publisher | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    page: int = 1,
    page_size: int = SEARCH_PAGE_SIZE,
    now: datetime | None = None,
) -> SearchPage:
    """Articles matching ``query`` (any reader text), best score first.

    The score blends text relevance and recency (``search.ranking``). Copies of
    another article are left out unless ``publisher`` is given. ``since``/``until``
    bound the publication time (dates are whole UTC days, both inclusive). ``page``
    is clamped to 1..SEARCH_MAX_PAGE. A query with no searchable words returns an
    empty page; no input raises.

    Past SEARCH_MAX_COUNT matches the count stops (``total_is_capped``) and only
    the newest matches and newest headline matches are ranked, SEARCH_CANDIDATES
    of each (more for a deep page).
    """
    parsed = parse_query(query)
    page = min(max(int(page), 1), SEARCH_MAX_PAGE)
    page_size = min(max(int(page_size), 1), SEARCH_MAX_PAGE_SIZE)
    empty = SearchPage(query=parsed.text, page=page, page_size=page_size)
    if not parsed:
        return empty
    filters = SearchFilters(
        publisher_id=publisher.pk if publisher is not None else None,
        since=_start(since) if since is not None else None,
        until=_end(until) if until is not None else None,
        originals_only=publisher is None,
    )
    backend = get_backend()
    counted = backend.count(parsed, filters, limit=SEARCH_MAX_COUNT + 1)
    if counted == 0:
        return empty
    capped = counted > SEARCH_MAX_COUNT
    hits = backend.search(
        parsed,
        filters,
        now=now or timezone.now(),
        limit=page_size,
        offset=(page - 1) * page_size,
        candidates=max(SEARCH_CANDIDATES, page * page_size) if capped else None,
    )
    articles = (
        Article.objects.select_related("publisher")
        .defer("raw_html", "paragraphs", "signature")
        .in_bulk([hit.article_id for hit in hits])
    )
    results = []
    for hit in hits:
        article = articles.get(hit.article_id)
        # The publisher's noindex keeps it out of our search too (rights.policy).
        if article is None or not (display := article_display(article)).index:
            continue
        # No snippet, or one cut to max-snippet, as the publisher allows.
        snippet = display.snippet_text(hit.snippet_marked)
        results.append(
            SearchResult(
                article=article,
                score=hit.score,
                relevance=hit.relevance,
                # Built by marked_to_html: every character of the text escaped, then
                # only our own <mark> tags added.
                title_html=mark_safe(  # noqa: S308
                    marked_to_html(hit.title_marked or article.title)
                ),
                snippet_html=mark_safe(marked_to_html(snippet)),  # noqa: S308
                snippet_text=marked_to_text(snippet),
            )
        )
    return SearchPage(
        query=parsed.text,
        results=results,
        total=min(counted, SEARCH_MAX_COUNT),
        page=page,
        page_size=page_size,
        total_is_capped=capped,
    )
