"""OPML subscription lists in and out (``cupure import-opml`` / ``export-opml``).

Parsed with defusedxml: an OPML file is uploaded by a person but may come from anywhere,
so entity declarations and external references are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

import defusedxml
import defusedxml.ElementTree

from cupure.feeds.errors import OpmlError
from cupure.feeds.text import clean_text, strip_control
from cupure.feeds.types import OpmlFeed

# Subscription lists of heavy readers run to a few thousand feeds.
OPML_MAX_FEEDS = 10_000
OPML_TITLE_MAX_CHARS = 500
OPML_URL_MAX_CHARS = 2000
# An outline attribute of ours: what the publisher's articles may show (full,
# excerpt or headline; cupure.rights.policy). Other readers ignore it.
POLICY_ATTRIBUTE = "displayPolicy"


def _attribute(element: Element, name: str) -> str:
    """An attribute by case-insensitive name (``xmlUrl``, ``xmlurl``, ``XMLURL``…)."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if key.lower() == wanted:
            return value
    return ""


def parse_opml(content: bytes) -> list[OpmlFeed]:
    """Every outline with an ``xmlUrl`` in document order, nested categories included.

    URLs are returned as written (trimmed): check each with
    :func:`cupure.net.fetch.validate_url` to report bad lines one by one. Raises
    OpmlError when the file is not XML, not OPML, or declares entities.
    """
    try:
        root = defusedxml.ElementTree.fromstring(content)
    except defusedxml.DefusedXmlException:
        raise OpmlError(
            "The OPML file declares XML entities or external references, which we "
            "refuse; export it again from your reader"
        ) from None
    except ParseError as exc:
        raise OpmlError(f"The OPML file is not well-formed XML ({exc})") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"The file is XML but not OPML (its root is <{root.tag}>)")
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise OpmlError("The OPML file has no <body>, so it lists no feeds")
    feeds: list[OpmlFeed] = []
    # Iterative walk (no recursion), carrying the nearest category title down.
    stack: list[tuple[Element, str]] = [(child, "") for child in reversed(body)]
    while stack and len(feeds) < OPML_MAX_FEEDS:
        element, category = stack.pop()
        if element.tag.lower() != "outline":
            continue
        title = clean_text(
            _attribute(element, "title") or _attribute(element, "text"),
            OPML_TITLE_MAX_CHARS,
        )
        xml_url = strip_control(_attribute(element, "xmlUrl")).strip()
        if xml_url:
            feeds.append(
                OpmlFeed(
                    title=title,
                    xml_url=xml_url[: OPML_URL_MAX_CHARS + 1],
                    html_url=strip_control(_attribute(element, "htmlUrl")).strip()[
                        :OPML_URL_MAX_CHARS
                    ],
                    category=category,
                    display_policy=clean_text(
                        _attribute(element, POLICY_ATTRIBUTE), 20
                    ),
                )
            )
        stack.extend((child, title or category) for child in reversed(element))
    return feeds


def export_opml(
    feeds: Iterable[OpmlFeed], *, title: str, now: datetime | None = None
) -> bytes:
    """An OPML 2.0 document (UTF-8 bytes) listing ``feeds``, grouped by category."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = clean_text(title, OPML_TITLE_MAX_CHARS)
    SubElement(head, "dateCreated").text = format_datetime(
        (now or datetime.now(UTC)).astimezone(UTC), usegmt=True
    )
    body = SubElement(root, "body")
    categories: dict[str, Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            parent = categories.get(feed.category) or SubElement(
                body, "outline", text=clean_text(feed.category, OPML_TITLE_MAX_CHARS)
            )
            categories[feed.category] = parent
        attributes = {
            "type": "rss",
            "text": clean_text(feed.title, OPML_TITLE_MAX_CHARS) or feed.xml_url,
            "title": clean_text(feed.title, OPML_TITLE_MAX_CHARS) or feed.xml_url,
            "xmlUrl": strip_control(feed.xml_url),
        }
        if feed.html_url:
            attributes["htmlUrl"] = strip_control(feed.html_url)
        if feed.display_policy:
            attributes[POLICY_ATTRIBUTE] = strip_control(feed.display_policy)
        SubElement(parent, "outline", attributes)
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document
