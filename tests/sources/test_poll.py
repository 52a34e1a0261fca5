"""Polling a feed end to end: fetch -> parse -> entries -> article pages -> Articles."""

from __future__ import annotations

import pytest

from cupure.articles.models import Article
from cupure.sources.models import Entry, Feed
from cupure.sources.services import feed_poll
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import fixture, subscribe

pytestmark = pytest.mark.django_db


def test_poll_stores_each_article_with_its_parts(gazette: LoopbackSite) -> None:
    """One poll stores both entries and both articles, with paragraphs and figures."""
    feed = subscribe(gazette, "/rss.xml")

    result = feed_poll(feed=feed)

    assert result.ok, result.error
    assert (result.new_entries, result.ingested, result.failed) == (2, 2, 0)
    bridge = Article.objects.get(canonical_url=gazette.url("/news/bridge-reopens"))
    assert bridge.title == "Harbour bridge reopens after repairs"
    assert bridge.publisher.name == "The Test Gazette"
    assert len(bridge.paragraphs) == 4
    assert bridge.paragraphs[0].startswith("The old harbour bridge reopened")
    assert bridge.lead_image_src == gazette.url("/img/bridge.jpg")
    assert "Cars cross the harbour bridge" in bridge.lead_image_caption
    assert "Ole Brandt" in bridge.lead_image_credit
    assert "<html" in bridge.raw_html
    figures = list(bridge.figures.all())
    assert [f.src for f in figures] == [gazette.url("/img/crane.jpg")]
    assert figures[0].position == 2
    body = bridge.text
    for boilerplate in ("cookies", "Related", "Reader42", "Share on", "Storm warning"):
        assert boilerplate not in body
    assert "Cars cross" not in body, "a caption leaked into the paragraphs"
    feed.refresh_from_db()
    assert feed.status == Feed.Status.OK
    assert feed.etag


def test_second_poll_stores_nothing_twice(gazette: LoopbackSite) -> None:
    """Polling again (feed unchanged, then changed ETag) adds no entry or article."""
    feed = subscribe(gazette, "/rss.xml")
    feed_poll(feed=feed)

    again = feed_poll(feed=feed)
    assert again.ok and again.not_modified
    # A feed whose bytes change (new ETag) but lists the same items adds nothing either.
    gazette.pages["/rss.xml"].body += b"\n"
    changed = feed_poll(feed=feed)
    assert changed.ok and not changed.not_modified
    assert changed.new_entries == 0

    assert Entry.objects.count() == 2
    assert Article.objects.count() == 2


def test_same_article_from_two_feeds_is_stored_once(gazette: LoopbackSite) -> None:
    """The Atom feed lists a page the RSS feed already brought: one Article."""
    feed_poll(feed=subscribe(gazette, "/rss.xml"))
    result = feed_poll(feed=subscribe(gazette, "/atom.xml"))

    assert result.ok and result.new_entries == 1
    assert Article.objects.count() == 2
    assert Entry.objects.filter(article__isnull=False).count() == 3


def test_broken_feed_is_marked_with_a_reason_and_others_carry_on(
    gazette: LoopbackSite,
) -> None:
    """A feed answering 500 is marked failing with the status; the next feed works."""
    gazette.pages["/broken.xml"] = Page(b"oops", "text/plain", status=500)
    broken = subscribe(gazette, "/broken.xml")
    good = subscribe(gazette, "/rss.xml")

    bad_result = feed_poll(feed=broken)
    good_result = feed_poll(feed=good)

    assert not bad_result.ok
    broken.refresh_from_db()
    assert broken.status == Feed.Status.FAILING
    assert "500" in broken.last_error
    assert broken.consecutive_failures == 1
    assert broken.next_poll_at > broken.last_polled_at
    assert good_result.ok and good_result.ingested == 2


