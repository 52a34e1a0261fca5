"""The bundled demo content: parsing rules and the invariants the brief sets.

These run without a network: they read the content files through load_catalog().
"""

import re
from collections import defaultdict

import pytest

from cupure.demo.catalog import (
    BulletList,
    ContentError,
    InlineFigure,
    Paragraph,
    Subheading,
    build_catalog,
    load_catalog,
    parse_event_file,
)

CATALOG = load_catalog()


def _text(article) -> str:
    return " ".join([article.headline, article.summary, *article.paragraphs])


def test_publishers_include_five_outlets_and_a_wire_with_all_feed_formats():
    """At least five ordinary publishers plus a wire agency; rss, atom and json are
    each advertised by at least one of them."""
    outlets = [p for p in CATALOG.publishers if not p.is_wire]
    wires = [p for p in CATALOG.publishers if p.is_wire]
    assert len(outlets) >= 5
    assert len(wires) == 1
    assert {p.feed_format for p in CATALOG.publishers} == {"rss", "atom", "json"}
    assert len({p.layout for p in CATALOG.publishers}) == len(CATALOG.publishers)
    for publisher in CATALOG.publishers:
        assert len(CATALOG.articles_of(publisher.slug)) >= 4, publisher.slug


def test_at_least_42_articles_of_150_to_500_words_and_4_to_10_paragraphs():
    assert len(CATALOG.articles) >= 42
    for article in CATALOG.articles:
        assert 150 <= article.word_count <= 500, (article.key, article.word_count)
        assert 4 <= len(article.paragraphs) <= 10, article.key
        assert article.headline and article.author and article.summary, article.key
        assert article.lead.caption and article.lead.credit, article.key


def test_every_article_is_published_within_48_hours():
    for article in CATALOG.articles:
        assert 0 < article.hours_ago <= 48, article.key


def test_at_least_eleven_events_across_many_topics():
    assert len(CATALOG.events) >= 11
    topics = {e.topic for e in CATALOG.events}
    assert {"politics", "business", "science", "sport", "weather", "culture"} <= topics
    assert len(topics) >= 7


def test_four_events_have_three_publishers_each_with_their_own_wording():
    """Same event, different headline and prose: no paragraph is shared between two
    original (non-syndicated) articles of one event."""
    multi = []
    for event in CATALOG.events:
        originals = [a for a in event.articles if a.syndicated_from is None]
        if len({a.publisher for a in originals}) < 3:
            continue
        multi.append(event.id)
        headlines = [a.headline for a in originals]
        assert len(set(headlines)) == len(headlines), event.id
        paragraphs = [p for a in originals for p in a.paragraphs]
        assert len(set(paragraphs)) == len(paragraphs), event.id
    assert len(multi) >= 4, multi


def test_wire_story_is_republished_word_for_word_by_two_publishers():
    copies = defaultdict(list)
    for article in CATALOG.articles:
        if article.syndicated_from is not None:
            copies[article.syndicated_from].append(article)
    assert copies, "no syndicated copies in the demo content"
    for original_key, republished in copies.items():
        original = CATALOG.article(original_key)
        assert CATALOG.publisher(original.publisher).is_wire
        assert len({a.publisher for a in republished}) >= 2
        for copy in republished:
            assert copy.publisher != original.publisher
            assert copy.paragraphs == original.paragraphs
            assert copy.event == original.event
            assert copy.hours_ago < original.hours_ago  # copies come after the wire


def test_busiest_events_burst_within_the_last_six_hours():
    """At least two events have articles from three or more publishers published in
    the last six hours; most events are older (spread over 48 hours)."""
    bursting = []
    for event in CATALOG.events:
        recent = {a.publisher for a in event.articles if a.hours_ago <= 6}
        if len(recent) >= 3:
            bursting.append(event.id)
    assert 2 <= len(bursting) <= 3, bursting
    older = [a for a in CATALOG.articles if a.hours_ago > 6]
    assert len(older) > len(CATALOG.articles) / 2
    assert max(a.hours_ago for a in CATALOG.articles) > 40


