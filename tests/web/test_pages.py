"""The reader pages built from ingested articles."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from cupure.articles.models import Article, Figure
from cupure.sources.services import publisher_get_or_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    publisher = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
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
    assert re.search(
        r'<figure class="lead-figure">\s*<img src="https://gazette.example/img/bridge.jpg"',
        html,
    )
    assert "Cars cross the bridge." in html
    paragraphs = re.findall(r"<p>(\w+ paragraph\.)</p>", html)
    assert paragraphs == ["First paragraph.", "Second paragraph.", "Third paragraph."]
    # The crane figure sits between the second and third paragraphs.
    assert html.index("Second paragraph.") < html.index("crane.jpg")
    assert html.index("crane.jpg") < html.index("Third paragraph.")
    assert 'href="https://gazette.example/news/bridge"' in html


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