def test_unreachable_article_page_is_retried_not_lost(gazette: LoopbackSite) -> None:
    """A page that 404s leaves its entry failed with why; a later poll retries."""
    del gazette.pages["/news/library-hours"]
    feed = subscribe(gazette, "/rss.xml")

    first = feed_poll(feed=feed)
    assert (first.ingested, first.failed) == (1, 1)
    entry = Entry.objects.get(guid="gazette-1002")
    assert entry.status == Entry.Status.FAILED
    assert "404" in entry.last_error

    gazette.pages["/news/library-hours"] = Page(
        fixture("article_library.html", gazette)
    )
    second = feed_poll(feed=feed)
    assert (second.ingested, second.failed) == (1, 0)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.INGESTED
    assert Article.objects.count() == 2


def test_loopback_feed_is_refused_without_the_allow_list(
    loopback_site: LoopbackSite, settings: pytest.FixtureRequest
) -> None:
    """With the default policy a feed on 127.0.0.1 is never fetched."""
    settings.CUPURE_FETCH_ALLOW_PRIVATE = ""
    loopback_site.pages["/rss.xml"] = Page(b"<rss/>", "application/rss+xml")
    feed = subscribe(loopback_site, "/rss.xml")

    result = feed_poll(feed=feed)

    assert not result.ok
    assert loopback_site.requests == []
    feed.refresh_from_db()
    assert feed.status == Feed.Status.FAILING
    assert "127.0.0.1" in feed.last_error


SCRIPT_ONLY_PAGE = """<!doctype html><html lang="en"><head>
<title>Ferry timetable for the winter - The Test Gazette</title>
<meta property="og:title" content="Ferry timetable for the winter">
<meta property="og:image" content="{base}/img/ferry.jpg">
<meta property="article:published_time" content="2026-11-23T08:15:00+00:00">
</head><body><div id="app"></div><script src="/app.js"></script></body></html>"""
FEED_TEXT = (
    "The harbour ferry keeps its summer timetable until the end of November, "
    "then runs every forty minutes on weekdays and every hour at weekends, the "
    "operator said on Monday."
)


def test_a_page_without_text_is_stored_with_its_feed_entry_s_text(
    loopback_site: LoopbackSite, allow_loopback: None, client
) -> None:
    """A script-only page (the text comes from JavaScript) gives no article text:
    its entry is stored with the feed's own text under the page's date and
    picture, as a feed reader would show it, and the article page links the
    original. An entry whose feed text is a teaser of a few words fails as
    before, saying why."""
    site = loopback_site
    rss = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>The Test Gazette</title><link>{site.url("/")}</link>
<description>News written for cupure's tests.</description>
<item><title>Winter ferry timetable</title><link>{site.url("/news/ferry")}</link>
<guid>gazette-2001</guid><description>{FEED_TEXT}</description></item>
<item><title>Library quiz night</title><link>{site.url("/news/quiz")}</link>
<guid>gazette-2002</guid><description>Read more.</description></item>
</channel></rss>"""
    site.pages["/rss.xml"] = Page(rss.encode(), "application/rss+xml")
    page = SCRIPT_ONLY_PAGE.replace("{base}", site.base_url).encode()
    site.pages["/news/ferry"] = Page(page)
    site.pages["/news/quiz"] = Page(page.replace(b"Ferry timetable", b"Quiz"))

    result = feed_poll(feed=subscribe(site, "/rss.xml"))

    assert (result.ingested, result.failed) == (1, 1)
    article = Article.objects.get()
    assert article.title == "Winter ferry timetable"
    assert article.paragraphs == [FEED_TEXT]
    assert article.summary == FEED_TEXT
    assert article.lead_image_src == site.url("/img/ferry.jpg")
    assert article.published.isoformat() == "2026-11-23T08:15:00+00:00"
    assert Entry.objects.get(guid="gazette-2001").status == Entry.Status.INGESTED
    teaser = Entry.objects.get(guid="gazette-2002")
    assert teaser.status == Entry.Status.FAILED
    assert teaser.last_error.startswith("no article text found")
    html = client.get(article.get_absolute_url()).content.decode()
    assert FEED_TEXT in html
    assert f'href="{site.url("/news/ferry")}"' in html
