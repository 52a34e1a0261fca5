"""Bounded search work (issue #9): a capped count, and ranking among candidates.

A query matching more than SEARCH_MAX_COUNT articles is counted that far only and
ranked among its newest matches and newest headline matches ("newest": most
recently stored, which is how ingest stores them, so the articles here are made
oldest first). The limits are made small here so that a dozen articles take the
paths 100k articles take; on PostgreSQL both ways of finding the newest matches
(walking the ids down; windows of the newest ids, widened) are run.
Runs on SQLite (FTS5) and, with CUPURE_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from cupure.articles.models import Article
from cupure.search import backends, selectors
from cupure.search.query import parse_query, to_fts5, to_tsquery
from cupure.search.selectors import search_articles
from cupure.sources.models import Publisher

from .conftest import NOW, MakeArticle

pytestmark = pytest.mark.django_db

# The count stops here and this many newest (headline) matches are ranked.
CAP = 5
# Articles that never match: they keep the word's document frequency realistic.
OTHER = ["The council met on Tuesday.", "Members agreed to publish the minutes."]


@pytest.fixture(
    params=["walk", "window"] if connection.vendor == "postgresql" else ["fts5"]
)
def small_limits(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """A cap of CAP: counts stop and candidates are ranked past CAP matches. On
    PostgreSQL, the newest matches are found by walking or (first window far too
    narrow, so that it is widened) by windows."""
    monkeypatch.setattr(selectors, "SEARCH_MAX_COUNT", CAP)
    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", CAP)
    walk = request.param == "walk"
    monkeypatch.setattr(backends, "POSTGRES_WALK_MIN_SHARE", 0.0 if walk else 2.0)
    monkeypatch.setattr(backends, "POSTGRES_WINDOW_MARGIN", 0.01)


def body_mentions(make_article: MakeArticle, count: int, **kwargs) -> list[Article]:
    """``count`` articles naming the regatta in passing, an hour apart, stored oldest
    first (as ingest stores them) and returned newest first."""
    made = [
        make_article(
            f"Harbour notes {n}",
            ["Boats were out all day.", "The regatta was mentioned too."],
            published=NOW - timedelta(hours=n + 1),
            **kwargs,
        )
        for n in reversed(range(count))
    ]
    return made[::-1]


def ids(page: selectors.SearchPage) -> list[int]:
    return [result.article.pk for result in page.results]


def test_count_stops_at_the_cap(small_limits, make_article: MakeArticle) -> None:
    """Up to CAP matches are counted exactly; past it the page says "more than"."""
    for _ in range(3):
        make_article("Council minutes", OTHER)
    body_mentions(make_article, CAP)
    exact = search_articles(query="regatta", now=NOW)
    assert (exact.total, exact.total_is_capped) == (CAP, False)

    body_mentions(make_article, 3)
    capped = search_articles(query="regatta", now=NOW, page_size=2)
    assert (capped.total, capped.total_is_capped) == (CAP, True)
    assert capped.num_pages == 3


def test_backend_count_stops_at_its_limit(make_article: MakeArticle) -> None:
    """count(limit=n) counts no further than n (the work stops there too)."""
    body_mentions(make_article, 4)
    backend, query = backends.get_backend(), parse_query("regatta")
    filters = backends.SearchFilters()
    assert backend.count(query, filters) == 4
    assert backend.count(query, filters, limit=3) == 3
    assert backend.count(query, filters, limit=10) == 4


def test_best_match_still_ranks_first_when_many_match(
    small_limits, make_article: MakeArticle
) -> None:
    """A two-month-old article about the regatta (headline and body) outranks a
    dozen recent passing mentions, although it is not among the newest CAP
    matches: it is a headline match, and those are candidates too."""
    for _ in range(10):
        make_article("Council minutes", OTHER)
    about = make_article(
        "Regatta returns to the bay",
        ["The regatta drew two hundred boats.", "Crews came from six clubs."],
        published=NOW - timedelta(days=60),
    )
    mentions = body_mentions(make_article, 12)

    # A page of CAP + 1 ranks CAP + 1 candidates of each kind: the newest CAP + 1
    # mentions and the headline match; the best CAP + 1 of those are shown.
    page = search_articles(query="regatta", now=NOW, page_size=CAP + 1)
    assert page.total_is_capped
    assert ids(page)[0] == about.pk
    # Ranked among the candidates only: the newest CAP mentions and the headline
    # match, in the order the full ranking gives them.
    assert set(ids(page)) == {about.pk, *(a.pk for a in mentions[:CAP])}


def test_candidates_rank_as_the_full_ranking_does(
    small_limits, make_article: MakeArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Among the candidates, the order is the score's, as without a cap."""
    for _ in range(10):
        make_article("Council minutes", OTHER)
    make_article("Regatta crews", ["The regatta and the regatta fair."], published=NOW)
    body_mentions(make_article, 8)
    bounded = search_articles(query="regatta", now=NOW)
    monkeypatch.setattr(selectors, "SEARCH_MAX_COUNT", 1000)
    full = search_articles(query="regatta", now=NOW)
    assert bounded.total_is_capped and not full.total_is_capped
    assert ids(bounded) == [pk for pk in ids(full) if pk in set(ids(bounded))]
    assert [r.score for r in bounded.results] == sorted(
        (r.score for r in bounded.results), reverse=True
    )


