"""Offline checks of feeds against their specifications (issue #18, item 5).

Written from the texts themselves, one function per format, each returning the list
of violations found (empty: valid):

- Atom: RFC 4287 (§4.1.1 atom:feed, §4.1.2 atom:entry, §3.3 date constructs,
  §4.2.7 links, §4.2.6 ids);
- RSS 2.0: the RSS 2.0 specification (rssboard.org), required channel and item
  elements, RFC 822 dates, enclosure attributes;
- JSON Feed 1.1: a JSON Schema transcribed from jsonfeed.org/version/1.1, checked
  with the ``jsonschema`` package, plus the rules a schema cannot say.

The W3C validator's complaints that started the issue ("Missing entry element:
updated", an empty JSON Feed without ``items``) are among the checks.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time (RFC 4287 §3.3: "MUST conform to the date-time production").
RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


def _absolute_iri(value: str | None) -> bool:
    if not value:
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"urn", "tag"})


def _date_ok(value: str | None) -> bool:
    if not value or not RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _count(parent: etree._Element, name: str) -> int:
    return len(parent.findall(f"{ATOM}{name}"))


def atom_violations(body: bytes) -> list[str]:
    """What in ``body`` breaks RFC 4287."""
    problems: list[str] = []
    root = etree.fromstring(body)
    if root.tag != f"{ATOM}feed":
        return [f"root element is {root.tag}, not atom:feed"]
    for name in ("id", "title", "updated"):
        if _count(root, name) != 1:
            problems.append(f"feed: must contain exactly one atom:{name}")
    feed_has_author = _count(root, "author") > 0
    problems += _common_atom(root, "feed")
    entries = root.findall(f"{ATOM}entry")
    for n, entry in enumerate(entries):
        where = f"entry {n}"
        for name in ("id", "title", "updated"):
            if _count(entry, name) != 1:
                problems.append(f"{where}: Missing entry element: {name}")
        if not feed_has_author and _count(entry, "author") == 0:
            problems.append(f"{where}: no atom:author and the feed has none")
        content = entry.find(f"{ATOM}content")
        alternates = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if content is None and not alternates:
            problems.append(f"{where}: neither atom:content nor link rel=alternate")
        if _count(entry, "summary") > 1 or _count(entry, "published") > 1:
            problems.append(f"{where}: more than one summary or published")
        problems += _common_atom(entry, where)
    return problems


def _common_atom(element: etree._Element, where: str) -> list[str]:
    problems = []
    for name in ("updated", "published"):
        for date in element.findall(f"{ATOM}{name}"):
            if not _date_ok(date.text):
                problems.append(f"{where}: atom:{name} {date.text!r} is not RFC 3339")
    for ident in element.findall(f"{ATOM}id"):
        if not _absolute_iri((ident.text or "").strip()):
            problems.append(f"{where}: atom:id {ident.text!r} is not an absolute IRI")
    seen = set()
    for link in element.findall(f"{ATOM}link"):
        if not link.get("href"):
            problems.append(f"{where}: atom:link without href")
        rel = link.get("rel", "alternate")
        if rel == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in seen:
                problems.append(f"{where}: two alternate links of one type")
            seen.add(key)
    for author in element.findall(f"{ATOM}author"):
        if _count(author, "name") != 1:
            problems.append(f"{where}: atom:author needs exactly one atom:name")
    for text in ("title", "summary", "rights", "subtitle"):
        for node in element.findall(f"{ATOM}{text}"):
            if node.get("type", "text") not in {"text", "html", "xhtml"}:
                problems.append(f"{where}: atom:{text} has an unknown type")
    return problems


def rss_violations(body: bytes) -> list[str]:
    """What in ``body`` breaks RSS 2.0."""
    problems: list[str] = []
    root = etree.fromstring(body)
    if root.tag != "rss" or root.get("version") != "2.0":
        return ['root element must be <rss version="2.0">']
    channels = root.findall("channel")
    if len(channels) != 1:
        return ["rss must contain exactly one channel"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if len(channel.findall(name)) != 1:
            problems.append(f"channel: must contain exactly one <{name}>")
    if not _absolute_iri(channel.findtext("link")):
        problems.append("channel: <link> is not an absolute URL")
    for name in ("pubDate", "lastBuildDate"):
        value = channel.findtext(name)
        if value is not None and not _rfc822_ok(value):
            problems.append(f"channel: <{name}> {value!r} is not an RFC 822 date")
    for n, item in enumerate(channel.findall("item")):
        where = f"item {n}"
        if item.find("title") is None and item.find("description") is None:
            problems.append(f"{where}: needs a <title> or a <description>")
        link = item.findtext("link")
        if link is not None and not _absolute_iri(link):
            problems.append(f"{where}: <link> is not an absolute URL")
        date = item.findtext("pubDate")
        if date is not None and not _rfc822_ok(date):
            problems.append(f"{where}: <pubDate> {date!r} is not an RFC 822 date")
        guid = item.find("guid")
        permalink = guid is not None and guid.get("isPermaLink", "true") == "true"
        if permalink and not _absolute_iri(guid.text):
            problems.append(f"{where}: permalink <guid> is not a URL")
        for enclosure in item.findall("enclosure"):
            for attribute in ("url", "length", "type"):
                if not enclosure.get(attribute):
                    problems.append(f"{where}: <enclosure> without {attribute}")
            if not (enclosure.get("length") or "").isdigit():
                problems.append(f"{where}: <enclosure> length is not a number")
    return problems


def _rfc822_ok(value: str) -> bool:
    try:
        return parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


_AUTHOR = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "avatar": {"type": "string", "format": "uri"},
    },
    "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
}
_DATE = {"type": "string", "pattern": RFC3339.pattern}
# JSON Feed 1.1, transcribed: required keys, types, and what an item must carry.
JSON_FEED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "description": {"type": "string"},
        "user_comment": {"type": "string"},
        "next_url": {"type": "string"},
        "icon": {"type": "string"},
        "favicon": {"type": "string"},
        "authors": {"type": "array", "items": _AUTHOR},
        "language": {"type": "string"},
        "expired": {"type": "boolean"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "external_url": {"type": "string", "format": "uri"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "banner_image": {"type": "string"},
                    "date_published": _DATE,
                    "date_modified": _DATE,
                    "authors": {"type": "array", "items": _AUTHOR},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                },
                "anyOf": [
                    {"required": ["content_html"]},
                    {"required": ["content_text"]},
                ],
            },
        },
    },
}


def json_feed_violations(document: Any) -> list[str]:
    """What in ``document`` (decoded JSON) breaks JSON Feed 1.1."""
    validator = jsonschema.Draft202012Validator(
        JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker()
    )
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or 'feed'}: {error.message}"
        for error in validator.iter_errors(document)
    ]
    if isinstance(document, dict):
        for key in ("home_page_url", "feed_url"):
            if key in document and not _absolute_iri(document[key]):
                problems.append(f"{key} is not an absolute URL")
        for n, item in enumerate(document.get("items") or []):
            for key in ("url", "external_url"):
                if key in item and not _absolute_iri(item[key]):
                    problems.append(f"items/{n}/{key} is not an absolute URL")
            for key in ("date_published", "date_modified"):
                if key in item and not _date_ok(item[key]):
                    problems.append(f"items/{n}/{key} is not an RFC 3339 date")
    return problems
