"""A reader's browser never contacts a publisher (issue #17): Chromium records
every request while reading the home, article, story, search and comment pages;
all of them go to the site, and the pictures still show."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Page

from cupure.articles.models import Article
from cupure.comments.models import Comment, CommentStatus
from cupure.images.models import ArticleImage
from cupure.images.services import images_schedule
from tests.images.helpers import article_with_images
from tests.imaging import samples
from tests.loopback import LoopbackSite
from tests.loopback import Page as Served

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def publisher(allow_loopback: None) -> Iterator[LoopbackSite]:
    with LoopbackSite() as site:
        for number in range(4):
            site.pages[f"/img/{number}.jpg"] = Served(
                samples.photo(1200, 675, color=(200, 60 + number * 10, 40)),
                "image/jpeg",
            )
        site.pages["/img/figure.png"] = Served(
            samples.photo(800, 450, fmt="PNG"), "image/png"
        )
        yield site


# Four different harbour reports (not copies of one another: all are listed).
TEXTS = [
    "The harbour bridge reopened after two years of repairs.\n\nTraffic was light.",
    "Ferry crews in the harbour went on strike over pay on Tuesday morning.",
    "A storm flooded the harbour market; traders counted their losses at noon.",
    "The harbour museum opened a new wing about shipbuilding and sailmakers.",
]


@pytest.fixture
def articles(publisher: LoopbackSite) -> list[Article]:
    made = []
    for number, text in enumerate(TEXTS):
        article = article_with_images(
            lead=publisher.url(f"/img/{number}.jpg"),
            figures=(publisher.url("/img/figure.png"),) if number == 0 else (),
            text=text,
        )
        with transaction.atomic():
            images_schedule(article=article)  # fetched when this commits
        made.append(article)
    Comment.objects.create(
        article=made[0],
        author_name="Reader",
        body_markdown="Good to see it open.",
        body_html="<p>Good to see it open.</p>",
        status=CommentStatus.PUBLISHED,
        created_at=timezone.now(),
    )
    assert ArticleImage.objects.filter(status="stored").count() == 5
    return made


def test_no_page_makes_the_browser_contact_a_publisher(
    page: Page, live_server, publisher: LoopbackSite, articles: list[Article]
) -> None:
    asked_by_ingest = list(publisher.requests)
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    article = articles[0]
    story = article.story
    pages = [
        "/",
        article.get_absolute_url(),
        article.get_absolute_url() + "#comments",
        story.get_absolute_url(),
        "/search/?q=harbour",
    ]
    shown = 0
    for path in pages:
        page.goto(live_server.url + path)
        # Scroll to the end so that every lazy image is asked for.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.currentSrc, i.naturalWidth])"
        )
        assert all(width > 0 for _, width in images), (path, images)
        shown += len(images)

    assert shown >= 8, "the pages show the stored pictures"
    assert any("/media/" in url for url in requested)
    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert outside == []
    assert publisher.requests == asked_by_ingest, "the browser asked the publisher"
    assert refused == []
