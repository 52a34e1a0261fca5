"""cupure.feeds.text: plain text from feed strings."""

from __future__ import annotations

from cupure.feeds.text import clean_text, html_to_text, strip_control, truncate


def test_strip_control_keeps_text_and_newlines() -> None:
    assert strip_control("a\x00b\x1bc\td\ne\u0085f\ud800g\ufffe") == "abc\td\nefg"


def test_html_to_text_drops_tags_scripts_and_entities() -> None:
    html = "<p>Fish &amp; <b>chips</b></p><script>evil()</script><style>p{}</style>x"
    assert html_to_text(html, 100) == "Fish & chips x"


def test_html_to_text_separates_blocks() -> None:
    assert html_to_text("<p>one</p><p>two</p>line<br>break", 100) == (
        "one two line break"
    )


def test_unclosed_and_broken_markup_is_still_text() -> None:
    assert html_to_text("<div><p>open <b>bold <i>italic", 100) == "open bold italic"
    assert html_to_text("a < b and c > d", 100) == "a < b and c > d"


def test_truncate_cuts_at_a_word() -> None:
    assert truncate("alpha beta gamma", 12) == "alpha beta…"
    assert truncate("short", 12) == "short"
    assert len(truncate("x" * 50, 10)) == 10


def test_clean_text_collapses_whitespace() -> None:
    assert clean_text("  a \n\n b\t c  ", 100) == "a b c"
