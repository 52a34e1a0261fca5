"""Feed documents built by cupure.demo.feeds escape what they contain."""

import json
from datetime import UTC, datetime

import feedparser

from cupure.demo.feeds import FeedEntry, FeedInfo, atom, entry_uuid, json_feed, rss

INFO = FeedInfo(
    title="Smith & Sons <Weekly>",
    description='Quotes "here" & there',
    home_url="http://127.0.0.1:9/smith/",
    language="en",
    rss_url="http://127.0.0.1:9/smith/rss.xml",
    atom_url="http://127.0.0.1:9/smith/atom.xml",
    json_url="http://127.0.0.1:9/smith/feed.json",
)
ENTRY = FeedEntry(
    key="smith/a-b",
    url="http://127.0.0.1:9/smith/a?x=1&y=2",
    title="Fish & chips <up> 5%",
    summary="Prices rise by 5% & more",
    author="Ann O'Neil",
    published=datetime(2026, 11, 25, 10, 30, tzinfo=UTC),
    image_url="http://127.0.0.1:9/smith/images/a-1200x675.jpg",
    section="business",
)
BUILT = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def test_rss_and_atom_round_trip_special_characters_through_feedparser():
    for document in (rss(INFO, [ENTRY], BUILT), atom(INFO, [ENTRY], BUILT)):
        parsed = feedparser.parse(document.encode())
        assert parsed.bozo == 0
        assert parsed.feed.title == INFO.title
        (entry,) = parsed.entries
        assert entry.title == ENTRY.title
        assert entry.link == ENTRY.url
        assert entry.author == ENTRY.author
        assert entry.summary == ENTRY.summary
        assert entry.published_parsed[:5] == (2026, 11, 25, 10, 30)


def test_json_feed_round_trips_and_ids_are_stable():
    document = json.loads(json_feed(INFO, [ENTRY]))
    (item,) = document["items"]
    assert item["title"] == ENTRY.title
    assert item["date_published"] == "2026-11-25T10:30:00Z"
    assert item["id"] == entry_uuid("smith/a-b") == entry_uuid("smith/a-b")
    assert entry_uuid("smith/a-b") != entry_uuid("smith/a-c")


def test_atom_updated_is_the_newest_entry_and_empty_feeds_are_valid():
    parsed = feedparser.parse(atom(INFO, [ENTRY], BUILT).encode())
    assert parsed.feed.updated == "2026-11-25T10:30:00Z"
    for document in (rss(INFO, [], BUILT), atom(INFO, [], BUILT)):
        assert feedparser.parse(document.encode()).bozo == 0
