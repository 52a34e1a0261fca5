"""The search page in real Chromium: a reader searches from the header, sees
highlighted results, and axe-core finds no serious or critical violation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page

from cupure.articles.models import Article
from cupure.search.services import search_index_article
from cupure.sources.services import publisher_get_or_create
from tests.browser.harness import axe_violations, screenshots

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def articles() -> list[Article]:
    """Three bridge articles (one with markup in its title) and one about a zoo."""
    publisher = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    titles = [
        "Harbour bridge reopens <b>early</b>",
        "Bridge tolls cut for a month",
        "Commuters return to the bridge",
        "Twin snow leopard cubs born at the zoo",
    ]
    made = []
    for number, title in enumerate(titles):
        article = Article.objects.create(
            publisher=publisher,
            url=f"https://gazette.example/news/{number}",
            canonical_url=f"https://gazette.example/news/{number}",
            title=title,
            slug=f"article-{number}",
            published=datetime(2026, 11, 23, 9, tzinfo=UTC) + timedelta(hours=number),
            paragraphs=[
                f"{title}: the city council said on Monday the work went well.",
                "Engineers finished the last inspection over the weekend.",
            ],
        )
        search_index_article(article=article)
        made.append(article)
    return made


def test_search_from_the_header(
    page: Page, live_server, articles: list[Article]
) -> None:
    """Typing in the header box lists the three bridge articles as cards with the
    word marked; markup in a title shows as text; axe-core finds nothing serious."""
    page.goto(live_server.url + "/")
    box = page.get_by_label("Search articles")
    box.fill("bridge")
    box.press("Enter")
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/search/?q=bridge")
    assert page.locator("article.search-result").count() == 3
    heading = page.locator("#results-heading").text_content() or ""
    assert "3 articles for “bridge”" in heading
    assert page.locator("article.search-result mark").count() >= 3
    titles = page.locator("article.search-result h3").all_inner_texts()
    assert "Harbour bridge reopens <b>early</b>" in titles
    assert axe_violations(page) == []
    screenshots(page, "search")
