"""Small plain-text helpers shared by the extractor's modules."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urljoin, urlsplit

import lxml.html

_SPACES = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """Collapse runs of whitespace (including NBSP) to one space and strip the ends."""
    if not value:
        return ""
    return _SPACES.sub(" ", value.replace("\u00a0", " ")).strip()


def plain_text(value: str | None) -> str:
    """Return ``value`` as clean plain text, dropping any markup it carries.

    Metadata such as ``og:title`` sometimes holds escaped HTML (``&lt;b&gt;``), which
    the parser has already turned into ``<b>``; we never pass markup on.
    """
    text = clean_text(value)
    if "&" in text and ";" in text:
        # Doubly escaped entities ("SQL &#x26; AI") survive one round of parsing.
        text = clean_text(html.unescape(text))
    if "<" in text and ">" in text:
        try:
            text = clean_text(
                lxml.html.fragment_fromstring(text, create_parent="div").text_content()
            )
        except (ValueError, lxml.etree.ParserError):
            text = clean_text(re.sub(r"<[^>]*>", " ", text))
    return text


def comparable(value: str) -> str:
    """Fold case, accents' composed forms, quotes and punctuation for comparisons."""
    text = unicodedata.normalize("NFKC", value).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def join_url(base: str | None, link: str) -> str:
    """``link`` resolved against ``base``, or "" when either is no URL a parser can
    read: an unclosed "[" in a host ("http://[::1"), a script's stray
    "http://[object Object]/" (urljoin raises ValueError on both)."""
    try:
        joined = urljoin(base or "", link)
        urlsplit(joined)  # without a base, urljoin returns ``link`` unread
    except ValueError:
        return ""
    return joined


def url_part(url: str | None, part: str) -> str:
    """One part of ``url`` ("path", "hostname"), "" when it cannot be read (see
    :func:`join_url`)."""
    try:
        return getattr(urlsplit(url or ""), part) or ""
    except ValueError:
        return ""


def readable_url(url: str) -> bool:
    """Whether a parser can read ``url`` at all (see :func:`join_url`)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True
