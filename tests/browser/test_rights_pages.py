"""The pages publishers' rights add, in real Chromium with axe-core: an excerpt and a
headline-only article page (attribution, the link to the original) and the 410 page
of a taken-down article."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page

from cupure.articles.models import Article
from cupure.rights.services import takedown
from cupure.sources.services import publisher_get_or_create
from tests.browser.conftest import axe_violations, screenshots
from tests.images.helpers import attach_stored_images

pytestmark = pytest.mark.django_db(transaction=True)

PIXEL = (
    "data:image/gif;base64,R0lGODlhAQABAIAAAMzMzAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw=="
)


def _article(policy: str, n: int) -> Article:
    publisher = publisher_get_or_create(
        name=f"{policy.title()} Gazette",
        homepage_url=f"https://{policy}.example/",
        display_policy=policy,
    )
    article = Article.objects.create(
        publisher=publisher,
        url=f"https://{policy}.example/news/{n}",
        canonical_url=f"https://{policy}.example/news/{n}",
        title=f"Harbour bridge reopens ({policy})",
        slug=f"harbour-bridge-{policy}",
        byline="Mara Quist",
        published=datetime(2026, 11, 23, 9, tzinfo=UTC),
        summary="The old harbour bridge reopened to traffic on Monday.",
        paragraphs=[
            "The old harbour bridge reopened to traffic on Monday.",
            "City engineers said the work finished early.",
        ],
        lead_image_src=PIXEL,
        lead_image_caption="Cars cross the bridge.",
    )
    # Pages show only the site's stored copies (cupure.images), never the source.
    attach_stored_images(article)
    return article


@pytest.mark.parametrize("policy", ["excerpt", "headline"])
def test_limited_article_pages(page: Page, live_server, policy: str) -> None:
    article = _article(policy, 1)
    page.goto(live_server.url + article.get_absolute_url())
    body = page.locator(".article-body > p")
    assert body.count() == (1 if policy == "excerpt" else 0)
    assert page.locator("figure.lead-figure").count() == (policy == "excerpt")
    original = page.locator(".read-original a.original-link")
    assert original.get_attribute("href") == article.canonical_url
    assert original.inner_text().startswith("Read the full article on")
    attribution = page.locator(".attribution").inner_text()
    assert attribution.startswith(
        f"Published by {article.publisher.name}, written by Mara Quist"
    )
    assert axe_violations(page) == []
    screenshots(page, f"article-{policy}")


def test_taken_down_page(page: Page, live_server) -> None:
    article = _article("full", 2)
    path = article.get_absolute_url()
    takedown(urls=[article.url], reason="Publisher's request", requested_by="test")
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 410
    assert page.locator("h1").inner_text() == "This article has been removed"
    assert "Harbour bridge" not in page.content()
    assert axe_violations(page) == []
    screenshots(page, "article-gone")
