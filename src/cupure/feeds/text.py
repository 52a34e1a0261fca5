"""Plain text out of whatever a feed sends: cleaning, HTML stripping, truncation.

Everything a feed says ends up in PostgreSQL text columns and in our pages, so it is
stripped of characters PostgreSQL refuses (NUL, lone surrogates) and of control
characters that have no business in a title, and never kept as HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from cupure.text.mojibake import repair_mojibake

# C0 controls except tab/newline/return, DEL, C1 controls, surrogates (which cannot be
# encoded to UTF-8 and crash PostgreSQL) and the non-characters U+FFFE/U+FFFF.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
# HTML longer than this is cut before parsing: no summary needs more, and a 15 MB
# "summary" must not cost seconds of parsing.
HTML_INPUT_MAX_CHARS = 1_000_000
# Contents of these elements are never text a reader should see.
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2",
        "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article", "header",
        "footer", "figure", "figcaption", "dd", "dt", "hr",
    }
)  # fmt: skip


def strip_control(text: str) -> str:
    """``text`` without NUL, control characters, surrogates and non-characters."""
    return _UNWANTED.sub("", text)


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace (newlines included) become one space; ends are trimmed."""
    return _SPACE.sub(" ", text).strip()


def clean_text(text: str, max_chars: int) -> str:
    """One line of plain text: mojibake repaired (a feed may write it as character
    references, which only parsing turns into text: "It&#226;&#128;&#153;s"),
    controls stripped, whitespace collapsed, truncated."""
    return truncate(
        collapse_whitespace(strip_control(repair_mojibake(text))), max_chars
    )


def truncate(text: str, max_chars: int) -> str:
    """At most ``max_chars`` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


class _TextCollector(HTMLParser):
    """Collects text; iterative, so deeply nested markup cannot exhaust the stack."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str, max_chars: int) -> str:
    """The visible text of an HTML fragment as one cleaned line of plain text.
    Mojibake is repaired before control characters go: UTF-8 read as Latin-1
    holds C1 controls ("Itâ\x80\x99s"), and without them it cannot be undone."""
    collector = _TextCollector()
    collector.feed(strip_control(repair_mojibake(html[:HTML_INPUT_MAX_CHARS])))
    collector.close()
    return clean_text("".join(collector.parts), max_chars)
