"""Who said what, read in Chromium on the demo: the port strike story's quotes by
speaker, each linked to its paragraph, and a person's topic page; axe-core clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from cupure.cli import ingest_demo_feeds
from cupure.demo.server import DemoPublishers
from cupure.stories.models import Story
from cupure.trends.models import ArticleTopic
from tests.browser.conftest import axe_violations, screenshots

pytestmark = pytest.mark.django_db(transaction=True)

GUARANTEE = "We are asking for a guarantee on paper, nothing more"


def test_who_said_what_on_the_demo_strike_story(
    page: Page, live_server, allow_loopback: None
) -> None:
    with DemoPublishers() as demo:
        ingest_demo_feeds(demo)
    story = Story.objects.get(articles__url__contains="port-of-kessel-strike-begins")
    page.goto(live_server.url + story.get_absolute_url())

    section = page.locator("section.who-said-what")
    assert section.locator("h2").text_content() == "Who said what"
    speakers = section.locator(".speaker-name").all_inner_texts()
    # Quoted by the most publishers first: the union, the port, the mediator.
    assert speakers[:3] == [
        "Rosa Lindqvist, Union general secretary",
        "Henrik Sollberg, Port chief executive",
        "Dagny Holm, Provincial labour mediator",
    ]
    assert section.inner_text().count(GUARANTEE) == 1
    credit = (
        section.locator(".quote", has_text=GUARANTEE)
        .locator(".quote-credit")
        .inner_text()
    )
    assert credit.startswith("Reported by Meridian Wire; also by ")
    assert "Harbour Herald" in credit
    assert "Evening Post" in credit
    assert axe_violations(page) == []
    screenshots(page, "quotes-story")

    # The credit links to the paragraph the quote came from.
    link = (
        section.locator(".quote", has_text=GUARANTEE).locator(".quote-credit a").first
    )
    href = link.get_attribute("href")
    assert re.search(r"#p\d+$", href)
    link.click()
    page.wait_for_load_state()
    anchor = href.rsplit("#", 1)[1]
    assert GUARANTEE in page.locator(f"p#{anchor}").inner_text()


def test_a_persons_topic_page_lists_what_they_said(
    page: Page, live_server, allow_loopback: None
) -> None:
    with DemoPublishers() as demo:
        ingest_demo_feeds(demo)
    topic = ArticleTopic.objects.filter(name="Ilse Varga").first()
    assert topic is not None
    page.goto(f"{live_server.url}/topics/{topic.key}/")
    section = page.locator("section.who-said-what")
    assert section.locator("h2").text_content() == "What Ilse Varga said recently"
    text = section.inner_text()
    # The mayor in two stories: the lighthouse and the congestion charge.
    assert "Every family in this city has someone who came home by this light" in text
    assert "never built for forty thousand cars a day" in text
    assert axe_violations(page) == []
    screenshots(page, "quotes-person")
