"""From raw entries to stored ones, and the XML feed's own fields and refusals, word
for word (mutation testing, issue #23)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cupure.feeds import MalformedFeed, NotAFeed, parse_feed
from cupure.feeds import parse as parse_module
from cupure.feeds.parse import _build_entries, _charset_of, _RawEntry
from cupure.feeds.types import FeedEntry
from tests.timezones import local_time_zone

BASE = "https://n.example/feeds/rss.xml"
FETCHED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def raw(**changes) -> _RawEntry:
    values = {
        "guid": "",
        "link": "/a",
        "title": "A",
        "title_is_html": False,
        "summary": "",
        "summary_is_html": False,
        "author": "",
        "image": "",
        "published": None,
    }
    values.update(changes)
    return _RawEntry(**values)


def build(*raws: _RawEntry) -> tuple[tuple[FeedEntry, ...], tuple[str, ...]]:
    return _build_entries(raws, base=BASE, fetched_at=FETCHED)


def test_fields_are_cleaned_and_resolved() -> None:
    paris = timezone(timedelta(hours=1))
    (entry,), skipped = build(
        raw(
            guid=" g-1 ",
            link="/news/1",
            title="Tom &amp; <b>Jerry</b>",
            title_is_html=True,
            summary="<p>One &lt;two&gt;</p>",
            summary_is_html=True,
            author="  Ann\n Writer ",
            image="/img/1.jpg",
            published=datetime(2026, 2, 28, 10, 0, tzinfo=UTC),
            declared_published=datetime(2026, 2, 28, 11, 0, tzinfo=paris),
            declared_updated=datetime(2026, 2, 28, 12, 0),
        )
    )
    assert skipped == ()
    assert entry == FeedEntry(
        guid="g-1",
        link="https://n.example/news/1",
        title="Tom & Jerry",
        published=datetime(2026, 2, 28, 10, 0, tzinfo=UTC),
        summary="One <two>",
        author="Ann Writer",
        image_url="https://n.example/img/1.jpg",
        declared_published=datetime(2026, 2, 28, 10, 0, tzinfo=UTC),
        declared_updated=datetime(2026, 2, 28, 12, 0, tzinfo=UTC),
    )
    assert entry.declared_published.tzinfo is UTC
    (text,), _ = build(raw(title="A <b>", summary="x &amp; y", image=""))
    assert (text.title, text.summary, text.image_url) == ("A <b>", "x &amp; y", "")
    assert text.published == FETCHED  # no date: the fetch time
    assert text.guid == "https://n.example/a"  # no guid: the link


def test_a_date_utc_cannot_hold_is_no_declared_date() -> None:
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    (entry,), _ = build(raw(declared_updated=far, published=far))
    assert entry.declared_updated is None
    assert entry.published == FETCHED


def test_skipped_entries_say_why() -> None:
    entries, skipped = build(
        raw(link="", guid=""),
        raw(link="javascript:alert(1)", title="Bad"),
        raw(link="", guid="https://n.example/from-guid", title="Guid"),
        raw(link="/b", guid="dup", title="First"),
        raw(link="/c", guid="dup", title="Second"),
        raw(link="/b", guid="other", title="Third"),
        raw(link="/d", guid="x" * 2001, title=""),
    )
    assert [e.link for e in entries] == [
        "https://n.example/from-guid",
        "https://n.example/b",
        "https://n.example/d",
    ]
    assert entries[-1].guid == "https://n.example/d"  # an overlong guid is dropped
    assert skipped == (
        "entry 1 ('A'): no link",
        "entry 2 ('Bad'): link 'javascript:alert(1)' is not an http(s) URL",
        "entry 5 ('Second'): duplicate guid 'dup', kept the first",
        "entry 6 ('Third'): same link as an earlier entry (https://n.example/b), "
        "kept the first",
    )


def test_entries_beyond_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "MAX_ENTRIES", 2)
    entries, skipped = build(*(raw(link=f"/{n}", title="") for n in range(5)))
    assert len(entries) == 2
    assert skipped == ("3 entries after the first 2 were ignored (feed too long)",)


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        ("application/rss+xml; charset=UTF-8", "utf-8"),
        ('text/xml; Charset="ISO-8859-1"', "iso-8859-1"),
        ("text/xml; foo=bar; charset='cp1252'", "cp1252"),
        ("text/xml; charset=", None),
        ("text/xml", None),
        ("charset=utf-8", None),
        (None, None),
    ],
)
def test_charset_parameter(content_type: str | None, charset: str | None) -> None:
    assert _charset_of(content_type) == charset


RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    "<title>The &lt;Times&gt;</title><link>/home</link>"
    "<description>&lt;p&gt;News &amp;amp; more&lt;/p&gt;</description>"
    "<item><title>A</title><link>/a</link></item></channel></rss>"
)


def test_xml_feed_fields() -> None:
    feed = parse_feed(
        RSS.encode(), url=BASE, content_type="application/rss+xml", fetched_at=FETCHED
    )
    assert (feed.format, feed.title, feed.site_url, feed.description) == (
        "rss2.0",
        "The <Times>",
        "https://n.example/home",
        "News & more",
    )
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">'
        "A &amp;amp; B &lt;i&gt;x&lt;/i&gt;</title>"
        '<entry><title>E</title><link href="https://n.example/e"/></entry></feed>'
    )
    parsed = parse_feed(atom.encode(), url=BASE, content_type="application/atom+xml")
    assert (parsed.format, parsed.title) == ("atom1.0", "A & B x")


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (
            b'<?xml version="1.0"?><opml version="2.0"><body/></opml>',
            NotAFeed,
            f"{BASE} is XML but not RSS or Atom (its root element is <opml>); use "
            "the address of the site's feed",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>',
            MalformedFeed,
            f"{BASE} declares XML entities or external references, which we refuse "
            "(entity expansion / XXE); tell the publisher to remove the DOCTYPE",
        ),
    ],
)
def test_xml_refusals_word_for_word(
    content: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        parse_feed(content, url=BASE, content_type="application/xml")
    assert str(caught.value) == message
    assert caught.value.url == BASE


def test_a_naive_declared_date_is_utc_whatever_the_local_zone() -> None:
    with local_time_zone():
        (entry,), _ = build(raw(declared_updated=datetime(2026, 2, 28, 12, 0)))
    assert entry.declared_updated == datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def test_a_feed_without_title_description_or_link() -> None:
    bare = b'<rss version="2.0"><channel><item><link>/a</link></item></channel></rss>'
    feed = parse_feed(bare, url=BASE, content_type="application/rss+xml")
    assert (feed.title, feed.description, feed.site_url) == ("", "", "")


def test_unreadable_and_empty_documents_say_so() -> None:
    with pytest.raises(MalformedFeed) as broken:
        parse_feed(b'<?xml version="1.0"?><rss', url=BASE, content_type="text/xml")
    message = str(broken.value)
    assert message.startswith(f"{BASE} is not a readable feed (")
    assert message.endswith("); tell the publisher their feed is broken")
    assert broken.value.url == BASE
    with pytest.raises(MalformedFeed) as empty:
        parse_feed(b"  \n", url=BASE)
    assert str(empty.value) == f"{BASE} returned an empty document"
    assert empty.value.url == BASE
