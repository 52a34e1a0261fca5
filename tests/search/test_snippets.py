"""Snippets: everything escaped, then only our <mark> tags added."""

from __future__ import annotations

from cupure.search.snippets import (
    MARK_END,
    MARK_START,
    document_text,
    marked_to_html,
    marked_to_text,
)


def test_text_is_escaped_and_marks_become_tags() -> None:
    """Publisher markup comes out as text; the matched word is in <mark>."""
    marked = f'<script>alert("x")</script> the {MARK_START}bridge{MARK_END} & co'
    assert marked_to_html(marked) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; the "
        "<mark>bridge</mark> &amp; co"
    )
    assert marked_to_text(marked) == '<script>alert("x")</script> the bridge & co'


def test_unbalanced_markers_give_balanced_tags() -> None:
    """A stray end is dropped, a nested start ignored, an open mark closed."""
    marked = f"{MARK_END}a {MARK_START}{MARK_START}b{MARK_END}{MARK_END} {MARK_START}c"
    assert marked_to_html(marked) == "a <mark>b</mark> <mark>c</mark>"


def test_document_text_removes_markers_and_controls() -> None:
    """A publisher cannot forge a mark: markers and control characters go at index
    time; newlines become spaces."""
    text = f"one{MARK_START}two{MARK_END}\nthree\x00\x07\u200bfour\n\n  five"
    assert document_text(text) == "onetwo threefour five"


def test_document_text_of_plain_text_is_one_line_with_single_spaces() -> None:
    """The usual case (nothing to drop): line breaks, tabs and runs of spaces become
    one space, and the ends are trimmed."""
    text = "  Harbour  bridge\nreopens\r\tafter   repairs  "
    assert document_text(text) == "Harbour bridge reopens after repairs"


def test_document_text_keeps_every_letter_beside_a_control_character() -> None:
    """The slow path turns only whitespace controls into spaces: an X stays an X."""
    assert document_text("X-ray\x00 unit\tXX") == "X-ray unit XX"
