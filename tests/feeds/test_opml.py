"""cupure.feeds.opml: reading nested subscription lists and writing them back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cupure.feeds import OpmlError, OpmlFeed, export_opml, parse_opml

FIXTURES = Path(__file__).parent / "fixtures"


def test_nested_outlines_in_document_order() -> None:
    feeds = parse_opml((FIXTURES / "opml_nested.opml").read_bytes())
    assert [(f.title, f.xml_url, f.category) for f in feeds] == [
        ("Top level", "https://top.example/feed", ""),
        ("Inner A", "https://a.example/rss", "Tech"),
        ("Inner B", "https://b.example/atom", "Tech"),
        ("Deep", "https://deep.example/feed", "Sub"),
        ("Bad scheme", "ftp://old.example/feed", ""),
    ]
    assert feeds[0].html_url == "https://top.example/"


def test_entity_declarations_are_refused() -> None:
    with pytest.raises(OpmlError, match="entities"):
        parse_opml((FIXTURES / "opml_with_entities.opml").read_bytes())


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not xml at all", "not well-formed"),
        (b"<rss><channel/></rss>", "not OPML"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_bad_files_say_why(content: bytes, words: str) -> None:
    with pytest.raises(OpmlError, match=words):
        parse_opml(content)


def test_export_then_import_round_trips() -> None:
    feeds = [
        OpmlFeed("Plain", "https://p.example/feed", "https://p.example/"),
        OpmlFeed("Tom & Jerry <news>", "https://t.example/rss?a=1&b=2", "", "Fun"),
        OpmlFeed("", "https://untitled.example/feed", "", "Fun"),
    ]
    document = export_opml(
        feeds, title="cupure feeds", now=datetime(2026, 3, 1, tzinfo=UTC)
    )
    assert document.startswith(b"<?xml")
    assert b"Sun, 01 Mar 2026 00:00:00 GMT" in document
    back = parse_opml(document)
    assert [(f.xml_url, f.category, f.html_url) for f in back] == [
        ("https://p.example/feed", "", "https://p.example/"),
        ("https://t.example/rss?a=1&b=2", "Fun", ""),
        ("https://untitled.example/feed", "Fun", ""),
    ]
    assert back[1].title == "Tom & Jerry <news>"
    assert back[2].title == "https://untitled.example/feed"


def test_control_characters_never_reach_the_export() -> None:
    document = export_opml(
        [OpmlFeed("bad\x00title\x07", "https://c.example/\x00feed")], title="t\x01"
    )
    assert b"\x00" not in document
    assert parse_opml(document)[0].title == "badtitle"
