"""Publishers' robots signals on an article page, read at ingest (issue #18). Pure.

Read from ``<meta name="robots">``, ``<meta name="googlebot-news">`` and the
``X-Robots-Tag`` HTTP header (RFC-less but documented by the search engines that
defined them). A header or meta value addressed to another robot
(``X-Robots-Tag: otherbot: noindex``, ``<meta name="bingbot">``) is not ours;
``googlebot-news`` counts because news aggregation is what it governs, and where
it is stricter than ``robots`` it wins (everything is merged to the strictest).
Unknown directives are kept in ``found`` but change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from lxml import html as lxml_html

from cupure.rights.policy import IMAGE_PREVIEWS, Signals

# Meta names that speak to us, with how they are shown in ``found``.
META_NAMES = {"robots": "meta robots", "googlebot-news": "meta googlebot-news"}
# X-Robots-Tag user agents that speak to us ("" = every robot).
HEADER_AGENTS = {"", "googlebot-news", "cupure"}
# Only the head matters; a page is read this far at most.
HTML_MAX_CHARS = 512 * 1024
_AGENT_PREFIX = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:\s*(?!\s*\d)(.*)$")


def parse_directives(value: str, source: str) -> Signals:
    """One robots value (``"noarchive, max-snippet:50"``) as Signals."""
    noindex = noarchive = nosnippet = False
    max_snippet: int | None = None
    preview: str | None = None
    found = []
    for raw in value.split(","):
        directive = raw.strip().lower()
        if not directive:
            continue
        found.append(f"{source}: {directive}")
        name, _, argument = (part.strip() for part in directive.partition(":"))
        if name in ("noindex", "none"):
            noindex = True
        if name == "noarchive":
            noarchive = True
        elif name == "nosnippet":
            nosnippet = True
        elif name == "max-snippet":
            try:
                number = int(argument)
            except ValueError:
                continue
            if number >= 0:
                max_snippet = (
                    number if max_snippet is None else min(max_snippet, number)
                )
        elif name == "max-image-preview" and argument in IMAGE_PREVIEWS:
            preview = argument
    return Signals(
        noindex=noindex,
        noarchive=noarchive,
        nosnippet=nosnippet,
        max_snippet=max_snippet,
        max_image_preview=preview,
        found=tuple(found),
    )


def _meta_values(page: str | bytes) -> Iterable[tuple[str, str]]:
    """(meta name, content) of the page's robots metas, in document order."""
    text = page[:HTML_MAX_CHARS] if page else page
    if not text or not text.strip():
        return []
    try:
        document = lxml_html.document_fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    found = []
    for meta in document.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in META_NAMES:
            found.append((name, meta.get("content") or ""))
    return found


# Directive names that take a value after a colon: "max-snippet: 5" is not a robot.
VALUE_DIRECTIVES = {
    "max-snippet",
    "max-image-preview",
    "max-video-preview",
    "unavailable_after",
}


def _header_values(headers: Mapping[str, str] | None) -> Iterable[tuple[str, str]]:
    """(user agent or "", directive) of every X-Robots-Tag directive.

    Repeated headers reach us joined by commas (cupure.net.fetch), so the value is
    read token by token: ``otherbot: noindex, nofollow`` gives both directives to
    ``otherbot``, until a token names another robot.
    """
    if not headers:
        return []
    value = next((v for k, v in headers.items() if k.lower() == "x-robots-tag"), "")
    found = []
    agent = ""
    for token in value.split(","):
        match = _AGENT_PREFIX.match(token)
        if match and match.group(1).lower() not in VALUE_DIRECTIVES:
            agent, token = match.group(1).lower(), match.group(2)
        if token.strip():
            found.append((agent, token.strip()))
    return found


def page_signals(
    page: str | bytes, headers: Mapping[str, str] | None = None
) -> Signals:
    """Every robots signal of an article page and its response, strictest merged."""
    signals = Signals()
    for name, content in _meta_values(page):
        signals = signals.stricter(parse_directives(content, META_NAMES[name]))
    for agent, value in _header_values(headers):
        if agent in HEADER_AGENTS:
            source = f"X-Robots-Tag ({agent})" if agent else "X-Robots-Tag"
            signals = signals.stricter(parse_directives(value, source))
    return signals
