"""The standfirst a page prints under its headline: stored apart from the body, used
as the summary, shown under the headline and opening the full text in feeds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from cupure.articles.services import article_store
from cupure.extract.types import ExtractedArticle
from cupure.sources.services import publisher_get_or_create

pytestmark = pytest.mark.django_db

PARAGRAPHS = (
    "The harbour ferry runs again from Monday after a month in dry dock.",
    "Passengers will find new seats on the upper deck and a wider gangway.",
)
STANDFIRST = "Repairs took a week longer than planned, the operator said."


def extracted(url: str, standfirst: str) -> ExtractedArticle:
    return ExtractedArticle(
        title="Ferry back in service",
        byline="Mara Quist",
        published=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        site_name="Harbour Post",
        canonical_url=url,
        language="en",
        lead_image=None,
        paragraphs=PARAGRAPHS,
        figures=(),
        standfirst=standfirst,
    )


def test_the_standfirst_is_kept_apart_and_is_the_summary() -> None:
    publisher = publisher_get_or_create(
        name="Harbour Post", homepage_url="https://post.example/"
    )
    url = "https://post.example/news/ferry"
    article = article_store(
        publisher=publisher, url=url, extracted=extracted(url, STANDFIRST)
    )
    article.refresh_from_db()
    assert article.standfirst == STANDFIRST
    assert article.summary == STANDFIRST
    assert article.paragraphs == list(PARAGRAPHS)
    other = "https://post.example/news/ferry-2"
    plain = article_store(
        publisher=publisher,
        url=other,
        extracted=replace(extracted(other, ""), title="Ferry timetable"),
    )
    plain.refresh_from_db()
    assert plain.standfirst == ""
    assert plain.summary == PARAGRAPHS[0]


def test_the_article_page_and_the_feed_open_with_the_standfirst(client) -> None:
    publisher = publisher_get_or_create(
        name="Harbour Post",
        homepage_url="https://post.example/",
        display_policy="full",
    )
    url = "https://post.example/news/ferry"
    article = article_store(
        publisher=publisher, url=url, extracted=extracted(url, STANDFIRST)
    )
    html = client.get(article.get_absolute_url()).content.decode()
    standfirst = f'<p class="standfirst">{STANDFIRST}</p>'
    assert standfirst in html
    assert html.index("<h1>") < html.index(standfirst) < html.index(PARAGRAPHS[0])
    feed = client.get("/feeds/latest.rss").content.decode()
    assert feed.index(STANDFIRST) < feed.index(PARAGRAPHS[0])