def test_near_miss_events_share_a_named_entity_but_no_article():
    """A declared near miss is two different events about the same person or place:
    they have a capitalised name in common."""
    pairs = [(e, CATALOG.event(e.near_miss)) for e in CATALOG.events if e.near_miss]
    assert pairs
    name = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
    for left, right in pairs:
        assert left.id != right.id
        names_left = {m for a in left.articles for m in name.findall(_text(a))}
        names_right = {m for a in right.articles for m in name.findall(_text(a))}
        assert "Ilse Varga" in names_left & names_right, (left.id, right.id)
        assert not {a.key for a in left.articles} & {a.key for a in right.articles}


@pytest.mark.parametrize(
    ("entity", "events"),
    [
        ("Ilse Varga", 3),
        ("Port of Kessel", 4),
        ("Northwind Rail", 2),
        ("Lumen Grid", 3),
    ],
)
def test_named_entities_recur_across_events(entity, events):
    """Trending topics need entities that recur: these appear in several events."""
    found = {a.event for a in CATALOG.articles if entity in _text(a)}
    assert len(found) >= events, (entity, sorted(found))


def test_a_third_of_articles_have_an_inline_figure_and_some_have_structure():
    with_figure = [a for a in CATALOG.articles if a.inline_figures]
    assert len(with_figure) * 3 >= len(CATALOG.articles)
    kinds = {type(b) for a in CATALOG.articles for b in a.blocks}
    assert {Paragraph, Subheading, BulletList, InlineFigure} <= kinds


def test_article_keys_are_unique_and_articles_sorted_newest_first():
    keys = [a.key for a in CATALOG.articles]
    assert len(set(keys)) == len(keys)
    hours = [a.hours_ago for a in CATALOG.articles]
    assert hours == sorted(hours)


EVENT_FILE = """event: test-event
topic: local
title: A test event

=== harbour-herald/first-story
section: local
hours_ago: 3
headline: A headline
author: A. Writer
summary: A summary.
lead: skyline-test | A caption | A credit
---
First paragraph
continues here.

## A subheading

- one
- two

[figure hills-test | Inline caption | Inline credit]

Last paragraph.
"""


def test_event_file_blocks_are_parsed_in_order():
    event = parse_event_file(EVENT_FILE, "test.txt")
    (article,) = event.articles
    assert article.key == "harbour-herald/first-story"
    assert article.hours_ago == 3.0
    assert [type(b) for b in article.blocks] == [
        Paragraph,
        Subheading,
        BulletList,
        InlineFigure,
        Paragraph,
    ]
    assert article.paragraphs == ["First paragraph continues here.", "Last paragraph."]
    assert article.inline_figures[0].credit == "Inline credit"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (EVENT_FILE.replace("hours_ago: 3", "hours_ago: 49"), "hours_ago must be in"),
        (EVENT_FILE.replace("hours_ago: 3", "hours_ago: soon"), "must be a number"),
        (EVENT_FILE.replace("author: A. Writer\n", ""), "missing fields ['author']"),
        (EVENT_FILE.replace("---\n", ""), "end the article header with a '---' line"),
        (EVENT_FILE.replace("| A credit", ""), "image-id | caption | credit"),
        (EVENT_FILE.replace("skyline-test", "Skyline Test"), "lowercase words"),
        (EVENT_FILE.replace("topic: local\n", ""), "the header needs 'topic: ...'"),
        (EVENT_FILE.replace("section: local", "colour: red"), "unknown fields"),
    ],
)
def test_malformed_event_files_are_refused_with_the_fix(broken, message):
    with pytest.raises(ContentError, match=re.escape(message)):
        parse_event_file(broken, "broken.txt")


def test_unknown_publisher_and_dangling_copy_are_refused():
    stranger = EVENT_FILE.replace("harbour-herald/", "daily-planet/")
    with pytest.raises(ContentError, match="unknown publisher"):
        build_catalog({"a.txt": stranger})
    dangling = EVENT_FILE.replace(
        "lead: skyline-test",
        "syndicated_from: meridian-wire/nothing\nlead: skyline-test",
    )
    with pytest.raises(ContentError, match="must name an original"):
        build_catalog({"a.txt": dangling})
