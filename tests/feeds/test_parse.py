"""cupure.feeds.parse on the fixtures in tests/feeds/fixtures (each states its
expectation in a header comment) and on generated hostile input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cupure.feeds import MalformedFeed, NotAFeed, ParsedFeed, parse_feed
from cupure.feeds.parse import MAX_ENTRIES, TITLE_MAX_CHARS, decode_document
from cupure.feeds.text import html_to_text
from tests.mojibake import read_as
from tests.net.servers import RouteServer, respond

FIXTURES = Path(__file__).parent / "fixtures"
FETCHED_AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RSS_TYPE = "application/rss+xml; charset=utf-8"


def parse(
    name: str,
    *,
    url: str = "https://rel.example/feeds/main.xml",
    content_type: str | None = RSS_TYPE,
) -> ParsedFeed:
    return parse_feed(
        (FIXTURES / name).read_bytes(),
        url=url,
        content_type=content_type,
        fetched_at=FETCHED_AT,
    )


def titles(feed: ParsedFeed) -> list[str]:
    return [entry.title for entry in feed.entries]


def test_every_fixture_states_its_expectation() -> None:
    """Fixtures document what they test (an "Expect" header or JSON "_expect")."""
    for path in FIXTURES.iterdir():
        head = path.read_bytes()[:2000]
        if path.name.startswith("utf16"):
            head = head.decode("utf-16").encode()
        assert b"Expect" in head or b'"_expect"' in head, path.name


# ---------------------------------------------------------------------- formats


def test_rss20() -> None:
    feed = parse("rss20_basic.xml")
    assert feed.format == "rss2.0"
    assert feed.title == "Example News"
    assert feed.site_url == "https://news.example/"
    assert feed.description == "All the news that fits"
    assert feed.ttl_seconds == 1800
    assert titles(feed) == ["Markets rise", "Rain expected"]
    first, second = feed.entries
    assert first.guid == "news-example-1001"
    assert first.link == "https://news.example/2026/03/markets-rise"
    assert first.published == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    assert first.summary == "Markets rose sharply."
    assert first.author == "Ada Lovelace"
    assert first.image_url == "https://news.example/img/1.jpg"
    assert second.image_url == "https://news.example/img/2.png"
    assert feed.skipped == ()


def test_rss091_with_external_doctype_is_read() -> None:
    feed = parse("rss091_netscape_doctype.xml", content_type="text/xml")
    assert feed.format == "rss0.91"
    assert [e.link for e in feed.entries] == ["http://old.example/1"]


def test_rss10_rdf_with_syndication_period() -> None:
    feed = parse("rss10_rdf.xml")
    assert feed.format == "rss1.0"
    assert feed.ttl_seconds == 1800
    assert [e.guid for e in feed.entries] == [
        "https://rdf.example/a",
        "https://rdf.example/b",
    ]
    assert feed.entries[0].published == datetime(2026, 2, 28, 8, 0, tzinfo=UTC)


def test_atom10() -> None:
    feed = parse("atom10.xml", content_type="application/atom+xml")
    assert feed.format == "atom1.0"
    assert feed.site_url == "https://atom.example/"
    first, second = feed.entries
    assert first.title == "Q&A: Why"
    assert first.link == "https://atom.example/blog/posts/why"
    assert first.guid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert first.published == datetime(2026, 2, 27, 13, 15, tzinfo=UTC)
    assert first.author == "Grace Hopper"
    assert first.summary == "Short & sweet."
    assert second.link == "https://atom.example/posts/second"
    assert second.published == datetime(2026, 2, 26, 8, 0, tzinfo=UTC)
    assert second.summary == "Body link"


def test_json_feed_11() -> None:
    feed = parse("jsonfeed11.json", content_type="application/feed+json")
    assert feed.format == "json1.1"
    assert feed.title == "JSON Times"
    assert feed.site_url == "https://json.example/"
    assert feed.description == "News as JSON"
    alpha, beta = feed.entries
    assert alpha.summary == "Alpha story"
    assert alpha.author == "A. Writer, B. Editor"
    assert alpha.image_url == "https://json.example/a.jpg"
    assert alpha.published == datetime(2026, 2, 20, 18, 0, tzinfo=UTC)
    assert beta.guid == "42"
    assert beta.link == "https://rel.example/b"
    assert len(feed.skipped) == 1
    assert "no link" in feed.skipped[0]


def test_json_feed_10_sniffed_without_content_type() -> None:
    feed = parse("jsonfeed10.json", content_type=None)
    assert feed.format == "json1"
    assert feed.entries[0].author == "Solo Author"
    assert feed.entries[0].published == FETCHED_AT


# ------------------------------------------------------------- encodings, bytes


def test_declared_utf8_but_cp1252_bytes() -> None:
    feed = parse("charset_declared_utf8_but_cp1252.xml")
    assert titles(feed) == ["“Café au lait”"]


def test_declared_latin1_but_utf8_bytes() -> None:
    feed = parse(
        "charset_declared_latin1_but_utf8.xml",
        content_type="text/xml; charset=iso-8859-1",
    )
    assert titles(feed) == ["Zürich – Genève"]


def test_utf8_bom() -> None:
    assert titles(parse("bom_utf8.xml")) == ["Ça marche"]


def test_utf16_with_bom() -> None:
    assert titles(parse("utf16_bom.xml", content_type="text/xml")) == ["Ωmega"]


def test_nul_and_control_characters_are_stripped() -> None:
    feed = parse("nul_and_control_characters.xml")
    assert feed.title == "Control"
    (entry,) = feed.entries
    assert entry.title == "Breaking: split"
    assert entry.summary == "ab"
    assert entry.link == "https://ctl.example/1"
    for text in (entry.title, entry.summary, entry.link, entry.guid):
        assert not any(ord(ch) < 32 for ch in text)


def test_decode_document_never_keeps_nul() -> None:
    assert decode_document(b"a\x00b\xff", "text/xml; charset=utf-8") == "abÿ"


# ------------------------------------------------------------------- entries


def test_bad_missing_and_future_dates_fall_back_to_fetch_time() -> None:
    feed = parse("dates_bad_missing_future.xml")
    dates = {entry.title: entry.published for entry in feed.entries}
    assert dates["good"] == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    for title in ("missing", "garbage", "future", "zero"):
        assert dates[title] == FETCHED_AT
    assert all(d.utcoffset() == UTC.utcoffset(None) for d in dates.values())


def test_entries_without_link_are_skipped_others_kept() -> None:
    feed = parse("entries_without_guid_or_link.xml")
    assert [(e.title, e.link) for e in feed.entries] == [
        ("kept", "https://g.example/kept"),
        ("guid is link", "https://g.example/guid-link"),
    ]
    assert len(feed.skipped) == 2
    assert all("no link" in reason for reason in feed.skipped)


def test_duplicate_guids_keep_the_first() -> None:
    feed = parse("duplicate_guids.xml")
    assert titles(feed) == ["first", "third"]
    assert "duplicate guid 'same-id'" in feed.skipped[0]


def test_changing_guids_with_same_link_keep_the_first() -> None:
    feed = parse("changing_guids_same_link.xml")
    assert titles(feed) == ["story v1"]
    assert "same link" in feed.skipped[0]


def test_relative_links_resolve_and_javascript_links_are_skipped() -> None:
    feed = parse("relative_and_javascript_links.xml")
    assert [e.link for e in feed.entries] == [
        "https://rel.example/abs-path",
        "https://rel.example/feeds/sibling",
        "https://cdn.rel.example/x",
    ]
    assert len(feed.skipped) == 4
    assert all("not an http(s) URL" in reason for reason in feed.skipped)
    assert any("javascript:" in reason for reason in feed.skipped)


def test_huge_title_is_capped() -> None:
    (entry,) = parse("huge_title.xml").entries
    assert len(entry.title) <= TITLE_MAX_CHARS
    assert entry.title.endswith("Huge…")
    assert "  " not in entry.title


def test_deeply_nested_html_summary() -> None:
    (entry,) = parse("deeply_nested_html.xml").entries
    assert entry.summary == "deep text"


def test_truncated_document_keeps_complete_entries() -> None:
    feed = parse("malformed_truncated.xml")
    assert feed.entries[0].title == "complete"
    assert len(feed.entries) == 1


def test_entries_beyond_the_cap_are_skipped_and_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cap (smaller here, for speed) keeps the first entries and says how many
    it left out."""
    import cupure.feeds.parse

    assert MAX_ENTRIES >= 5000, "a 5,000-entry archive feed must fit (issue #16)"
    monkeypatch.setattr(cupure.feeds.parse, "MAX_ENTRIES", 50)
    items = "".join(
        f"<item><title>n{i}</title><link>https://many.example/{i}</link></item>"
        for i in range(50 + 5)
    )
    content = f"<rss version='2.0'><channel><title>M</title>{items}</channel></rss>"
    feed = parse_feed(content.encode(), url="https://many.example/feed")
    assert len(feed.entries) == 50
    assert feed.skipped[-1].startswith("5 entries after the first 50 were ignored")


