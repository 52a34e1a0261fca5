"""cupure.feeds.discover: feed links advertised by HTML pages."""

from __future__ import annotations

import pytest

from cupure.feeds.discover import absolute_http_url, discover_feed_links


def test_links_resolve_against_the_page_url() -> None:
    html = (
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss">'
        b'<link rel="Alternate  home" type="application/atom+xml; charset=utf-8" '
        b'href="atom.xml"></head></html>'
    )
    assert discover_feed_links(html, url="https://s.example/news/") == [
        "https://s.example/news/atom.xml",
        "https://s.example/rss",
    ]


def test_page_without_feed_links_gives_nothing() -> None:
    html = b'<html><head><link rel="alternate" hreflang="de" href="/de/"></head></html>'
    assert discover_feed_links(html, url="https://s.example/") == []


@pytest.mark.parametrize(
    ("base", "href", "expected"),
    [
        ("https://a.example/x/", "y", "https://a.example/x/y"),
        ("https://a.example/x/", "  /z  ", "https://a.example/z"),
        ("http://a.example/", "//b.example/f", "http://b.example/f"),
        ("https://a.example/", "javascript:alert(1)", None),
        ("https://a.example/", "JaVaScRiPt:alert(1)", None),
        ("https://a.example/", "data:text/html,x", None),
        ("https://a.example/", "mailto:x@a.example", None),
        ("https://a.example/", "https://a.example/\x00x", None),
        ("https://a.example/", "https://a.example/a b", None),
        ("https://a.example/", "http://:80/", None),
        ("https://a.example/", "http://a.example:xyz/", None),
        ("https://a.example/", "", None),
    ],
)
def test_absolute_http_url(base: str, href: str, expected: str | None) -> None:
    assert absolute_http_url(base, href) == expected
