"""Feeds out (RSS 2.0, Atom, JSON Feed 1.1), the sitemap and robots.txt.

Every feed must parse with feedparser without bozo, carry plain-text titles (a
``<script>`` in a headline comes out as text), link our article page and the
original, and name the byline. Runs on SQLite and, with CUPURE_DATABASE_URL set, on
PostgreSQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cupure.articles.models import Article
from cupure.search.services import search_index_article
from cupure.sources.models import Publisher
from cupure.sources.services import publisher_get_or_create
from cupure.stories.models import Story
from cupure.web.feeds import ArticleFeed, FeedContext, JsonFeed
from tests.images.helpers import attach_stored_images

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
HOSTILE_TITLE = 'Bridge <script>alert("x")</script> & tunnel reopen'
HOSTILE_SUMMARY = "Engineers <b>finished</b> repairs & <img src=x onerror=alert(1)>"


@dataclass
class Site:
    """Two originals from the Gazette (one with a hostile title), one copy of it
    from the Herald, and a story holding all three."""

    gazette: Publisher
    herald: Publisher
    hostile: Article
    plain: Article
    copy: Article
    story: Story


@pytest.fixture
def site() -> Site:
    gazette = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    herald = publisher_get_or_create(
        name="Harbour Herald", homepage_url="https://herald.example/"
    )
    story = Story.objects.create(
        id=7,
        title="Harbour crossings reopen",
        slug="harbour-crossings-reopen",
        first_published=PUBLISHED,
        last_published=PUBLISHED + timedelta(hours=2),
    )

    def make(publisher: Publisher, n: int, title: str, **extra: Any) -> Article:
        article = Article.objects.create(
            publisher=publisher,
            url=f"{publisher.homepage_url}news/{n}",
            canonical_url=f"{publisher.homepage_url}news/{n}",
            title=title,
            slug=f"article-{n}",
            published=PUBLISHED + timedelta(hours=n),
            paragraphs=["The bridge and the tunnel reopened today."],
            story=story,
            **extra,
        )
        search_index_article(article=article)
        return article

    hostile = make(
        gazette,
        1,
        HOSTILE_TITLE,
        byline="Mara Quist",
        summary=HOSTILE_SUMMARY,
        lead_image_src="https://gazette.example/img/bridge.jpg",
    )
    attach_stored_images(hostile)
    plain = make(gazette, 2, "Tunnel tolls cut for a month", byline="Ole Brandt")
    copy = make(herald, 3, HOSTILE_TITLE, duplicate_of=hostile)
    return Site(gazette, herald, hostile, plain, copy, story)


def feed_urls(site: Site, fmt: str) -> dict[str, str]:
    return {
        "latest": reverse("feeds:latest", kwargs={"fmt": fmt}),
        "publisher": reverse(
            "feeds:publisher", kwargs={"fmt": fmt, "slug": site.gazette.slug}
        ),
        "story": reverse("feeds:story", kwargs={"fmt": fmt, "pk": site.story.pk}),
        "search": reverse("feeds:search", kwargs={"fmt": fmt}) + "?q=bridge",
    }


def absolute(path: str) -> str:
    return f"http://testserver{path}"


def lead_image_url(article: Article) -> str:
    """The address of the article's 1200-pixel rendition on this site."""
    from cupure.images.models import ArticleImage

    stored = ArticleImage.objects.get(article=article, figure__isnull=True).image
    name = next(r["name"] for r in stored.renditions if r["width"] == 1200)
    return absolute(f"/media/{name}")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("kind", ["latest", "publisher", "story", "search"])
def test_xml_feeds_parse_cleanly(client: Client, site: Site, fmt: str, kind: str):
    """Each RSS/Atom feed parses without bozo; items are the originals, each
    linking our page and the original, with byline and date."""
    response = client.get(feed_urls(site, fmt)[kind])
    assert response.status_code == 200
    assert response["Content-Type"].startswith(f"application/{fmt}+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")

    entries = {entry.link: entry for entry in parsed.entries}
    ours = absolute(site.hostile.get_absolute_url())
    assert ours in entries
    # The copy is not an item of its own: it is credited on its original.
    assert absolute(site.copy.get_absolute_url()) not in entries
    entry = entries[ours]
    related = [link.href for link in entry.links if link.rel == "related"]
    assert related == [site.hostile.url]
    assert entry.author == "Mara Quist"
    assert entry.published_parsed[:4] == (2026, 11, 24, 9)
    # The lead image is our own rendition (with its size), not the publisher's.
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert [e.href for e in enclosures] == [lead_image_url(site.hostile)]
    assert enclosures[0].type == "image/webp"
    assert int(enclosures[0].length) > 1000


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_script_in_titles_and_summaries_stays_text(
    client: Client, site: Site, fmt: str
) -> None:
    """A <script> headline is the title's text; the summary is escaped HTML that
    shows the publisher's markup as characters, never as tags."""
    body = client.get(feed_urls(site, fmt)["latest"]).content
    assert b"<script" not in body
    assert b"<b>" not in body and b"<img" not in body
    parsed = feedparser.parse(body)
    entry = next(e for e in parsed.entries if "alert" in e.title)
    assert entry.title == HOSTILE_TITLE
    assert entry.title_detail.type == "text/plain"
    # The summary is HTML whose text is the plain summary (a paragraph).
    assert entry.summary == (
        "<p>Engineers &lt;b&gt;finished&lt;/b&gt; repairs &amp; "
        "&lt;img src=x onerror=alert(1)&gt;</p>"
    )


