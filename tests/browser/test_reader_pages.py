"""Home and article pages in real Chromium: structure, accessibility, screenshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page

from cupure.articles.models import Article, Figure
from cupure.sources.services import publisher_get_or_create
from tests.browser.conftest import axe_violations, screenshots
from tests.images.helpers import attach_stored_images

pytestmark = pytest.mark.django_db(transaction=True)

# Where the publisher had its images (a 1x1 GIF); pages show our stored copies.
PIXEL = (
    "data:image/gif;base64,R0lGODlhAQABAIAAAMzMzAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=="
)


@pytest.fixture
def articles() -> list[Article]:
    publisher = publisher_get_or_create(
        name="The Test Gazette",
        homepage_url="https://gazette.example/",
        display_policy="full",
    )
    made = []
    for number in range(3):
        article = Article.objects.create(
            publisher=publisher,
            url=f"https://gazette.example/news/{number}",
            canonical_url=f"https://gazette.example/news/{number}",
            title=f"Harbour bridge story number {number}",
            slug=f"harbour-bridge-story-number-{number}",
            byline="Mara Quist",
            published=datetime(2026, 11, 23, 9, tzinfo=UTC) + timedelta(hours=number),
            summary="The old harbour bridge reopened to traffic on Monday.",
            paragraphs=[
                "The old harbour bridge reopened to traffic on Monday.",
                "City engineers said the work finished early.",
                "Commuters welcomed the reopening.",
            ],
            lead_image_src=PIXEL,
            lead_image_caption="Cars cross the bridge on Monday morning.",
            lead_image_credit="Photo: Ole Brandt",
        )
        Figure.objects.create(
            article=article,
            position=1,
            src=PIXEL,
            caption="A crane lifts the deck.",
            credit="Photo: Ole Brandt",
        )
        attach_stored_images(article)
        made.append(article)
    return made


def test_home_and_article_pages_in_chromium(
    page: Page, live_server, articles: list[Article]
) -> None:
    """A reader goes from the home page to an article and sees every part of it;
    axe-core finds no serious or critical violation on either page."""
    page.goto(live_server.url + "/")
    assert page.title().startswith("cupure")
    cards = page.locator("article.card h3 a")
    assert cards.count() == 3
    assert cards.first.inner_text() == "Harbour bridge story number 2"
    assert axe_violations(page) == []
    screenshots(page, "home")

    cards.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Harbour bridge story number 2"
    assert "By Mara Quist" in page.locator(".article-header").inner_text()
    assert (
        page.locator("figure.lead-figure figcaption")
        .inner_text()
        .startswith("Cars cross the bridge")
    )
    assert page.locator(".article-body > p").count() == 3
    inline = page.locator(".article-body figure.inline-figure")
    assert inline.count() == 1
    original = page.locator("a.original-link")
    assert original.get_attribute("href") == "https://gazette.example/news/2"
    assert axe_violations(page) == []
    screenshots(page, "article")


def test_an_article_s_headings_lists_tables_and_code_in_chromium(
    page: Page, live_server
) -> None:
    """The body as the publisher set it: a wide table and a long line of code
    scroll inside their own boxes on a phone (the page itself never scrolls
    sideways), each table's scrolling region is named apart from the others, and
    axe-core finds nothing serious or critical."""
    publisher = publisher_get_or_create(
        name="The Test Gazette",
        homepage_url="https://gazette.example/",
        display_policy="full",
    )
    wide_row = " | ".join(f"Column heading number {n}" for n in range(8))
    blocks = [
        ("Harbour bridge reopens with a new timetable for buses", "p"),
        ("What changes", "h3"),
        ("Buses cross the bridge again from Monday.", "li"),
        ("Cyclists get their own lane.", "li"),
        (wide_row, "hrow"),
        (" | ".join("06:10" for _ in range(8)), "row"),
        ("Tolls", "h4"),
        ("Cars | 2 crowns", "row"),
        ("Vans | 4 crowns", "row"),
        ("The operator's board reads:", "p"),
        ("NEXT " + "North Quay 06:10 " * 12, "pre"),
        ("We are glad to have the bridge back.", "quote"),
    ]
    article = Article.objects.create(
        publisher=publisher,
        url="https://gazette.example/news/timetable",
        canonical_url="https://gazette.example/news/timetable",
        title="Harbour bridge timetable",
        slug="harbour-bridge-timetable",
        published=datetime(2026, 11, 23, 9, tzinfo=UTC),
        summary=blocks[0][0],
        paragraphs=[text for text, _ in blocks],
        block_kinds=[kind for _, kind in blocks],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + article.get_absolute_url())
    body = page.locator(".article-body")
    assert body.locator("h2").all_inner_texts() == ["What changes"]
    assert body.locator("h3").all_inner_texts() == ["Tolls"]
    assert body.locator("ul > li").count() == 2
    assert body.locator("table").count() == 2
    assert body.locator("table").first.locator("th").count() == 8
    regions = body.locator("[role=region]")
    assert [regions.nth(i).get_attribute("aria-label") for i in range(2)] == [
        "Table 1",
        "Table 2",
    ]
    assert body.locator("pre").count() == 1
    assert body.locator("blockquote p").inner_text() == blocks[-1][0]
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390
    widths = page.evaluate(
        "[...document.querySelectorAll('.table-scroll, pre')]"
        ".map(e => e.scrollWidth > e.clientWidth)"
    )
    assert widths == [True, False, True]
    assert axe_violations(page) == []
    screenshots(page, "article-structure")
