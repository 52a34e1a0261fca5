"""Highlighted snippets built safely (no Django).

The database marks matches with two private-use characters instead of HTML, because
the text around them came from publishers and must be escaped: we escape everything
first, then turn the markers into ``<mark>`` tags. The markers are stripped from every
text before it is indexed (``document_text``), so a publisher cannot forge one.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Private-use code points: no publisher text legitimately contains them, and
# document_text removes them before indexing anyway.
MARK_START = "\ue000"
MARK_END = "\ue001"
# Between two fragments of one snippet.
ELLIPSIS = "…"

_SPACES = re.compile(r" {2,}")
# Splits marked text into markers and the runs of text between them.
_MARKERS = re.compile(f"([{MARK_START}{MARK_END}])")
_OPEN_TAG = "<mark>"
_CLOSE_TAG = "</mark>"


_WHITESPACE_TO_SPACE = {9: 32, 10: 32, 13: 32}


def document_text(text: str) -> str:
    """Text as it goes into the index: markers and control characters out.

    Newlines and tabs become spaces and runs of spaces one (the snippets are one
    line); other control, format and private-use characters are dropped.
    """
    flat = text.translate(_WHITESPACE_TO_SPACE)
    if flat.isprintable():
        # No control, format or private-use character left (the usual case): the
        # character loop below would change nothing. Six times faster on bodies.
        return _SPACES.sub(" ", flat).strip()
    out = []
    for ch in text:
        if ch in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(ch)[0] != "C":
            out.append(ch)
    # Paragraph breaks would leave runs of spaces in a one-line snippet.
    return _SPACES.sub(" ", "".join(out)).strip()


def marked_to_html(marked: str) -> str:
    """Escape ``marked`` text, then turn its markers into balanced ``<mark>`` tags.

    A stray end marker is dropped and an open mark is closed at the end, so the
    result is always well formed.
    """
    out: list[str] = []
    is_open = False
    for part in _MARKERS.split(marked):
        if part == MARK_START:
            if not is_open:
                out.append(_OPEN_TAG)
                is_open = True
        elif part == MARK_END:
            if is_open:
                out.append(_CLOSE_TAG)
                is_open = False
        elif part:
            # A run of text between markers, escaped at once (not per character).
            out.append(html.escape(part, quote=True))
    if is_open:
        out.append(_CLOSE_TAG)
    return "".join(out)


def marked_to_text(marked: str) -> str:
    """The same snippet as plain text (for the command line and JSON)."""
    return marked.replace(MARK_START, "").replace(MARK_END, "")
