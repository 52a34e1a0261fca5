"""The reader pages built from ingested articles."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from cupure.articles.models import Article, Figure
from cupure.comments.models import Comment, CommentStatus
from cupure.sources.services import publisher_get_or_create
from cupure.stories.models import Story
from tests.images.helpers import attach_stored_images

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    publisher = publisher_get_or_create(
        name="The Test Gazette",
        homepage_url="https://gazette.example/",
        display_policy="full",
    )
    article = Article.objects.create(
        publisher=publisher,
        url="https://gazette.example/news/bridge",
        canonical_url="https://gazette.example/news/bridge",
        title="Harbour bridge reopens <after> repairs",
        slug="harbour-bridge-reopens-after-repairs",
        byline="Mara Quist",
        published=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        site_name="The Test Gazette",
        summary="The old harbour bridge reopened.",
        paragraphs=["First paragraph.", "Second paragraph.", "Third paragraph."],
        lead_image_src="https://gazette.example/img/bridge.jpg",
        lead_image_caption="Cars cross the bridge.",
        lead_image_credit="Photo: Ole Brandt",
    )
    Figure.objects.create(
        article=article,
        position=2,
        src="https://gazette.example/img/crane.jpg",
        caption="A crane lifts the deck.",
        credit="Photo: Ole Brandt",
    )
    attach_stored_images(article)
    return article


def test_home_lists_the_newest_articles(client: Client, article: Article) -> None:
    """The home page links each article with its publisher and time."""
    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert article.get_absolute_url() in html
    assert "The Test Gazette" in html
    assert 'datetime="2026-11-23T09:30:00+00:00"' in html


def test_article_page_shows_every_part(client: Client, article: Article) -> None:
    """Headline, byline, date, lead figure with caption, paragraphs, inline figure in
    place, and a link to the original; titles are escaped text, never markup."""
    response = client.get(article.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert (
        "<title>Harbour bridge reopens &lt;after&gt; repairs — cupure</title>" in html
    )
    assert "<h1>Harbour bridge reopens &lt;after&gt; repairs</h1>" in html
    assert "By Mara Quist" in html
    # The site's own copy of the lead image, never the publisher's.
    assert re.search(
        r'<figure class="lead-figure">\s*'
        r'<img src="/media/[0-9a-f]{2}/[0-9a-f]+-720\.webp"',
        html,
    )
    assert "gazette.example/img/" not in html
    assert "Cars cross the bridge." in html
    paragraphs = re.findall(r"<p id=\"p\d\">(\w+ paragraph\.)</p>", html)
    assert paragraphs == ["First paragraph.", "Second paragraph.", "Third paragraph."]
    # The crane figure sits between the second and third paragraphs.
    assert html.index("Second paragraph.") < html.index("A crane lifts")
    assert html.index("A crane lifts") < html.index("Third paragraph.")
    assert html.count("<img ") == 2
    assert 'href="https://gazette.example/news/bridge"' in html


def test_story_page_shows_coverage_copies_related_and_comments(
    client: Client, article: Article
) -> None:
    """Originals oldest first with the publishers that copied them, the list of
    publishers, related stories, the lead figure and readers' comments per article;
    the copy links to its own publisher's page."""
    published = article.published
    story = Story.objects.create(
        id=41,
        title="Harbour bridge reopens",
        slug="harbour-bridge-reopens",
        first_published=published,
        last_published=published,
        article_count=3,
        publisher_count=3,
        lead_article=article,
    )
    other = Story.objects.create(
        id=42,
        title="Ferry timetable changes",
        slug="ferry-timetable-changes",
        first_published=published,
        last_published=published,
        article_count=2,
    )
    story.related = [[other.pk, 0.4]]
    story.save(update_fields=["related"])
    later = Article.objects.create(
        publisher=publisher_get_or_create(name="Evening Post"),
        url="https://post.example/bridge",
        canonical_url="https://post.example/bridge",
        title="Bridge traffic flows again",
        slug="bridge-traffic-flows-again",
        published=published.replace(hour=11),
        summary="Traffic is back on the harbour bridge.",
        story=story,
    )
    Article.objects.create(
        publisher=publisher_get_or_create(name="Northshore Daily"),
        url="https://northshore.example/bridge",
        canonical_url="https://northshore.example/bridge",
        title="Harbour bridge reopens after repairs",
        published=published.replace(hour=10),
        duplicate_of=article,
        story=story,
    )
    Article.objects.filter(pk=article.pk).update(story=story)
    Comment.objects.create(
        article=later,
        author_name="Ole",
        body_markdown="Finally!",
        body_html="<p>Finally, a bridge again!</p>",
        status=CommentStatus.PUBLISHED,
        created_at=published,
    )

    response = client.get(story.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Harbour bridge reopens</h1>" in html
    assert "Evening Post, Northshore Daily, The Test Gazette" in html
    items = re.findall(r'<li class="coverage-item">(.*?)</li>', html, re.S)
    assert len(items) == 2
    assert article.get_absolute_url() in items[0]
    assert 'datetime="2026-11-23T09:30:00+00:00">23 Nov, 09:30 UTC' in items[0]
    assert (
        'Also published by <a href="https://northshore.example/bridge" '
        'rel="noopener noreferrer">Northshore Daily</a>'
    ) in items[0]
    assert later.get_absolute_url() in items[1]
    assert later.publisher.get_absolute_url() in items[1]
    assert "Also published by" not in items[1]
    assert re.search(r'<figure class="lead-figure">\s*<img src="/media/', html)
    assert "gazette.example/img/" not in html
    assert f'href="{other.get_absolute_url()}">Ferry timetable changes</a>' in html
    thread = html[html.index('id="story-comments-heading"') :]
    assert "Finally, a bridge again!" in thread
    assert f"{later.get_absolute_url()}#comments" in thread
    assert article.get_absolute_url() + "#comments" not in thread


def test_article_with_wrong_slug_redirects(client: Client, article: Article) -> None:
    response = client.get(f"/articles/{article.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_missing_article_is_404(client: Client) -> None:
    assert client.get("/articles/999999/none/").status_code == 404


def test_publisher_page_lists_its_articles(client: Client, article: Article) -> None:
    response = client.get(article.publisher.get_absolute_url())
    assert response.status_code == 200
    assert article.get_absolute_url() in response.content.decode()


def test_anonymous_pages_are_cached_for_a_short_while(
    article: Article, settings: pytest.FixtureRequest
) -> None:
    """With the page cache on, a second anonymous view within the cache time is served
    from the cache (an article added meanwhile shows up only after it expires)."""
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    settings.MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    client = Client()
    first = client.get("/")
    assert "max-age=30" in first["Cache-Control"]
    Article.objects.filter(pk=article.pk).update(title="A changed headline")

    second = Client().get("/")

    assert "Harbour bridge reopens" in second.content.decode()
    assert "A changed headline" not in second.content.decode()


def test_every_page_sends_a_content_security_policy(
    client: Client, article: Article
) -> None:
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_missing_page_is_a_site_page_not_a_bare_error(client: Client) -> None:
    """The 404 keeps the site around it: brand, search, a way home."""
    response = client.get("/articles/999999/none/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="page-title">Page not found</h1>' in html
    assert 'class="brand"' in html
    assert 'action="/search/"' in html
