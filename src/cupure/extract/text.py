"""Small plain-text helpers shared by the extractor's modules."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import SplitResult, urljoin, urlsplit

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


def _split(url: str) -> SplitResult | None:
    """``url`` split into its parts, or None when no parser can read it: an
    unclosed "[" in a host ("http://[::1"), a script's stray
    "http://[object Object]/" (urlsplit raises ValueError on both)."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def join_url(base: str | None, link: str) -> str:
    """``link`` resolved against ``base``, or "" when either cannot be read."""
    if _split(base or "") is None or _split(link) is None:
        return ""
    return urljoin(base or "", link)


def url_part(url: str | None, part: str) -> str:
    """One part of ``url`` ("path", "hostname"), "" when it cannot be read."""
    parts = _split(url or "")
    return (getattr(parts, part) or "") if parts is not None else ""


def readable_url(url: str) -> bool:
    """Whether a parser can read ``url`` at all."""
    return _split(url) is not None
