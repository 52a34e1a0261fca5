"""The demo publishers ingested for real, then every kind of page read in Chromium:
parts present, axe-core clean, screenshots at phone and desktop widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from cupure.cli import ingest_demo_feeds
from cupure.demo.server import DemoPublishers
from cupure.stories.models import Story
from cupure.trends.models import ArticleTopic
from tests.browser.conftest import axe_violations, screenshots

pytestmark = pytest.mark.django_db(transaction=True)


def check(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    screenshots(page, name)


def test_every_page_of_the_demo_site(
    page: Page, live_server, allow_loopback: None
) -> None:
    with DemoPublishers() as demo:
        ingest_demo_feeds(demo)
        page.goto(live_server.url + "/")

        # Home: top stories with coverage counts, the latest articles, the nav.
        assert page.locator("#top-heading").inner_text().lower() == "top stories"
        top = page.locator(".story-card").first
        assert "publishers" in top.locator(".meta").inner_text()
        assert page.locator(".breaking-list li").count() >= 1
        assert page.locator(".site-nav .topic-link").count() >= 1
        check(page, "demo-home")

        # Story page: its coverage by publisher and time.
        top.locator("h3 a").click()
        page.wait_for_load_state()
        story = Story.objects.order_by("-article_count").first()
        assert page.locator(".coverage-item").count() >= 2
        check(page, "demo-story")

        # Article page from the story: lead figure, paragraphs, original link.
        page.locator(".coverage-title a").first.click()
        page.wait_for_load_state()
        assert page.locator("figure.lead-figure figcaption").count() == 1
        assert page.locator(".article-body > p").count() >= 3
        assert (
            page.locator("a.original-link")
            .get_attribute("href")
            .startswith(demo.base_url)
        )
        check(page, "demo-article")

        # The wire story's copies are credited on the original.
        wire = Story.objects.filter(articles__duplicate_of__isnull=False).first()
        assert wire is not None
        page.goto(live_server.url + wire.get_absolute_url())
        assert "Also published by" in page.locator(".coverage").inner_text()

        # Topic page: explanation and sparkline.
        page.locator(".site-nav .topic-link").first.click()
        page.wait_for_load_state()
        assert page.locator(".sparkline svg").count() == 1
        assert page.locator(".trend-explain").inner_text()
        check(page, "demo-topic")

        # Publisher page: its articles and feed health.
        page.goto(live_server.url + story.lead_article.publisher.get_absolute_url())
        assert page.locator(".feed-health li").count() == 1
        assert "OK" in page.locator(".feed-health").inner_text()
        check(page, "demo-publisher")
        assert ArticleTopic.objects.exists()