# ------------------------------------------------------------ hostile XML / JSON


@pytest.mark.parametrize(
    "name",
    ["billion_laughs.xml", "xxe_external_entity.xml", "xxe_parameter_entity.xml"],
)
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(MalformedFeed, match="entities") as caught:
        parse(name)
    assert caught.value.code == "malformed_feed"


def test_xxe_never_reads_the_file(tmp_path: Path) -> None:
    """Even if the refusal were bypassed, the entity's file must not leak: we point a
    SYSTEM entity at a file holding a marker and check it appears nowhere."""
    secret = tmp_path / "secret.txt"
    secret.write_text("MARKER-7f3a")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<rss version='2.0'><channel><title>&x;</title>"
        "<item><title>&x;</title><link>https://x.example/1</link></item>"
        "</channel></rss>"
    ).encode()
    with pytest.raises(MalformedFeed) as caught:
        parse_feed(content, url="https://x.example/feed")
    assert "MARKER" not in str(caught.value)


def test_bytes_naming_a_file_are_not_opened(tmp_path: Path) -> None:
    """feedparser opens a path given as bytes; parse_feed must never let it."""
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes((FIXTURES / "rss20_basic.xml").read_bytes())
    with pytest.raises((MalformedFeed, NotAFeed)):
        parse_feed(str(feed_file).encode(), url="https://x.example/feed")


