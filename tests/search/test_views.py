"""The search page: form, filters, escaped highlighted cards, pager, query count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cupure.sources.models import Publisher

from .conftest import NOW, MakeArticle

pytestmark = pytest.mark.django_db

BODY = ["The harbour bridge reopened after two years of repairs.", "Cars crossed."]


def test_results_are_cards_with_marked_snippets(
    client: Client, make_article: MakeArticle
) -> None:
    """A match shows as a card linking our article page, the word in <mark>."""
    article = make_article("Harbour bridge <em>reopens</em>", BODY)
    response = client.get("/search/", {"q": "bridge"})
    html = response.content.decode()
    assert response.status_code == 200
    assert article.get_absolute_url() in html
    assert "1 article for “bridge”" in html
    assert "Harbour <mark>bridge</mark> &lt;em&gt;reopens&lt;/em&gt;" in html
    assert "harbour <mark>bridge</mark> reopened" in html
    assert "<em>" not in html
    assert '<meta name="robots" content="noindex">' in html
    # The page offers this search as feeds.
    assert 'href="/feeds/search.rss?q=bridge"' in html


def test_header_search_box_on_every_page(client: Client) -> None:
    """The site header holds a labelled search form pointing at /search/."""
    html = client.get("/").content.decode()
    assert re.search(r'<form class="site-search" role="search" action="/search/"', html)
    assert '<label class="visually-hidden" for="site-search-q">' in html


def test_filters_from_the_query_string(
    client: Client, make_article: MakeArticle, herald: Publisher
) -> None:
    """publisher=<slug>, since and until narrow the results."""
    make_article("Bridge in the Gazette", BODY, published=NOW - timedelta(days=30))
    make_article("Bridge in the Herald", BODY, publisher=herald)
    html = client.get(
        "/search/", {"q": "bridge", "publisher": herald.slug}
    ).content.decode()
    assert "</mark> in the Herald" in html
    assert "in the Gazette" not in html
    since = (NOW - timedelta(days=5)).date().isoformat()
    html = client.get("/search/", {"q": "bridge", "since": since}).content.decode()
    assert "</mark> in the Herald" in html
    assert "in the Gazette" not in html


def test_bad_filters_say_what_is_wrong(client: Client) -> None:
    """An unknown publisher or reversed dates give a 400 with the reason."""
    response = client.get("/search/", {"q": "x", "publisher": "nobody"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.get(
        "/search/", {"q": "x", "since": "2026-11-20", "until": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


@pytest.mark.parametrize(
    "query", ['"', "AND", "NEAR(", "*", "a:b", "<script>", "%00", "x" * 5000]
)
def test_hostile_queries_render(client: Client, query: str) -> None:
    """Any text gives a page, never a server error, and is echoed escaped."""
    response = client.get("/search/", {"q": query, "page": "NaN"})
    assert response.status_code in (200, 400)
    assert "<script>" not in response.content.decode()


def test_pager_keeps_the_filters(client: Client, make_article: MakeArticle) -> None:
    """Page links carry the query and filters along."""
    for n in range(22):
        make_article(f"Marathon report {n}", BODY, published=NOW - timedelta(hours=n))
    html = client.get("/search/", {"q": "marathon"}).content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?q=marathon&amp;page=2"' in html
    html = client.get("/search/", {"q": "marathon", "page": "2"}).content.decode()
    assert html.count('class="card search-result"') == 2


def test_query_count_is_bounded(client: Client, make_article: MakeArticle) -> None:
    """Twenty results cost the same few queries as one (no per-card queries)."""

    def queries(n_articles: int) -> int:
        for n in range(n_articles):
            make_article(f"Orchestra concert {n}", BODY)
        client.get("/search/", {"q": "orchestra"})  # warm the site chrome cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "orchestra"}).status_code == 200
        return len(captured)

    one = queries(1)
    assert queries(19) == one
    # form's publisher list, count, ranked page, marks, articles (+ session etc.).
    assert one <= 8


@pytest.mark.parametrize("query", ["storm\x00", "\x01storm\x1f"])
def test_control_characters_are_refused_and_never_echoed(
    client: Client, query: str
) -> None:
    """HTML forbids a NUL and other control characters: the page says what is
    wrong and echoes the query without them, in both search boxes (vnu found a
    NUL printed twice)."""
    response = client.get("/search/", {"q": query})
    html = response.content.decode()
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", html)
    assert html.count('value="storm"') == 2
    if "\x00" in query:
        assert response.status_code == 400
        assert "Null characters are not allowed." in html


def test_the_header_box_echoes_what_a_search_reads(client: Client) -> None:
    html = client.get("/search/", {"q": "y" * 5000}).content.decode()
    header = re.search(r'id="site-search-q"[^>]*value="(y*)"', html)
    assert header is not None
    assert len(header.group(1)) == 300


def test_field_errors_are_what_the_input_points_at(client: Client) -> None:
    """Django points a field with errors at ``<id>_error``: that element exists,
    and a mistyped date is not echoed into ``type=date`` (invalid HTML)."""
    html = client.get(
        "/search/", {"q": "x", "since": "notadate", "until": "2026-11-01"}
    ).content.decode()
    assert 'aria-describedby="id_since_error"' in html
    assert '<span class="field-error" id="id_since_error" role="alert">' in html
    assert 'value="notadate"' not in html
    assert 'value="2026-11-01"' in html
