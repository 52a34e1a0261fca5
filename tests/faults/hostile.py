"""Hostile publishers for the fault suite (and bench/faults.py), served on loopback.

Each site says how many of its entries are good (must be stored as articles) and how
many are hostile in a way that must cost only that entry (issue #16).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.loopback import LoopbackSite, Page

# Dates Python parses but UTC cannot hold, and placeholders (issue #16).
OVERFLOW_LATE = "9999-12-31T23:59:59-01:00"
OVERFLOW_EARLY = "0001-01-01T00:00:00+01:00"
EPOCH_1900 = "1900-01-01T00:00:00+00:00"
# A heading of 10 MB (under the fetcher's 15 MB body cap).
HUGE_HEADING_BYTES = 10 * 1024 * 1024

PARAGRAPHS = (
    "The council voted on Tuesday to extend the night bus service to the new "
    "housing estates on the eastern edge of the city, after a year of petitions.",
    "Residents had complained that the last bus left the centre before ten, which "
    "left shift workers walking home along an unlit road for almost an hour.",
    "The extension will cost the transport authority about two million a year and "
    "starts in the spring, once new drivers have been hired and trained.",
)


def article_html(
    title: str, *, published: str = "2026-11-20T08:00:00+00:00", extra: str = ""
) -> bytes:
    """A plain news page that the extractor reads: title, date, three paragraphs."""
    body = "".join(f"<p>{p} ({title})</p>" for p in PARAGRAPHS)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title>"
        f"<meta property='article:published_time' content='{published}'>"
        f"</head><body><article><h1>{title}</h1>{extra}{body}</article></body></html>"
    ).encode()


@dataclass
class HostileSite:
    site: LoopbackSite
    feed_paths: list[str]
    good: int  # entries whose article must be stored
    hostile: int  # entries that may fail (with a reason on the entry) but nothing else


def serve_hostile(site: LoopbackSite, *, huge_heading: bool = True) -> HostileSite:
    """Add the hostile feeds and pages to ``site``.

    ``/dates.json``: a JSON Feed whose entries carry overflowing and placeholder
    dates (3 entries, all good: a bad date falls back, never raises).
    ``/pages.xml``: an RSS feed whose pages carry overflowing dates, NUL bytes,
    invalid UTF-8, a 10 MB heading, a 10 MB title, plus duplicate GUIDs and links.
    The pages with 10 MB of heading or title may fail (with their reason).
    """
    base = site.base_url
    items = [
        {
            "id": "d1",
            "url": f"{base}/d/late",
            "title": "Late",
            "date_published": OVERFLOW_LATE,
        },
        {
            "id": "d2",
            "url": f"{base}/d/early",
            "title": "Early",
            "date_published": OVERFLOW_EARLY,
        },
        {
            "id": "d3",
            "url": f"{base}/d/plain",
            "title": "Plain",
            "date_published": "2026-11-20T08:00:00Z",
        },
    ]
    site.pages["/dates.json"] = Page(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "Dates",
                "items": items,
            }
        ).encode(),
        "application/feed+json",
    )
    site.pages["/d/late"] = Page(article_html("Night buses late edition"))
    site.pages["/d/early"] = Page(article_html("Night buses early edition"))
    site.pages["/d/plain"] = Page(article_html("Night buses plain edition"))

    pages = {
        "/p/good": article_html("Bridge reopens on time"),
        "/p/late": article_html("Harbour dredging begins", published=OVERFLOW_LATE),
        "/p/early": article_html("Tram line extended", published=OVERFLOW_EARLY),
        "/p/epoch": article_html("Library opens late", published=EPOCH_1900),
        "/p/nul": article_html("Market\x00 hall repairs").replace(
            b"council", b"coun\x00cil"
        ),
        "/p/badutf8": article_html("School roof fixed").replace(
            b"housing", b"hous\xff\xfeing"
        ),
    }
    good = len(pages)
    hostile = 0
    if huge_heading:
        words = "Flood " * (HUGE_HEADING_BYTES // 6)
        pages["/p/huge"] = article_html("Flood defences", extra=f"<h1>{words}</h1>")
        pages["/p/hugetitle"] = article_html("Flood walls").replace(
            b"<title>Flood walls</title>", f"<title>{words}</title>".encode()
        )
        hostile += 2
    for path, body in pages.items():
        site.pages[path] = Page(body)
    rss_items = "".join(
        f"<item><title>{path}</title><link>{base}{path}</link><guid>{path}</guid>"
        "<pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>"
        for path in pages
    )
    # Duplicates inside the document: the same guid again, the same link again.
    rss_items += (
        f"<item><title>dup guid</title><link>{base}/p/other</link>"
        "<guid>/p/good</guid></item>"
        f"<item><title>dup link</title><link>{base}/p/good</link>"
        "<guid>again</guid></item>"
    )
    site.pages["/pages.xml"] = Page(
        (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>Hostile pages</title><link>{base}/</link>{rss_items}"
            "</channel></rss>"
        ).encode(),
        "application/rss+xml",
    )
    return HostileSite(
        site, ["/dates.json", "/pages.xml"], good=good + 3, hostile=hostile
    )
