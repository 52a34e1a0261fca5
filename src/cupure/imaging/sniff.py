"""What an image file really is, read from its first bytes.

A publisher's file name and Content-Type say what it claims; the bytes say what
Pillow would parse. Only the four raster formats browsers show everywhere are
accepted. SVG (a document that can carry scripts) and HTML served as an image (an
error page, a login wall) are refused with a reason a person can act on.
"""

from __future__ import annotations

from cupure.imaging.errors import ImageRefused

# Formats we decode, by the Pillow format name their signature identifies.
JPEG = "JPEG"
PNG = "PNG"
GIF = "GIF"
WEBP = "WEBP"
ACCEPTED_FORMATS = (JPEG, PNG, GIF, WEBP)

# How much of the start of a file the markup checks look at: an XML declaration,
# a doctype and a comment fit well within it.
_MARKUP_WINDOW = 1024


def sniff_format(data: bytes) -> str:
    """The format of ``data`` (one of ACCEPTED_FORMATS) judged by its signature.

    Raises :class:`ImageRefused` saying what the bytes look like instead.
    """
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if not data:
        raise ImageRefused("empty", "the server sent an empty body, not an image")
    head = _markup_head(data)
    if b"<svg" in head:
        raise ImageRefused(
            "svg",
            "an SVG document (it can carry scripts); only JPEG, PNG, GIF and WebP "
            "images are shown",
        )
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        b"<html" in head
    ):
        raise ImageRefused(
            "html",
            "an HTML page served as an image (an error or login page?), not a picture",
        )
    raise ImageRefused(
        "unknown_format",
        f"not a JPEG, PNG, GIF or WebP image (starts with {data[:8].hex()})",
    )


def _markup_head(data: bytes) -> bytes:
    """The start of ``data`` lower-cased, without a byte-order mark or leading
    whitespace, for recognising markup."""
    head = data[:_MARKUP_WINDOW]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
    # UTF-16 markup: drop the NULs so "<svg" still reads as such.
    if b"\x00" in head[:8]:
        head = head.replace(b"\x00", b"")
    return head.lstrip().lower()