def test_deeply_nested_json_is_malformed() -> None:
    content = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + (
        b"[" * 100_000 + b"]" * 100_000 + b"}"
    )
    with pytest.raises(MalformedFeed):
        parse_feed(content, url="https://j.example/feed.json")


@pytest.mark.parametrize(
    ("content", "error", "words"),
    [
        (b"", MalformedFeed, "empty"),
        (b"   \n ", MalformedFeed, "empty"),
        (b'{"hello": "world"}', NotAFeed, "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1"', MalformedFeed, "JSON"),
        (
            b'{"version": "https://jsonfeed.org/version/1", "items": 3}',
            MalformedFeed,
            "items",
        ),
        (b"just some text, no markup", MalformedFeed, "readable"),
    ],
)
def test_broken_input_names_the_problem(
    content: bytes, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        parse_feed(content, url="https://b.example/feed")


# --------------------------------------------------------------- not a feed


def test_html_page_is_not_a_feed_and_offers_alternates() -> None:
    with pytest.raises(NotAFeed) as caught:
        parse(
            "html_page_with_alternates.html",
            url="https://site.example/",
            content_type="text/html; charset=utf-8",
        )
    assert caught.value.alternates == [
        "https://site.example/feed.atom",
        "https://site.example/news/rss.xml",
        "https://feeds.site.example/all.json",
    ]
    assert "HTML page" in str(caught.value)
    assert caught.value.code == "not_a_feed"


def test_xhtml_page_with_xml_declaration_offers_alternates() -> None:
    content = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head>'
        b'<link rel="alternate" type="application/atom+xml" href="/atom"/>'
        b"</head><body/></html>"
    )
    with pytest.raises(NotAFeed) as caught:
        parse_feed(content, url="https://x.example/", content_type="application/xml")
    assert caught.value.alternates == ["https://x.example/atom"]


def test_feed_served_as_text_html_is_still_a_feed() -> None:
    """Misconfigured servers send RSS as text/html; the bytes decide."""
    feed = parse("rss20_basic.xml", content_type="text/html")
    assert feed.format == "rss2.0"


def test_other_xml_is_not_a_feed() -> None:
    with pytest.raises(NotAFeed, match="<urlset>") as caught:
        parse("not_a_feed_sitemap.xml")
    assert caught.value.alternates == []


def test_json_feed_items_that_are_not_objects_are_reported() -> None:
    content = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": ["nope", {"id": "1", "url": "https://j.example/1"}],
        }
    ).encode()
    feed = parse_feed(content, url="https://j.example/feed.json")
    assert len(feed.entries) == 1
    assert "not JSON objects" in feed.skipped[0]


def test_external_dtd_is_never_fetched() -> None:
    """A DOCTYPE naming an external DTD (without entities) parses, and the DTD URL —
    a loopback server started here — receives no request."""
    site = RouteServer()
    site.routes["/evil.dtd"] = lambda h: respond(h, 200, b'<!ENTITY x "pwned">')
    site.start()
    try:
        content = (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE rss SYSTEM "{site.url("/evil.dtd")}">\n'
            "<rss version='2.0'><channel><title>t</title>"
            "<item><title>safe</title><link>https://d.example/1</link></item>"
            "</channel></rss>"
        ).encode()
        feed = parse_feed(content, url="https://d.example/feed")
    finally:
        site.stop()
    assert titles(feed) == ["safe"]
    assert site.seen == []


def test_utf8_the_publisher_read_as_cp1252_is_repaired() -> None:
    title = "Doctors’ Day: “thank you” — from São Paulo"
    served = read_as(title)
    document = f"<rss version='2.0'><channel><title>x</title><item><title>{served}"
    document += "</title><link>https://a.example/1</link></item></channel></rss>"
    feed = parse_feed(
        document.encode(), url="https://a.example/feed", content_type="text/xml"
    )
    assert titles(feed) == [title]
    # The same damage written as character references.
    referenced = "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in served)
    feed = parse_feed(
        document.replace(served, referenced).encode(),
        url="https://a.example/feed",
        content_type="text/xml",
    )
    assert titles(feed) == [title]
    # HTML read as Latin-1 keeps C1 controls, which the repair needs.
    summary = read_as("<p>It’s “done” in São Paulo</p>", "latin-1")
    assert html_to_text(summary, 200) == "It’s “done” in São Paulo"
    # Text that merely uses the same letters is left as written.
    plain = "NESCAFÉ® Classic — Tom Křížek’s café"
    assert decode_document(plain.encode(), "text/xml") == plain
