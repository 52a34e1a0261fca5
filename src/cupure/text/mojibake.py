"""Repair text that was UTF-8 read as windows-1252 or latin-1 ("Itâ€™s", "cafÃ©").

Some publishers' systems decode their own UTF-8 with the wrong charset once (or twice)
before serving it, so the page is valid UTF-8 that says "Doctorsâ€™ Day". Of the 1,497
WCXB dev pages, 46 carry such text. ftfy undoes it conservatively; it is slow on a
whole page (tens of milliseconds), so a cheap test runs first and ftfy only on pages
that look damaged. A few pages write the damage as character references
("we&acirc;&euro;&trade;ve"), which only parsing turns into text: those are
repaired text node by text node after parsing (:func:`repair_tree_mojibake`).
"""

from __future__ import annotations

import re
from typing import Any

import ftfy

# A lead byte of a 2-4 byte UTF-8 sequence (Â-ô) read as latin-1/cp1252, followed by a
# continuation byte (0x80-0xBF) read the same way: either a C1 control (latin-1) or
# the cp1252 character in its place ("€", "™", "“"…). Real text almost never pairs
# them ("Křížek", "fiancé—" and "NESCAFÉ®" do not match: é is not followed by one).
_CONTINUATION = (
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
    "\u20ac\u2122]"
)
_SUSPECT = re.compile(f"[\u00c2-\u00f4]{_CONTINUATION}")
# Only the encoding repair: quotes, ligatures, widths, entities and line breaks are
# the publisher's to choose.
_REPAIR_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


# The same damage written as character references ("we&acirc;&euro;&trade;ve",
# "caf&Atilde;&copy;"): the lead byte's reference, then a continuation's (a
# reference or the character itself). Such a page is repaired after parsing.
_LEAD_REFERENCE = (
    r"&(?:[AaEeIiOoUu](?:circ|tilde|grave|acute|uml|ring)|AElig|aelig|Ccedil|ccedil"
    r"|ETH|eth|Ntilde|ntilde|times|divide|Oslash|oslash|Yacute|yacute|THORN|thorn"
    r"|szlig|#(?:19[4-9]|2[0-4][0-9])|#[xX][c-fC-F][0-9a-fA-F]);"
)
_ESCAPED_SUSPECT = re.compile(f"{_LEAD_REFERENCE}(?:&[#\\w]+;|{_CONTINUATION})")


def escaped_mojibake(html: str) -> bool:
    """Whether ``html`` writes mojibake as character references."""
    return _ESCAPED_SUSPECT.search(html) is not None


def repair_tree_mojibake(root: Any) -> None:
    """Repair the text and tails of every element under ``root`` (an lxml tree)."""
    for element in root.iter():
        if element.text:
            element.text = repair_mojibake(element.text)
        if element.tail:
            element.tail = repair_mojibake(element.tail)


def repair_mojibake(text: str) -> str:
    """``text`` with UTF-8-read-as-cp1252 damage undone; anything else unchanged."""
    if not _SUSPECT.search(text):
        return text
    return ftfy.fix_text(text, _REPAIR_ONLY)
