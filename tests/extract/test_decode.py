"""Tests for cupure.extract.decode: page bytes to text, never failing."""

from __future__ import annotations

import codecs
import gzip
from collections.abc import Callable
from html.entities import codepoint2name
from pathlib import Path

import pytest

from cupure.extract import extract_article
from cupure.extract.decode import decode_html, read_page_file
from tests.mojibake import read_as as served

TEXT = "<html><body><p>Smörgåsbord – “quoted” café</p></body></html>"


def test_bom_wins_over_a_wrong_declaration() -> None:
    """A UTF-16 byte order mark decides the encoding, whatever the meta says."""
    page = "<meta charset=latin-1>" + TEXT
    assert decode_html(codecs.BOM_UTF16_LE + page.encode("utf-16-le")) == page


def test_utf16_bom() -> None:
    """UTF-16 pages with a BOM decode exactly."""
    assert decode_html(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")) == TEXT


def test_utf8_bom_is_dropped() -> None:
    """The UTF-8 BOM is not part of the text."""
    assert decode_html(codecs.BOM_UTF8 + TEXT.encode()) == TEXT


def test_declared_charset_is_used() -> None:
    """<meta charset="windows-1252"> decodes curly quotes and dashes (0x93, 0x96)."""
    page = '<meta charset="windows-1252">' + TEXT
    assert decode_html(page.encode("cp1252")) == page


def test_latin1_label_means_windows_1252() -> None:
    """Pages labelled iso-8859-1 are read as windows-1252, as browsers do."""
    page = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
    page += TEXT
    assert decode_html(page.encode("cp1252")) == page


def test_undeclared_utf8() -> None:
    """Without a declaration, valid UTF-8 is taken as UTF-8."""
    assert decode_html(TEXT.encode()) == TEXT


def test_unknown_label_falls_back_to_utf8() -> None:
    """An unknown charset label is ignored rather than raising LookupError."""
    page = '<meta charset="x-no-such-charset">' + TEXT
    assert decode_html(page.encode()) == page


def test_bad_bytes_become_replacement_characters() -> None:
    """Stray bytes in a declared UTF-8 page become U+FFFD; the rest survives."""
    data = b'<meta charset="utf-8"><p>ok \xff\xfe then more</p>'
    assert decode_html(data) == '<meta charset="utf-8"><p>ok \ufffd\ufffd then more</p>'


def test_undeclared_legacy_bytes_are_windows_1252() -> None:
    """Undeclared non-UTF-8 bytes are read as windows-1252."""
    text = "Le café était fermé à cause de la grève générale des employés. " * 5
    result = decode_html(("<p>" + text + "</p>").encode("cp1252"))
    assert "café était fermé" in result


def _named_references(text: str) -> str:
    return "".join(
        f"&{codepoint2name[ord(c)]};" if ord(c) in codepoint2name else c for c in text
    )


def _numeric_references(text: str) -> str:
    return "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in text)


@pytest.mark.parametrize(
    "written", [lambda text: text, _named_references, _numeric_references]
)
def test_utf8_the_publisher_read_as_cp1252_is_repaired_in_the_article(
    written: Callable[[str], str],
) -> None:
    """Some CMSs serve their UTF-8 decoded once as cp1252 ("Itâ€™s"), as
    characters or as character references ("It&acirc;&euro;&trade;s"): the
    article reads as the publisher wrote it (title, byline and paragraphs)."""

    def served_as(text: str) -> str:
        return written(served(text))

    body = "".join(
        f"<p>{served_as(text)}</p>"
        for text in (
            "The mayor’s “final offer” was rejected on Tuesday — again, said Zoë "
            "Brontë, who chairs the café owners’ association in the old town.",
            "Talks resume next week in Zürich; both sides say they want a deal "
            "before the summer season, when the harbour’s cafés are busiest.",
        )
    )
    page = (
        f"<html><head><meta charset='utf-8'><title>{served_as('It’s over')}</title>"
        f"</head><body><article><h1>{served_as('It’s over')}</h1>"
        f"<p class='byline'>By {served_as('Zoë Brontë')}</p>{body}</article>"
        "</body></html>"
    ).encode()
    article = extract_article(page, url="https://courier.example/news/over")
    assert article.title == "It’s over"
    assert article.paragraphs[0].startswith("The mayor’s “final offer” was")
    assert "Zürich" in article.paragraphs[1]
    assert "â" not in " ".join(article.paragraphs)


def test_a_gzip_saved_page_is_read_as_the_page_inside(tmp_path: Path) -> None:
    page = "<html><body><p>Ferry timetable changes on Monday.</p></body></html>"
    saved = tmp_path / "page.html.gz"
    saved.write_bytes(gzip.compress(page.encode()))
    plain = tmp_path / "page.html"
    plain.write_text(page)
    assert read_page_file(saved) == page.encode()
    assert read_page_file(plain) == page.encode()


def test_a_gzip_page_is_cut_at_the_page_size_limit(tmp_path: Path) -> None:
    """A small file that inflates to gigabytes is read only up to the limit."""
    saved = tmp_path / "bomb.html.gz"
    saved.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    assert len(read_page_file(saved, max_bytes=100_000)) == 100_000


def test_a_corrupt_gzip_file_says_so(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(b"<p>" + b"word " * 10_000))
    data[20:40] = b"\xff" * 20
    saved = tmp_path / "corrupt.html.gz"
    saved.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="broken gzip file"):
        read_page_file(saved)
