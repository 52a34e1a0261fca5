"""Feed bytes into a :class:`ParsedFeed`: RSS 0.9x/1.0/2.0, Atom, JSON Feed 1.0/1.1.

The order of work, and why:

1. Decide the text encoding ourselves (BOM, then valid UTF-8, then the declared
   charset, then windows-1252) and drop NUL and control characters, so a wrong
   ``charset=`` or a stray NUL costs nothing and never reaches PostgreSQL.
2. JSON Feed is parsed here with :mod:`json` (feedparser does not read it).
3. HTML is not a feed: :class:`NotAFeed` carries the feeds the page advertises.
4. XML is first parsed by defusedxml, which refuses entity declarations and external
   references (billion laughs, XXE); only then does feedparser see it, always as a
   byte *stream* (given bytes or a str, feedparser would open a path or URL).
5. Entries are normalised by one builder for both paths: absolute http(s) links only,
   plain-text titles, UTC dates never in the future, duplicates dropped with a reason.
"""

from __future__ import annotations

import calendar
import codecs
import io
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

from cupure.feeds.discover import absolute_http_url, discover_feed_links
from cupure.feeds.errors import MalformedFeed, NotAFeed
from cupure.feeds.text import clean_text, html_to_text, strip_control
from cupure.feeds.types import FeedEntry, ParsedFeed
from cupure.text.dates import plausible_date
from cupure.text.mojibake import repair_mojibake

log = logging.getLogger(__name__)

# Titles are headlines; anything longer is a feed putting the article in the title.
TITLE_MAX_CHARS = 500
# A summary is a teaser shown beside the link, not the article.
SUMMARY_MAX_CHARS = 5000
AUTHOR_MAX_CHARS = 200
DESCRIPTION_MAX_CHARS = 2000
# The Entry.guid column holds 2000 characters; longer ids are not ids.
GUID_MAX_CHARS = 2000
# A feed listing more entries than this is a dump, not a feed; the rest are skipped
# and named in ``skipped`` (kept on the feed). The body cap (15 MB) bounds it anyway;
# 1,000 silently dropped 4,000 of a 5,000-entry archive feed (issue #16).
MAX_ENTRIES = 20_000
# A publisher's TTL longer than a week is ignored beyond a week.
TTL_MAX_SECONDS = 7 * 24 * 3600

