"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents for a demo publisher.

Plain string building with explicit escaping: the three formats are small, and
writing them out keeps every element the aggregator will read visible here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# A fixed namespace so an entry's Atom id stays the same across demo runs (the
# aggregator dedupes on it) while staying unique per publisher and article.
ENTRY_ID_NAMESPACE = uuid.UUID("6f1c2a8e-1d3b-4c55-9a63-0c5d8e2f7b41")


@dataclass(frozen=True)
class FeedInfo:
    title: str
    description: str
    home_url: str
    language: str
    rss_url: str
    atom_url: str
    json_url: str
    # RSS guids: the article URL (isPermaLink) or the stable urn:uuid. Publishers
    # do both; the uuid also survives the demo server moving to another port.
    rss_guid_is_permalink: bool = True
    # The WebSub hub that pushes this feed's new entries ("" for none).
    hub_url: str = ""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # publisher/slug, stable across runs
    url: str
    title: str
    summary: str
    author: str
    published: datetime
    image_url: str
    section: str


def entry_uuid(key: str) -> str:
    """The stable ``urn:uuid:`` id of an entry (Atom id, JSON Feed id)."""
    return f"urn:uuid:{uuid.uuid5(ENTRY_ID_NAMESPACE, key)}"


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _updated(entries: list[FeedEntry], fallback: datetime) -> datetime:
    return max((e.published for e in entries), default=fallback)


def rss(info: FeedInfo, entries: list[FeedEntry], built: datetime) -> str:
    """An RSS 2.0 channel, entries in the given order (newest first expected)."""
    items = []
    for e in entries:
        if info.rss_guid_is_permalink:
            guid = f'<guid isPermaLink="true">{escape(e.url)}</guid>'
        else:
            guid = f'<guid isPermaLink="false">{entry_uuid(e.key)}</guid>'
        items.append(
            "    <item>\n"
            f"      <title>{escape(e.title)}</title>\n"
            f"      <link>{escape(e.url)}</link>\n"
            f"      {guid}\n"
            f"      <pubDate>{format_datetime(e.published, usegmt=True)}</pubDate>\n"
            f"      <dc:creator>{escape(e.author)}</dc:creator>\n"
            f"      <category>{escape(e.section)}</category>\n"
            f"      <description>{escape(e.summary)}</description>\n"
            # The RSS Advisory Board's profile: when the size is not known without
            # producing the file, publishers use length 0.
            f'      <enclosure url={quoteattr(e.image_url)} length="0" '
            'type="image/jpeg"/>\n'
            "    </item>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "  <channel>\n"
        f"    <title>{escape(info.title)}</title>\n"
        f"    <link>{escape(info.home_url)}</link>\n"
        f"    <description>{escape(info.description)}</description>\n"
        f"    <language>{escape(info.language)}</language>\n"
        f"    <lastBuildDate>{format_datetime(built, usegmt=True)}</lastBuildDate>\n"
        f'    <atom:link href={quoteattr(info.rss_url)} rel="self" '
        'type="application/rss+xml"/>\n'
        f"{_hub_link('    <atom:link', info)}"
        f"{''.join(items)}"
        "  </channel>\n"
        "</rss>\n"
    )


def atom(info: FeedInfo, entries: list[FeedEntry], built: datetime) -> str:
    """An Atom 1.0 feed; ``updated`` is the newest entry's date."""
    parts = []
    for e in entries:
        parts.append(
            "  <entry>\n"
            f"    <id>{entry_uuid(e.key)}</id>\n"
            f"    <title>{escape(e.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(e.url)}/>\n'
            f'    <link rel="enclosure" type="image/jpeg" '
            f"href={quoteattr(e.image_url)}/>\n"
            f"    <published>{_iso(e.published)}</published>\n"
            f"    <updated>{_iso(e.published)}</updated>\n"
            f"    <author><name>{escape(e.author)}</name></author>\n"
            f"    <category term={quoteattr(e.section)}/>\n"
            f'    <summary type="text">{escape(e.summary)}</summary>\n'
            "  </entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        f"xml:lang={quoteattr(info.language)}>\n"
        f"  <id>{escape(info.home_url)}</id>\n"
        f"  <title>{escape(info.title)}</title>\n"
        f"  <subtitle>{escape(info.description)}</subtitle>\n"
        f"  <updated>{_iso(_updated(entries, built))}</updated>\n"
        f'  <link rel="alternate" type="text/html" href={quoteattr(info.home_url)}/>\n'
        f'  <link rel="self" type="application/atom+xml" '
        f"href={quoteattr(info.atom_url)}/>\n"
        f"{_hub_link('  <link', info)}"
        f"  <author><name>{escape(info.title)}</name></author>\n"
        f"{''.join(parts)}"
        "</feed>\n"
    )


def _hub_link(element: str, info: FeedInfo) -> str:
    """The WebSub ``rel="hub"`` link line, or "" when the feed has no hub."""
    if not info.hub_url:
        return ""
    return f'{element} href={quoteattr(info.hub_url)} rel="hub"/>\n'


def json_feed(info: FeedInfo, entries: list[FeedEntry]) -> str:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    document: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "description": info.description,
        "home_page_url": info.home_url,
        "feed_url": info.json_url,
        "language": info.language,
        "authors": [{"name": info.title, "url": info.home_url}],
        "items": [
            {
                "id": entry_uuid(e.key),
                "url": e.url,
                "title": e.title,
                "summary": e.summary,
                "content_text": e.summary,
                "image": e.image_url,
                "date_published": _iso(e.published),
                "date_modified": _iso(e.published),
                "authors": [{"name": e.author}],
                "tags": [e.section],
            }
            for e in entries
        ],
    }
    if info.hub_url:
        document["hubs"] = [{"type": "WebSub", "url": info.hub_url}]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