def test_a_deep_page_ranks_as_many_candidates_as_it_reaches(
    small_limits, make_article: MakeArticle
) -> None:
    """Page 4 of two results shows results 7-8: the newest 8 are ranked, not CAP."""
    mentions = body_mentions(make_article, 12)
    page = search_articles(query="regatta", now=NOW, page=4, page_size=2)
    assert page.total_is_capped
    assert ids(page) == [a.pk for a in mentions[6:8]]


def test_an_excluded_word_applies_before_the_newest_are_chosen(
    small_limits, make_article: MakeArticle
) -> None:
    """The newest matches of ``regatta -cancelled`` are the newest that do not say
    cancelled, however many newer ones do."""
    kept = body_mentions(make_article, 8)
    for n in range(4):
        make_article(
            f"Regatta notes {n}",
            ["The regatta was cancelled."],
            published=NOW - timedelta(minutes=n + 1),
        )
    page = search_articles(query="regatta -cancelled", now=NOW, page_size=CAP)
    assert page.total_is_capped
    assert ids(page) == [a.pk for a in kept[:CAP]]


def test_a_phrase_headline_candidate_has_the_words_in_order(
    small_limits, make_article: MakeArticle
) -> None:
    """Of two older articles holding "harbour bridge" in their body, the one with
    the phrase in its headline is a headline candidate; the one whose headline
    holds both words apart is not, however well it would score."""
    older = NOW - timedelta(days=60)
    in_order = make_article(
        "Harbour bridge reopens", ["The harbour bridge reopened."], published=older
    )
    apart = make_article(
        "Bridge works at the harbour",
        ["The harbour bridge was shut for works."],
        published=older,
    )
    for n in range(CAP + 1):
        make_article(
            f"Crossing notes {n}",
            ["Boats passed under the harbour bridge."],
            published=older,
        )
    page = search_articles(query='"harbour bridge"', now=NOW, page_size=CAP)
    assert page.total_is_capped
    assert ids(page)[0] == in_order.pk
    assert apart.pk not in ids(page)


def test_ranking_reuses_only_a_complete_count(make_article: MakeArticle) -> None:
    """A search after a count that found every match ranks those (the copy left
    out as the filters say), as a search without a count does; after a count
    that stopped at its limit, it still ranks every match."""
    mentions = body_mentions(make_article, 4)
    copy = make_article(
        "Harbour notes copy",
        ["The regatta was mentioned too."],
        duplicate_of=mentions[0],
    )
    query, filters = parse_query("regatta"), backends.SearchFilters()

    def ranked(count_limit: int | None) -> list[int]:
        backend = backends.get_backend()
        if count_limit is not None:
            backend.count(query, filters, limit=count_limit)
        hits = backend.search(query, filters, now=NOW, limit=10, offset=0)
        return [hit.article_id for hit in hits]

    assert ranked(None) == ranked(10) == ranked(2) == [a.pk for a in mentions]
    assert copy.pk not in ranked(10)