_JSON_TYPES = frozenset({"application/feed+json", "application/json", "text/json"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>", re.I)
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?(rss|feed|RDF|channel)[\s>/]")
_HTML_START = re.compile(
    rb"^(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FORMATS = {
    "rss090": "rss0.90",
    "rss091n": "rss0.91",
    "rss091u": "rss0.91",
    "rss092": "rss0.92",
    "rss093": "rss0.93",
    "rss094": "rss0.94",
    "rss20": "rss2.0",
    "rss10": "rss1.0",
    "rss": "rss",
    "atom01": "atom0.1",
    "atom02": "atom0.2",
    "atom03": "atom0.3",
    "atom10": "atom1.0",
    "atom": "atom",
    "cdf": "cdf",
}
_SY_PERIODS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    "monthly": 30 * 86400,
    "yearly": 365 * 86400,
}


# ------------------------------------------------------------------ entry building


@dataclass
class _RawEntry:
    """What either parser found for one entry, before cleaning."""

    guid: str
    link: str
    title: str
    title_is_html: bool
    summary: str
    summary_is_html: bool
    author: str
    image: str
    published: datetime | None
    declared_published: datetime | None = None
    declared_updated: datetime | None = None


def _clean_date(value: datetime | None, fetched_at: datetime) -> datetime:
    # Missing, placeholder, future or unrepresentable dates (year 9999 with a negative
    # offset overflows UTC, issue #16) all become the fetch time.
    date, _reason = plausible_date(value, now=fetched_at)
    return date or fetched_at


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    try:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _build_entries(
    raws: Iterable[_RawEntry], *, base: str, fetched_at: datetime
) -> tuple[tuple[FeedEntry, ...], tuple[str, ...]]:
    entries: list[FeedEntry] = []
    skipped: list[str] = []
    seen_guids: set[str] = set()
    seen_links: set[str] = set()
    raws = list(raws)
    for number, raw in enumerate(raws, start=1):
        if number > MAX_ENTRIES:
            skipped.append(
                f"{len(raws) - MAX_ENTRIES} entries after the first {MAX_ENTRIES} "
                "were ignored (feed too long)"
            )
            break
        title = (
            html_to_text(raw.title, TITLE_MAX_CHARS)
            if raw.title_is_html
            else clean_text(raw.title, TITLE_MAX_CHARS)
        )
        label = f"entry {number}" + (f" ({title[:60]!r})" if title else "")
        guid = clean_text(raw.guid, GUID_MAX_CHARS + 1)
        link = absolute_http_url(base, strip_control(raw.link)) if raw.link else None
        if link is None and not raw.link.strip():
            # RSS guids with isPermaLink are links; feedparser already copied those,
            # but a guid that is a plain URL is the only link some feeds give.
            link = absolute_http_url("", guid) if guid else None
        if link is None:
            reason = (
                f"link {raw.link.strip()[:100]!r} is not an http(s) URL"
                if raw.link.strip()
                else "no link"
            )
            skipped.append(f"{label}: {reason}")
            continue
        if not guid or len(guid) > GUID_MAX_CHARS:
            guid = link
        if guid in seen_guids:
            skipped.append(f"{label}: duplicate guid {guid[:100]!r}, kept the first")
            continue
        if link in seen_links:
            skipped.append(
                f"{label}: same link as an earlier entry ({link[:100]}), kept the first"
            )
            continue
        seen_guids.add(guid)
        seen_links.add(link)
        summary = (
            html_to_text(raw.summary, SUMMARY_MAX_CHARS)
            if raw.summary_is_html
            else clean_text(raw.summary, SUMMARY_MAX_CHARS)
        )
        image = absolute_http_url(base, raw.image) if raw.image else None
        entries.append(
            FeedEntry(
                guid=guid,
                link=link,
                title=title,
                published=_clean_date(raw.published, fetched_at),
                summary=summary,
                author=clean_text(raw.author, AUTHOR_MAX_CHARS),
                image_url=image or "",
                declared_published=_utc(raw.declared_published),
                declared_updated=_utc(raw.declared_updated),
            )
        )
    return tuple(entries), tuple(skipped)


# ------------------------------------------------------------------ bytes to text


def _charset_of(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'").lower() or None
    return None


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_document(content: bytes, content_type: str | None) -> str:
    """The document as text, whatever its (mis)declared encoding.

    A BOM wins; then bytes that are valid UTF-8 are UTF-8 (a wrong ``charset=latin-1``
    on a UTF-8 feed is the common mistake, and non-ASCII latin-1 is essentially never
    valid UTF-8); then the HTTP charset, then the XML declaration, then windows-1252
    with undecodable bytes replaced. UTF-8 read as cp1252 by the publisher
    ("Itâ€™s") is repaired; NUL and control characters are removed.
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return strip_control(content[len(bom) :].decode(encoding, "replace"))
    declared_match = _DECLARED_ENCODING.match(content.lstrip()[:200])
    declared = [
        _known_codec(_charset_of(content_type)),
        _known_codec(declared_match.group(1).decode("ascii"))
        if declared_match
        else None,
    ]
    # UTF-16/32 without BOM is valid "UTF-8" full of NULs: trust the declaration.
    wide = [d for d in declared if d and d.startswith(("utf-16", "utf-32"))]
    if wide:
        return strip_control(content.decode(wide[0], "replace"))
    try:
        # Valid UTF-8 may still be UTF-8 the publisher once read as cp1252 ("â€™").
        return strip_control(repair_mojibake(content.decode("utf-8")))
    except UnicodeDecodeError:
        pass
    for candidate in declared:
        if candidate and candidate != "utf-8":
            try:
                return strip_control(content.decode(candidate))
            except UnicodeDecodeError:
                continue
    return strip_control(content.decode("windows-1252", "replace"))


# ------------------------------------------------------------------------- sniffing


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _sniff(text_start: bytes, media_type: str) -> str:
    """ "json", "html" or "xml", from the first bytes and the declared media type."""
    head = text_start.lstrip()
    if head.startswith((b"{", b"[")):
        return "json"
    if media_type in _JSON_TYPES and not head.startswith(b"<"):
        return "json"
    looks_html = _HTML_START.match(head) is not None
    looks_feed = head.startswith(b"<?xml") or _FEED_ROOT.search(head[:2048])
    if looks_feed and not looks_html:
        return "xml"
    if looks_html or media_type in _HTML_TYPES:
        return "html"
    return "xml"


# ------------------------------------------------------------------------ JSON Feed


def _json_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _json_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _json_author(item: Mapping[str, Any]) -> str:
    authors = item.get("authors")
    if isinstance(authors, list):
        names = [_json_str(a.get("name")) for a in authors[:10] if isinstance(a, dict)]
        return ", ".join(n for n in names if n)
    author = item.get("author")
    if isinstance(author, dict):
        return _json_str(author.get("name"))
    return ""


def _parse_json_feed(text: str, *, url: str, fetched_at: datetime) -> ParsedFeed:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        detail = str(exc) if isinstance(exc, ValueError) else "nested too deeply"
        raise MalformedFeed(
            f"{url} looks like JSON but cannot be parsed ({detail[:200]}); "
            "tell the publisher their feed is broken",
            url=url,
        ) from None
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(
        ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
    ):
        raise NotAFeed(
            f"{url} is JSON but not a JSON Feed (no jsonfeed.org version); "
            "use the address of the site's RSS, Atom or JSON Feed",
            url=url,
        )
    assert isinstance(document, dict)
    number = version.rsplit("/", 1)[-1]
    items = document.get("items")
    if not isinstance(items, list):
        raise MalformedFeed(
            f"{url} is a JSON Feed without an 'items' list; the publisher's feed is "
            "broken",
            url=url,
        )
    raws: list[_RawEntry] = []
    not_objects = 0
    for item in items:
        if not isinstance(item, dict):
            not_objects += 1
            continue
        if item.get("content_html") is not None:
            summary, summary_is_html = _json_str(item.get("content_html")), True
        else:
            summary, summary_is_html = _json_str(item.get("content_text")), False
        if _json_str(item.get("summary")):
            summary, summary_is_html = _json_str(item.get("summary")), False
        raws.append(
            _RawEntry(
                guid=_json_str(item.get("id")),
                link=_json_str(item.get("url")) or _json_str(item.get("external_url")),
                title=_json_str(item.get("title")),
                title_is_html=False,
                summary=summary,
                summary_is_html=summary_is_html,
                author=_json_author(item),
                image=_json_str(item.get("image"))
                or _json_str(item.get("banner_image")),
                published=_json_date(item.get("date_published"))
                or _json_date(item.get("date_modified")),
                declared_published=_json_date(item.get("date_published")),
                declared_updated=_json_date(item.get("date_modified")),
            )
        )
    entries, skipped = _build_entries(raws, base=url, fetched_at=fetched_at)
    if not_objects:
        skipped = (f"{not_objects} items were not JSON objects", *skipped)
    return ParsedFeed(
        format=f"json{number}",
        title=clean_text(_json_str(document.get("title")), TITLE_MAX_CHARS),
        site_url=absolute_http_url(url, _json_str(document.get("home_page_url"))) or "",
        description=clean_text(
            _json_str(document.get("description")), DESCRIPTION_MAX_CHARS
        ),
        entries=entries,
        ttl_seconds=None,
        skipped=skipped,
        hub_urls=_json_hubs(document.get("hubs"), url),
        self_url=absolute_http_url(url, _json_str(document.get("feed_url"))) or "",
    )


# WebSub hubs a feed may name; more is a feed listing garbage.
MAX_HUBS = 5


def _json_hubs(hubs: Any, base: str) -> tuple[str, ...]:
    """The WebSub hubs of a JSON Feed's ``hubs`` list (other types are ignored)."""
    found: list[str] = []
    for hub in hubs if isinstance(hubs, list) else []:
        if not isinstance(hub, dict):
            continue
        kind = _json_str(hub.get("type")).lower()
        if kind in ("websub", "pubsubhubbub", "push"):
            address = absolute_http_url(base, _json_str(hub.get("url")))
            if address and address not in found:
                found.append(address)
    return tuple(found[:MAX_HUBS])


def _xml_links(channel: Mapping[str, Any], base: str) -> tuple[tuple[str, ...], str]:
    """The ``rel="hub"`` addresses and the ``rel="self"`` address of a feed's own
    links (Atom ``<link>``, ``<atom:link>`` in RSS), absolute http(s) only."""
    hubs: list[str] = []
    self_url = ""
    for link in channel.get("links") or []:
        if not isinstance(link, Mapping):
            continue
        address = absolute_http_url(base, str(link.get("href") or ""))
        if not address:
            continue
        rel = str(link.get("rel") or "").lower()
        if rel == "hub" and address not in hubs:
            hubs.append(address)
        elif rel == "self" and not self_url:
            self_url = address
    return tuple(hubs[:MAX_HUBS]), self_url


# ------------------------------------------------------------------------ XML feeds


def _refuse_unsafe_xml(data: bytes, url: str) -> None:
    """Refuse entity declarations and external references before feedparser runs."""
    refusal = MalformedFeed(
        f"{url} declares XML entities or external references, which we refuse "
        "(entity expansion / XXE); tell the publisher to remove the DOCTYPE",
        url=url,
    )
    if _ENTITY_DECLARATION.search(data):
        raise refusal
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=False)
    except defusedxml.DefusedXmlException:
        raise refusal from None
    except (ParseError, ValueError):
        # Not well-formed: feedparser's lenient parser may still read it, and that
        # parser never expands declared entities beyond simple literal ones.
        return


def _time_struct(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _detail_is_html(entry: Mapping[str, Any], key: str) -> bool:
    detail = entry.get(f"{key}_detail") or {}
    return "html" in str(detail.get("type", ""))


def _entry_link(entry: Mapping[str, Any]) -> str:
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link
    for candidate in entry.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return str(candidate["href"])
    return ""


def _entry_image(entry: Mapping[str, Any]) -> str:
    for thumbnail in entry.get("media_thumbnail") or []:
        if thumbnail.get("url"):
            return str(thumbnail["url"])
    for media in entry.get("media_content") or []:
        kind = str(media.get("medium", "")) + str(media.get("type", ""))
        if media.get("url") and "image" in kind:
            return str(media["url"])
    for enclosure in entry.get("enclosures") or []:
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get(
            "href"
        ):
            return str(enclosure["href"])
    image = entry.get("image")
    if isinstance(image, dict) and image.get("href"):
        return str(image["href"])
    return ""


def _entry_summary(entry: Mapping[str, Any]) -> tuple[str, bool]:
    if entry.get("summary"):
        # feedparser copies <content> into summary without a summary_detail; treat
        # anything not declared plain text as HTML (stripping tags from text is safe).
        detail = entry.get("summary_detail") or {}
        return str(entry["summary"]), detail.get("type") != "text/plain"
    for content in entry.get("content") or []:
        if content.get("value"):
            return str(content["value"]), "html" in str(content.get("type", ""))
    return "", False


def _raw_entry(entry: dict[str, Any]) -> _RawEntry:
    summary, summary_is_html = _entry_summary(entry)
    return _RawEntry(
        guid=str(entry.get("id") or ""),
        link=_entry_link(entry),
        title=str(entry.get("title") or ""),
        title_is_html=_detail_is_html(entry, "title"),
        summary=summary,
        summary_is_html=summary_is_html,
        author=str(entry.get("author") or ""),
        image=_entry_image(entry),
        # dict.get: feedparser's own get() maps missing published_parsed to
        # updated_parsed with a DeprecationWarning; we ask for each explicitly.
        published=_time_struct(dict.get(entry, "published_parsed"))
        or _time_struct(dict.get(entry, "updated_parsed"))
        or _time_struct(dict.get(entry, "created_parsed")),
        declared_published=_time_struct(dict.get(entry, "published_parsed")),
        declared_updated=_time_struct(dict.get(entry, "updated_parsed")),
    )


def _ttl_seconds(channel: Mapping[str, Any]) -> int | None:
    ttl = str(channel.get("ttl", "")).strip()
    seconds: int | None = None
    if ttl.isdigit() and int(ttl) > 0:
        seconds = int(ttl) * 60
    period = str(channel.get("sy_updateperiod", "")).strip().lower()
    if period in _SY_PERIODS:
        frequency_text = str(channel.get("sy_updatefrequency", "1")).strip()
        frequency = int(frequency_text) if frequency_text.isdigit() else 1
        sy_seconds = _SY_PERIODS[period] // max(frequency, 1)
        seconds = max(seconds or 0, sy_seconds)
    if seconds is None:
        return None
    return min(seconds, TTL_MAX_SECONDS)


def _parse_xml_feed(
    data: bytes, *, url: str, fetched_at: datetime, head: bytes
) -> ParsedFeed:
    _refuse_unsafe_xml(data, url)
    result = feedparser.parse(
        io.BytesIO(data),
        # No base URL on purpose: feedparser would resolve guids as URLs, and a guid
        # must not change when the feed moves. Links are resolved in _build_entries.
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=True,
        resolve_relative_uris=False,
    )
    version = str(result.get("version") or "")
    if not version:
        if result.get("bozo"):
            problem = str(result.get("bozo_exception", "not well-formed"))[:200]
            raise MalformedFeed(
                f"{url} is not a readable feed ({problem}); tell the publisher their "
                "feed is broken",
                url=url,
            )
        root = re.search(rb"<([A-Za-z][\w:.-]*)", head)
        if root and root.group(1).lower().endswith(b"html"):
            raise _html_not_a_feed(data, url)  # XHTML with an XML declaration
        named = f" (its root element is <{root.group(1).decode()}>)" if root else ""
        raise NotAFeed(
            f"{url} is XML but not RSS or Atom{named}; use the address of the "
            "site's feed",
            url=url,
        )
    if result.get("bozo"):
        log.info("feed %s parsed leniently: %s", url, result.get("bozo_exception"))
    channel = result.get("feed", {})
    raws = [_raw_entry(entry) for entry in result.get("entries", [])]
    entries, skipped = _build_entries(raws, base=url, fetched_at=fetched_at)
    title = str(channel.get("title") or "")
    description = str(channel.get("subtitle") or "")
    hub_urls, self_url = _xml_links(channel, url)
    return ParsedFeed(
        format=_FORMATS.get(version, version),
        title=html_to_text(title, TITLE_MAX_CHARS)
        if _detail_is_html(channel, "title")
        else clean_text(title, TITLE_MAX_CHARS),
        site_url=absolute_http_url(url, str(channel.get("link") or "")) or "",
        description=html_to_text(description, DESCRIPTION_MAX_CHARS),
        entries=entries,
        ttl_seconds=_ttl_seconds(channel),
        skipped=skipped,
        hub_urls=hub_urls,
        self_url=self_url,
    )


def _html_not_a_feed(data: bytes, url: str) -> NotAFeed:
    alternates = discover_feed_links(data, url=url)
    if alternates:
        hint = f"it links to {len(alternates)} feed(s), first {alternates[0]}"
    else:
        hint = "it links to no feed; find the feed address on the site"
    return NotAFeed(
        f"{url} is an HTML page, not a feed; {hint}", url=url, alternates=alternates
    )


def _with_utf8_declaration(text: str) -> bytes:
    data = text.encode("utf-8")
    stripped = data.lstrip()
    if _XML_DECLARATION.match(stripped):
        # The bytes are UTF-8 now, whatever the declaration said.
        return _XML_DECLARATION.sub(
            b'<?xml version="1.0" encoding="utf-8"?>', stripped, count=1
        )
    return data


# --------------------------------------------------------------------- entry point


def parse_feed(
    content: bytes,
    *,
    url: str,
    content_type: str | None = None,
    fetched_at: datetime | None = None,
) -> ParsedFeed:
    """Parse fetched feed bytes into a :class:`ParsedFeed`.

    ``url`` is the URL the bytes came from (after redirects): relative links resolve
    against it. ``content_type`` is the response's Content-Type, charset included;
    ``fetched_at`` (default: now) replaces missing, bad or future entry dates.
    Entries that cannot be used are left out and listed in ``skipped``.

    Raises NotAFeed (an HTML page, with ``alternates`` discovered from it; other XML
    or JSON) or MalformedFeed (a broken feed, or XML with entity declarations).
    """
    fetched_at = (fetched_at or datetime.now(UTC)).astimezone(UTC)
    if not content.strip():
        raise MalformedFeed(f"{url} returned an empty document", url=url)
    text = decode_document(content, content_type)
    data = text.encode("utf-8")
    head = data.lstrip()[:4096]
    kind = _sniff(head, _media_type(content_type))
    if kind == "json":
        return _parse_json_feed(text, url=url, fetched_at=fetched_at)
    if kind == "html":
        raise _html_not_a_feed(data, url)
    return _parse_xml_feed(
        _with_utf8_declaration(text), url=url, fetched_at=fetched_at, head=head
    )
