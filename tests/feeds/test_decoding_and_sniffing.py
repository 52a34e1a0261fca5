"""Bytes to text and which parser reads them (mutation testing, issue #23): each
encoding rule in its order, with undecodable bytes, and the sniffing rules."""

from __future__ import annotations

import pytest

from cupure.feeds.parse import _sniff, decode_document

WIDE_ODD = "héllo".encode("utf-16-le") + b"\x00"  # a stray last byte


@pytest.mark.parametrize(
    ("content", "content_type", "text"),
    [
        # A BOM wins, and bad bytes after it are replaced, not fatal.
        (b"\xef\xbb\xbfcaf\xc3\xa9 \xff", None, "café \ufffd"),
        (b"\xff\xfe" + "hé".encode("utf-16-le") + b"\x00", None, "hé\ufffd"),
        # UTF-16/32 without a BOM: the declaration (HTTP charset) is trusted.
        ("héllo".encode("utf-16-le"), "text/xml; charset=utf-16-le", "héllo"),
        (WIDE_ODD, "text/xml; charset=UTF-16LE", "héllo\ufffd"),
        ("héllo".encode("utf-32-le"), "text/xml; charset=utf-32-le", "héllo"),
        ("héllo".encode("utf-16-be"), "text/xml; charset=utf-16-be", "héllo"),
        # Declared ASCII that is not: the XML declaration's encoding is tried next.
        (
            b'<?xml version="1.0" encoding="iso-8859-7"?><t>\xe1\xe2</t>',
            "text/xml; charset=us-ascii",
            '<?xml version="1.0" encoding="iso-8859-7"?><t>αβ</t>',
        ),
        (
            b'  <?xml version="1.0" encoding="iso-8859-7"?><t>\xe1</t>',
            None,
            '  <?xml version="1.0" encoding="iso-8859-7"?><t>α</t>',
        ),
        # Nothing fits: windows-1252, with its five undefined bytes replaced.
        (b"caf\xe9 \x81", None, "café \ufffd"),
    ],
)
def test_encoding_rules(content: bytes, content_type: str | None, text: str) -> None:
    assert decode_document(content, content_type) == text


@pytest.mark.parametrize(
    ("head", "media_type", "kind"),
    [
        (b"  [1, 2]", "", "json"),
        (b'{"version": 1}', "text/html", "json"),
        (b"version", "application/feed+json", "json"),
        (b"<rss version='2.0'>", "application/json", "xml"),
        # XHTML with a declaration goes to the XML reader, which names it HTML.
        (b"<?xml version='1.0'?><html>", "", "xml"),
        (b"<!doctype html><html>", "application/rss+xml", "html"),
        (b"\n <rss version='2.0'><channel>", "text/html", "xml"),
        (b"<whatever/>", "text/html", "html"),
        (b"<whatever/>", "", "xml"),
        (b"<whatever/>", "application/xml", "xml"),
    ],
)
def test_sniffing(head: bytes, media_type: str, kind: str) -> None:
    assert _sniff(head, media_type) == kind
