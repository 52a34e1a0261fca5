"""JSON Feed, field by field (mutation testing, issue #23): which field wins when
several are given, what each becomes, and the exact refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cupure.feeds import MalformedFeed, NotAFeed, parse_feed
from cupure.feeds.types import FeedEntry, ParsedFeed
from tests.timezones import local_time_zone

URL = "https://json.example/feeds/all.json"
FETCHED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TYPE = "application/feed+json"


def parse(document: object) -> ParsedFeed:
    return parse_feed(
        json.dumps(document).encode(), url=URL, content_type=TYPE, fetched_at=FETCHED
    )


FEED = {
    "version": "http://jsonfeed.org/version/1",
    "title": "  JSON   Times ",
    "home_page_url": "/home",
    "description": "News as JSON",
    "items": [
        {
            "id": "a-1",
            "url": "/a",
            "external_url": "https://elsewhere.example/a",
            "title": "Alpha",
            "content_html": "<p>Alpha <b>body</b></p>",
            "summary": "Alpha <in short>",
            "authors": [{"name": "A. Writer"}, "not an author", {}, {"name": 7}],
            "image": "/a.jpg",
            "banner_image": "/a-banner.jpg",
            "date_published": "2026-02-20T18:00:00+00:00",
            "date_modified": "2026-02-21T09:00:00+00:00",
        },
        {
            "id": 42,
            "external_url": "https://elsewhere.example/b",
            "title": 2026,
            "content_text": "Beta <as text>",
            "author": {"name": "B. Editor"},
            "banner_image": "https://cdn.example/b.jpg",
            "date_modified": "2026-02-22T10:00:00+00:00",
        },
        {
            "id": "c-3",
            "url": "https://json.example/c",
            "title": "Gamma <b>plain</b> & co",
            "content_html": "<p>Gamma &amp; <i>more</i></p>",
            "authors": "nobody",
            "author": {"name": "C. Fallback"},
            "date_published": "not a date",
        },
        "a string, not an item",
        ["a list"],
    ],
}


def test_every_field_of_a_json_feed() -> None:
    feed = parse(FEED)
    assert (feed.format, feed.title, feed.site_url, feed.description) == (
        "json1",
        "JSON Times",
        "https://json.example/home",
        "News as JSON",
    )
    assert feed.ttl_seconds is None
    assert feed.skipped == ("2 items were not JSON objects",)
    alpha, beta, gamma = feed.entries
    assert alpha == FeedEntry(
        guid="a-1",
        link="https://json.example/a",
        title="Alpha",
        published=datetime(2026, 2, 20, 18, 0, tzinfo=UTC),
        summary="Alpha <in short>",  # summary wins, and is plain text
        author="A. Writer, 7",
        image_url="https://json.example/a.jpg",
        declared_published=datetime(2026, 2, 20, 18, 0, tzinfo=UTC),
        declared_updated=datetime(2026, 2, 21, 9, 0, tzinfo=UTC),
    )
    assert beta == FeedEntry(
        guid="42",
        link="https://elsewhere.example/b",
        title="2026",
        published=datetime(2026, 2, 22, 10, 0, tzinfo=UTC),
        summary="Beta <as text>",
        author="B. Editor",
        image_url="https://cdn.example/b.jpg",
        declared_published=None,
        declared_updated=datetime(2026, 2, 22, 10, 0, tzinfo=UTC),
    )
    assert gamma == FeedEntry(
        guid="c-3",
        link="https://json.example/c",
        title="Gamma <b>plain</b> & co",  # titles are text in JSON Feed
        published=FETCHED,
        summary="Gamma & more",
        author="C. Fallback",  # "authors" is not a list: the 1.0 "author" is read
        image_url="",
        declared_published=None,
        declared_updated=None,
    )


def test_at_most_ten_authors_are_named_and_none_is_empty() -> None:
    authors = [{"name": f"W{n}"} for n in range(12)]
    item = {"id": "x", "url": "/x", "title": "X", "authors": authors}
    anonymous = {"id": "y", "url": "/y", "title": "Y"}
    bare = {"version": FEED["version"], "items": [item, anonymous]}
    feed = parse(bare)
    assert feed.entries[0].author == ", ".join(f"W{n}" for n in range(10))
    assert feed.entries[1].author == ""
    assert (feed.title, feed.site_url, feed.description) == ("", "", "")


def test_https_version_and_its_number() -> None:
    feed = parse({**FEED, "version": "https://jsonfeed.org/version/1.1"})
    assert feed.format == "json1.1"


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (
            b"{ not json",
            MalformedFeed,
            f"{URL} looks like JSON but cannot be parsed (Expecting property name "
            "enclosed in double quotes: line 1 column 3 (char 2)); tell the publisher "
            "their feed is broken",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000,
            MalformedFeed,
            f"{URL} looks like JSON but cannot be parsed (nested too deeply); tell "
            "the publisher their feed is broken",
        ),
        (
            json.dumps({"version": "https://example.org/version/1", "items": []}),
            NotAFeed,
            f"{URL} is JSON but not a JSON Feed (no jsonfeed.org version); use the "
            "address of the site's RSS, Atom or JSON Feed",
        ),
        (
            json.dumps(["https://jsonfeed.org/version/1.1"]),
            NotAFeed,
            f"{URL} is JSON but not a JSON Feed (no jsonfeed.org version); use the "
            "address of the site's RSS, Atom or JSON Feed",
        ),
        (
            json.dumps({"version": 1, "items": []}),
            NotAFeed,
            f"{URL} is JSON but not a JSON Feed (no jsonfeed.org version); use the "
            "address of the site's RSS, Atom or JSON Feed",
        ),
        (
            json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": {}}),
            MalformedFeed,
            f"{URL} is a JSON Feed without an 'items' list; the publisher's feed is "
            "broken",
        ),
    ],
)
def test_refusals_say_what_is_wrong(
    content: bytes | str, error: type[Exception], message: str
) -> None:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(error) as caught:
        parse_feed(data, url=URL, content_type=TYPE, fetched_at=FETCHED)
    assert str(caught.value) == message
    assert caught.value.url == URL


@pytest.mark.parametrize(
    ("entry", "link"),
    [
        # The entry's own link first, even with other links listed.
        (
            {"link": "https://a.example/1", "links": [{"href": "https://b.example/"}]},
            "https://a.example/1",
        ),
        # Else the first alternate link with a target (rel defaults to alternate).
        (
            {
                "link": "  ",
                "links": [
                    {"rel": "enclosure", "href": "https://a.example/x.mp3"},
                    {"rel": "alternate"},
                    {"href": "https://c.example/"},
                ],
            },
            "https://c.example/",
        ),
        ({"links": [{"rel": "related", "href": "https://d.example/"}]}, ""),
        ({}, ""),
    ],
)
def test_entry_link_choice(entry: dict, link: str) -> None:
    from cupure.feeds.parse import _entry_link

    assert _entry_link(entry) == link


@pytest.mark.parametrize(
    ("page", "hint"),
    [
        (
            b'<html><head><link rel="alternate" type="application/rss+xml" '
            b'href="/rss.xml"></head><body>Hi</body></html>',
            "it links to 1 feed(s), first https://json.example/rss.xml",
        ),
        (
            b"<html><head><title>Hi</title></head><body>Hi</body></html>",
            "it links to no feed; find the feed address on the site",
        ),
    ],
)
def test_an_html_page_says_where_its_feeds_are(page: bytes, hint: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_feed(page, url=URL, content_type="text/html", fetched_at=FETCHED)
    assert str(caught.value) == f"{URL} is an HTML page, not a feed; {hint}"
    assert caught.value.url == URL


def test_rss_dates_are_utc_whatever_the_local_zone() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://json.example/a</link>"
        b"<pubDate>Fri, 20 Feb 2026 18:00:00 +0100</pubDate></item>"
        b"</channel></rss>"
    )
    with local_time_zone():
        feed = parse_feed(rss, url=URL, content_type="application/rss+xml")
    published = feed.entries[0].published
    assert published == datetime(2026, 2, 20, 17, 0, tzinfo=UTC)
    assert published.utcoffset() == timedelta(0)
