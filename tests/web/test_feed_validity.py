"""Every feed the site serves is valid by its specification (issue #18, item 5).

The feeds are listed from ``cupure.web.urls_feeds`` itself, so a feed added later
without a case here fails ``test_every_feed_url_is_checked``. Each is fetched with
articles in it and empty, in RSS 2.0, Atom 1.0 and JSON Feed 1.1, and checked by
``tests/web/feed_specs.py``. Runs on SQLite and, with CUPURE_DATABASE_URL set, on
PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from cupure.articles.models import Article
from cupure.search.services import search_index_article
from cupure.sources.services import publisher_get_or_create
from cupure.stories.models import Story
from cupure.trends.models import ArticleTopic
from cupure.web import urls_feeds
from cupure.web.feeds import FEED_FORMATS

from .feed_specs import atom_violations, json_feed_violations, rss_violations

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
CHECKERS = {
    "rss": lambda body: rss_violations(body),
    "atom": lambda body: atom_violations(body),
    "json": lambda body: json_feed_violations(json.loads(body)),
}
# The feeds of urls_feeds, each with the URL arguments of the fixture's things.
FEED_NAMES = ("latest", "publisher", "story", "topic", "search")


def _feed_url(name: str, fmt: str) -> str:
    kwargs: dict[str, object] = {"fmt": fmt}
    if name == "publisher":
        kwargs["slug"] = "the-test-gazette"
    elif name == "story":
        kwargs["pk"] = 7
    elif name == "topic":
        kwargs["key"] = "harbour-bridge"
    url = reverse(f"feeds:{name}", kwargs=kwargs)
    return url + "?q=bridge" if name == "search" else url


@pytest.fixture
def filled() -> None:
    gazette = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    story = Story.objects.create(
        id=7,
        title="Harbour bridge reopens",
        slug="harbour-bridge-reopens",
        first_published=PUBLISHED,
        last_published=PUBLISHED,
    )
    for n in range(3):
        article = Article.objects.create(
            publisher=gazette,
            url=f"https://gazette.example/news/{n}",
            canonical_url=f"https://gazette.example/news/{n}",
            title=f"Harbour bridge <b>reopens</b> & more {n}",
            slug=f"bridge-{n}",
            byline="Mara Quist" if n else "",
            published=PUBLISHED + timedelta(hours=n),
            updated=PUBLISHED + timedelta(hours=n + 1) if n == 2 else None,
            summary="The bridge reopened.",
            paragraphs=["The bridge reopened today.", "Traffic is back."],
            lead_image_src="https://gazette.example/img/bridge.jpg" if n else "",
            story=story,
        )
        ArticleTopic.objects.create(
            article=article,
            key="harbour-bridge",
            name="Harbour Bridge",
            kind="entity",
            story_id=story.pk,
            publisher_id=gazette.pk,
            published=article.published,
        )
        search_index_article(article=article)


@pytest.fixture
def empty() -> None:
    """The publisher and story exist but have no articles; no article matches."""
    publisher_get_or_create(name="The Test Gazette")
    Story.objects.create(
        id=7,
        title="Quiet",
        slug="quiet",
        first_published=PUBLISHED,
        last_published=PUBLISHED,
    )


def test_every_feed_url_is_checked() -> None:
    """The feeds checked below are all the feeds urls_feeds serves."""
    served = {
        p.name
        for p in urls_feeds.urlpatterns
        if isinstance(p, URLPattern) and "feedformat" in str(p.pattern)
    }
    assert served == set(FEED_NAMES)
    assert set(FEED_FORMATS) == set(CHECKERS)


@pytest.mark.parametrize("fmt", list(FEED_FORMATS))
@pytest.mark.parametrize("name", FEED_NAMES)
def test_feeds_with_items_are_valid(
    client: Client, filled: None, name: str, fmt: str
) -> None:
    response = client.get(_feed_url(name, fmt))
    assert response.status_code == 200
    assert CHECKERS[fmt](response.content) == []
    # Not vacuous: the feed has items to check.
    assert b"bridge-1" in response.content


@pytest.mark.parametrize("fmt", list(FEED_FORMATS))
@pytest.mark.parametrize("name", ["latest", "publisher", "story", "search"])
def test_empty_feeds_are_valid(client: Client, empty: None, name: str, fmt: str):
    """A feed with no item is still a valid feed (JSON Feed: ``"items": []``)."""
    response = client.get(_feed_url(name, fmt))
    assert response.status_code == 200
    assert CHECKERS[fmt](response.content) == []
    if fmt == "json":
        assert json.loads(response.content)["items"] == []


def test_atom_entries_carry_updated(client: Client, filled: None) -> None:
    """<updated> is the declared update, else the publication time."""
    from lxml import etree

    root = etree.fromstring(client.get("/feeds/latest.atom").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = {
        e.findtext("a:title", namespaces=ns)[-1]: e.findtext("a:updated", namespaces=ns)
        for e in root.findall("a:entry", ns)
    }
    assert updated == {
        "2": "2026-11-24T11:00:00+00:00",
        "1": "2026-11-24T09:00:00+00:00",
        "0": "2026-11-24T08:00:00+00:00",
    }


# The checkers themselves must catch what the W3C validator caught.
BROKEN_ATOM = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x:1</id>
<updated>2026-11-24T08:00:00Z</updated><author><name>a</name></author>
<entry><title>e</title><id>urn:x:2</id><link href="http://x.example/"/></entry></feed>"""
BROKEN_RSS = b"""<rss version="2.0"><channel><title>t</title><link>/rel</link>
<item><pubDate>yesterday</pubDate></item></channel></rss>"""


def test_checkers_catch_the_reported_faults() -> None:
    assert atom_violations(BROKEN_ATOM) == ["entry 0: Missing entry element: updated"]
    assert json_feed_violations(
        {"version": "https://jsonfeed.org/version/1.1", "title": "t"}
    ) == ["feed: 'items' is a required property"]
    assert set(rss_violations(BROKEN_RSS)) == {
        "channel: must contain exactly one <description>",
        "channel: <link> is not an absolute URL",
        "item 0: needs a <title> or a <description>",
        "item 0: <pubDate> 'yesterday' is not an RFC 822 date",
    }
    item_without_content = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [{"id": "1", "date_published": "24 Nov 2026"}],
    }
    problems = json_feed_violations(item_without_content)
    assert any("is not valid under any of the given schemas" in p for p in problems)
    assert "items/0/date_published is not an RFC 3339 date" in problems


@pytest.mark.parametrize("fmt", list(FEED_FORMATS))
@pytest.mark.parametrize("policy", ["full", "excerpt", "headline"])
def test_feeds_are_valid_under_every_policy(
    client: Client, filled: None, policy: str, fmt: str
) -> None:
    """Full texts (one <p> a paragraph), excerpts and credit lines alike."""
    from cupure.sources.models import Publisher

    Publisher.objects.update(display_policy=policy)
    response = client.get(_feed_url("publisher", fmt))
    assert CHECKERS[fmt](response.content) == []
    assert (b"Traffic is back" in response.content) is (policy == "full")
