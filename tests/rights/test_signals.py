"""Publishers' robots signals read from a page and its headers (rights.signals)."""

from __future__ import annotations

from cupure.rights.policy import Signals
from cupure.rights.signals import page_signals, parse_directives


def _page(*metas: str) -> str:
    return f"<html><head>{''.join(metas)}</head><body><p>x</p></body></html>"


def test_meta_robots() -> None:
    signals = page_signals(
        _page('<meta name="robots" content="noarchive, max-snippet:120">')
    )
    assert signals == Signals(noarchive=True, max_snippet=120)
    assert signals.found == (
        "meta robots: noarchive",
        "meta robots: max-snippet:120",
    )


def test_googlebot_news_counts_where_stricter() -> None:
    signals = page_signals(
        _page(
            '<meta name="ROBOTS" content="max-snippet:200, max-image-preview:large">',
            '<meta name="googlebot-news" content="nosnippet, max-snippet:50">',
            '<meta name="bingbot" content="noindex">',
        )
    )
    assert signals == Signals(nosnippet=True, max_snippet=50, max_image_preview="large")
    assert "meta googlebot-news: nosnippet" in signals.found


def test_x_robots_tag_for_us_and_not_for_others() -> None:
    headers = {
        "x-robots-tag": "max-image-preview:none, otherbot: noindex, nofollow, "
        "googlebot-news: noarchive"
    }
    signals = page_signals(_page(), headers)
    assert signals == Signals(noarchive=True, max_image_preview="none")
    assert signals.found == (
        "X-Robots-Tag: max-image-preview:none",
        "X-Robots-Tag (googlebot-news): noarchive",
    )


def test_none_means_noindex_and_unknowns_change_nothing() -> None:
    assert parse_directives("none", "meta robots").noindex
    odd = parse_directives("max-snippet:lots, unavailable_after: 2030, all", "m")
    assert odd == Signals()
    assert parse_directives("max-snippet:-1", "m").max_snippet is None


def test_unreadable_pages_have_no_signals() -> None:
    assert page_signals("") == Signals()
    assert page_signals(b"\x00\x01 not html") == Signals()
    assert page_signals("   ", None) == Signals()
