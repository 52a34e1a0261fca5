"""What an RSS/Atom entry (as feedparser hands it over) becomes, helper by helper
(mutation testing, issue #23): image, summary, dates and the feed's refresh hint,
each source tried in its documented order."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from cupure.feeds.parse import (
    TTL_MAX_SECONDS,
    _entry_image,
    _entry_summary,
    _raw_entry,
    _ttl_seconds,
)

JPEG = "https://img.example/a.jpg"


@pytest.mark.parametrize(
    ("entry", "image"),
    [
        # media:thumbnail first (the first one with a URL)...
        (
            {
                "media_thumbnail": [{}, {"url": JPEG}],
                "media_content": [
                    {"url": "https://img.example/c.jpg", "medium": "image"}
                ],
            },
            JPEG,
        ),
        # ...then media:content that says it is an image (by medium or by type)...
        (
            {
                "media_content": [
                    {"url": "https://v.example/v.mp4", "medium": "video"},
                    {"medium": "image"},
                    {"url": JPEG, "type": "image/jpeg"},
                ]
            },
            JPEG,
        ),
        ({"media_content": [{"url": JPEG, "medium": "image"}]}, JPEG),
        # ...then an image enclosure...
        (
            {
                "enclosures": [
                    {"type": "audio/mpeg", "href": "https://a.example/x.mp3"},
                    {"type": "image/png"},
                    {"type": "image/png", "href": JPEG},
                ]
            },
            JPEG,
        ),
        ({"enclosures": [{"href": JPEG}]}, ""),
        # ...then the entry's image element.
        ({"image": {"href": JPEG}}, JPEG),
        ({"image": {"title": "no href"}}, ""),
        ({"image": JPEG}, ""),
        ({}, ""),
    ],
)
def test_entry_image_sources_in_order(entry: dict, image: str) -> None:
    assert _entry_image(entry) == image


@pytest.mark.parametrize(
    ("entry", "summary"),
    [
        ({"summary": "<p>Hi</p>"}, ("<p>Hi</p>", True)),
        (
            {"summary": "a < b", "summary_detail": {"type": "text/plain"}},
            ("a < b", False),
        ),
        ({"summary": "x", "summary_detail": {"type": "text/html"}}, ("x", True)),
        # No summary: the first <content> with a value, HTML if its type says so.
        (
            {"content": [{"value": ""}, {"value": "<b>c</b>", "type": "text/html"}]},
            ("<b>c</b>", True),
        ),
        ({"content": [{"value": "plain", "type": "text/plain"}]}, ("plain", False)),
        ({"content": [{"value": "untyped"}]}, ("untyped", False)),
        ({}, ("", False)),
    ],
)
def test_entry_summary_sources(entry: dict, summary: tuple[str, bool]) -> None:
    assert _entry_summary(entry) == summary


def struct(year: int, month: int, day: int, hour: int) -> time.struct_time:
    return datetime(year, month, day, hour, tzinfo=UTC).timetuple()


def test_raw_entry_fields_and_date_order() -> None:
    entry = {
        "id": "g-1",
        "link": "https://n.example/1",
        "title": "A &amp; B",
        "title_detail": {"type": "text/html"},
        "summary": "S",
        "summary_detail": {"type": "text/plain"},
        "author": "Ann",
        "image": {"href": JPEG},
        "updated_parsed": struct(2026, 2, 21, 9),
        "created_parsed": struct(2026, 2, 19, 7),
    }
    raw = _raw_entry(entry)
    assert (raw.guid, raw.link, raw.title, raw.title_is_html) == (
        "g-1",
        "https://n.example/1",
        "A &amp; B",
        True,
    )
    assert (raw.summary, raw.summary_is_html, raw.author, raw.image) == (
        "S",
        False,
        "Ann",
        JPEG,
    )
    # No published date: the updated one stands in; the declared ones are kept apart.
    assert raw.published == datetime(2026, 2, 21, 9, tzinfo=UTC)
    assert raw.declared_published is None
    assert raw.declared_updated == datetime(2026, 2, 21, 9, tzinfo=UTC)
    with_published = _raw_entry({**entry, "published_parsed": struct(2026, 2, 20, 8)})
    assert with_published.published == datetime(2026, 2, 20, 8, tzinfo=UTC)
    assert with_published.declared_published == datetime(2026, 2, 20, 8, tzinfo=UTC)
    only_created = _raw_entry({"created_parsed": struct(2026, 2, 19, 7)})
    assert only_created.published == datetime(2026, 2, 19, 7, tzinfo=UTC)
    empty = _raw_entry({})
    assert (empty.guid, empty.title, empty.author, empty.title_is_html) == (
        "",
        "",
        "",
        False,
    )
    assert empty.published is None


@pytest.mark.parametrize(
    ("channel", "seconds"),
    [
        ({"ttl": "60"}, 3600),
        ({"ttl": " 1 "}, 60),
        ({"ttl": "0"}, None),
        ({"ttl": "-5"}, None),
        ({"ttl": "soon"}, None),
        ({}, None),
        ({"sy_updateperiod": "Hourly"}, 3600),
        ({"sy_updateperiod": "daily", "sy_updatefrequency": "2"}, 43200),
        ({"sy_updateperiod": "daily", "sy_updatefrequency": "x"}, 86400),
        ({"sy_updateperiod": "daily", "sy_updatefrequency": "0"}, 86400),
        ({"sy_updateperiod": "fortnightly"}, None),
        # Both: the longer of the two.
        ({"ttl": "30", "sy_updateperiod": "hourly"}, 3600),
        ({"ttl": "120", "sy_updateperiod": "hourly"}, 7200),
        # Capped at a week.
        ({"ttl": str(60 * 24 * 30)}, TTL_MAX_SECONDS),
        ({"sy_updateperiod": "yearly"}, TTL_MAX_SECONDS),
    ],
)
def test_refresh_hints(channel: dict, seconds: int | None) -> None:
    assert _ttl_seconds(channel) == seconds