def test_filters_apply_before_the_newest_are_chosen(
    small_limits, make_article: MakeArticle, herald: Publisher
) -> None:
    """The newest matches of one publisher are its own, however many newer
    matches other publishers have."""
    older = NOW - timedelta(days=3)
    herald_mentions = [
        make_article(
            f"Herald harbour notes {n}",
            ["The regatta was mentioned again."],
            published=older - timedelta(hours=n),
            publisher=herald,
        )
        for n in reversed(range(8))
    ][::-1]
    body_mentions(make_article, 8)
    page = search_articles(query="regatta", publisher=herald, now=NOW, page_size=CAP)
    assert page.total_is_capped
    assert set(ids(page)) == {a.pk for a in herald_mentions[:CAP]}


def test_search_page_says_more_than(
    small_limits, client: Client, make_article: MakeArticle
) -> None:
    """A capped count is shown as "More than", with what the results are."""
    body_mentions(make_article, CAP + 1)
    html = client.get("/search/", {"q": "regatta"}).content.decode()
    assert f"More than {CAP} articles for “regatta”" in html
    assert "best of the most recent matches" in html
    html = client.get("/search/", {"q": "harbour notes 1"}).content.decode()
    assert "More than" not in html


def test_headline_expressions() -> None:
    """The headline test holds the required terms; exclusions stay document-wide."""
    parsed = parse_query("regatta OR sailing crews -cancelled")
    assert parsed.required.excluded == ()
    assert parsed.required.groups == parsed.groups
    assert to_fts5(parsed, column="title") == (
        '({title} : (("regatta" OR "sailing") AND "crews")) NOT "cancelled"'
    )
    assert to_tsquery(parsed.required) == "('regatta' | 'sailing') & 'crews'"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's planner estimates"
)
def test_words_that_go_together_are_estimated_as_such(
    make_article: MakeArticle,
) -> None:
    """Half the articles say "council tax" and the rest neither word: the
    estimate for both words is about half the rows, not the quarter the planner
    expects of independent words; and a group of stop words alone ("the") does
    not bring the estimate down to nothing."""
    for n in range(20):
        make_article(f"Council tax bill {n}", ["The council tax rises."])
        make_article(f"Harbour notes {n}", ["Boats were out all day."])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_document")
    backend = backends.get_backend()

    def estimate(text: str) -> float:
        return backend._estimate(backends._match_condition(parse_query(text)))

    assert 18 <= estimate("council tax") <= 22
    assert 18 <= estimate("the council") <= 22


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the copied date is PostgreSQL's"
)
def test_index_rows_carry_the_article_date(make_article: MakeArticle) -> None:
    """Each search_document row holds its article's date, for the candidates."""
    from cupure.search.models import SearchDocument

    article = make_article("Regatta", OTHER, published=NOW - timedelta(days=4))
    assert SearchDocument.objects.get(pk=article.pk).published == article.published


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an FTS5 option")
def test_fts5_table_has_short_prefix_indexes(make_article: MakeArticle) -> None:
    """Prefix queries of 3-4 stemmed letters read a prefix index (migration 0002),
    and still find their words."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
        assert "prefix = '3 4'" in cursor.fetchone()[0]
    article = make_article("Linskton harbour", OTHER)
    assert ids(search_articles(query="lins*", now=NOW)) == [article.pk]


def test_a_short_window_sizes_the_next_by_what_it_held() -> None:
    """After a window of 1,000 ids held 100 matches, 900 more need about 9,000
    ids (with the margin); after one that held none, the next is GROWTH times
    wider."""
    margin = backends.POSTGRES_WINDOW_MARGIN
    assert backends._next_span(1000, 100, 900) == int(9000 * margin)
    assert backends._next_span(1000, 0, 900) == 1000 * backends.POSTGRES_WINDOW_GROWTH


def test_postgres_search_refuses_server_side_binding() -> None:
    """Its windows send several statements at once, which psycopg's server-side
    binding cannot: the backend says so when it is made, not on a reader's search."""
    from types import SimpleNamespace

    from django.core.exceptions import ImproperlyConfigured

    binding = SimpleNamespace(settings_dict={"OPTIONS": {"server_side_binding": True}})
    with pytest.raises(ImproperlyConfigured, match="server_side_binding"):
        backends.PostgresBackend(binding)
    plain = SimpleNamespace(settings_dict={"OPTIONS": {}})
    assert backends.PostgresBackend(plain).connection is plain