# The JSON Feed 1.1 spec's required keys, and the item keys one of which is needed.
JSON_FEED_REQUIRED = {"version", "title", "items"}
JSON_ITEM_REQUIRED = {"id"}
JSON_ITEM_CONTENT = {"content_text", "content_html"}


@pytest.mark.parametrize("kind", ["latest", "publisher", "story", "search"])
def test_json_feeds_follow_the_spec(client: Client, site: Site, kind: str) -> None:
    """JSON Feed 1.1: required keys, string ids, content, RFC 3339 dates, plain text,
    our page as url and the original as external_url."""
    response = client.get(feed_urls(site, "json")[kind])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert set(feed) >= JSON_FEED_REQUIRED
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == absolute(feed_urls(site, "json")[kind])
    assert feed["items"]
    for item in feed["items"]:
        assert set(item) >= JSON_ITEM_REQUIRED
        assert isinstance(item["id"], str)
        assert JSON_ITEM_CONTENT & set(item)
        assert "content_html" not in item
        datetime.fromisoformat(item["date_published"])
    by_url = {item["url"]: item for item in feed["items"]}
    item = by_url[absolute(site.hostile.get_absolute_url())]
    assert item["title"] == HOSTILE_TITLE
    assert item["content_text"] == HOSTILE_SUMMARY
    assert item["external_url"] == site.hostile.url
    assert item["authors"] == [{"name": "Mara Quist"}]
    assert item["image"] == lead_image_url(site.hostile)
    plain = by_url[absolute(site.plain.get_absolute_url())]
    assert "image" not in plain


def test_publisher_feed_includes_its_copies(client: Client, site: Site) -> None:
    """The Herald's feed lists the copy it published."""
    url = reverse("feeds:publisher", kwargs={"fmt": "json", "slug": site.herald.slug})
    items = json.loads(client.get(url).content)["items"]
    assert [item["url"] for item in items] == [absolute(site.copy.get_absolute_url())]


def test_search_feed_keeps_filters_and_needs_a_query(client: Client, site: Site):
    """?q= and filters pick the items; without q the feed is a 404."""
    url = reverse("feeds:search", kwargs={"fmt": "json"})
    feed = json.loads(client.get(url, {"q": "tolls"}).content)
    assert [item["title"] for item in feed["items"]] == [site.plain.title]
    assert feed["home_page_url"] == absolute("/search/?q=tolls")
    assert client.get(url).status_code == 404
    assert client.get(url, {"q": "x", "publisher": "nobody"}).status_code == 404


def test_unknown_publisher_and_story_are_404(client: Client, site: Site) -> None:
    """Feeds of things that do not exist are 404, not empty feeds."""
    assert client.get("/feeds/publishers/nobody.rss").status_code == 404
    assert client.get("/feeds/stories/999.atom").status_code == 404
    assert client.get("/feeds/latest.xml").status_code == 404


def test_pages_link_their_feeds(client: Client, site: Site) -> None:
    """The head of every page lists the home feeds as <link rel="alternate">."""
    html = client.get("/").content.decode()
    for fmt, mime in [
        ("rss", "application/rss+xml"),
        ("atom", "application/atom+xml"),
        ("json", "application/feed+json"),
    ]:
        url = reverse("feeds:latest", kwargs={"fmt": fmt})
        assert f'<link rel="alternate" type="{mime}"' in html
        assert f'href="{url}"' in html


def test_a_new_feed_is_one_subclass(site: Site) -> None:
    """The base class does the items: a subclass only says what the feed is about
    (the way topic feeds will be added)."""

    class TunnelFeed(ArticleFeed):
        feed_type = JsonFeed

        def context(self, request, **kwargs) -> FeedContext:
            return FeedContext(
                title="Tunnel news",
                link="/topics/tunnel/",
                description="Articles about the tunnel.",
                feed_path=request.get_full_path(),
                articles=lambda: Article.objects.filter(
                    title__startswith="Tunnel tolls"
                ),
            )

    request = RequestFactory().get("/feeds/topics/tunnel.json")
    feed = json.loads(TunnelFeed()(request).content)
    assert feed["title"] == "Tunnel news"
    assert [item["title"] for item in feed["items"]] == [site.plain.title]
    assert feed["items"][0]["external_url"] == site.plain.url


def test_feed_query_count_is_bounded(client: Client, site: Site) -> None:
    """Items cost no query each: a feed of 13 articles runs as many queries as 3."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/feeds/latest.rss").status_code == 200
        return len(captured)

    three = queries()
    for n in range(10):
        Article.objects.create(
            publisher=site.herald,
            url=f"https://herald.example/more/{n}",
            canonical_url=f"https://herald.example/more/{n}",
            title=f"More news {n}",
            published=PUBLISHED,
        )
    assert queries() == three


def test_sitemap_lists_articles_stories_publishers(client: Client, site: Site):
    """/sitemap.xml is an index of three sections; copies are left out."""
    index = client.get("/sitemap.xml").content.decode()
    for section in ("articles", "stories", "publishers"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in index
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert absolute(site.hostile.get_absolute_url()) in articles
    assert absolute(site.plain.get_absolute_url()) in articles
    assert absolute(site.copy.get_absolute_url()) not in articles
    stories = client.get("/sitemap-stories.xml").content.decode()
    assert absolute(site.story.get_absolute_url()) in stories
    publishers = client.get("/sitemap-publishers.xml").content.decode()
    assert absolute(site.herald.get_absolute_url()) in publishers


def test_robots_txt(client: Client) -> None:
    """Allows all, keeps crawlers out of the admin and search results, names the
    sitemap."""
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
