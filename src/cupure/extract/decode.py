"""Turn the bytes of an HTML page into text without ever failing on bad encodings."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from cupure.net.decoding import DECODE_ERRORS, decoded_body

# Browsers only look for a <meta charset> in the first 1024 bytes (HTML spec,
# "prescan a byte stream"); we look a little further for sloppy pages.
META_PRESCAN_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)


# A saved page may be gzip-compressed (wget, archives, corpora); the command line reads
# the page inside, cut where a fetched page would be (net.fetch.FETCH_MAX_BYTES).
GZIP_MAGIC = b"\x1f\x8b"
PAGE_FILE_MAX_BYTES = 15 * 1024 * 1024


def read_page_file(path: Path, max_bytes: int = PAGE_FILE_MAX_BYTES) -> bytes:
    """A saved page's bytes, gunzipped when the file is gzip (at most ``max_bytes``
    of the page, inflated in bounded steps). ``OSError`` when the file cannot be
    read; ``ValueError`` saying so when it is a broken gzip file."""
    data = path.read_bytes()
    if not data.startswith(GZIP_MAGIC):
        return data
    page = bytearray()
    try:
        for piece in decoded_body(iter([data]), "gzip", str(path)):
            page += piece
            if len(page) >= max_bytes:
                break
    except DECODE_ERRORS as error:
        raise ValueError(f"a broken gzip file ({error})") from error
    return bytes(page[:max_bytes])


def _known_codec(label: str) -> str | None:
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # Pages that declare latin-1 are cp1252 in practice (the HTML spec maps them so).
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    return name


def decode_html(data: bytes) -> str:
    """Decode page bytes: BOM, else declared charset, else UTF-8, else windows-1252.

    Undecodable bytes become U+FFFD; this never raises.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    match = _META_CHARSET.search(data[:META_PRESCAN_BYTES])
    if match:
        declared = _known_codec(match.group(1).decode("ascii", errors="ignore"))
        # A page served as UTF-8 that claims utf-16 in its meta is still 8-bit.
        # Browsers keep the declared charset and show U+FFFD for stray bytes; a
        # guess would turn a UTF-8 page with one bad byte into mojibake throughout.
        if declared and not declared.startswith("utf-16"):
            return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Undeclared legacy pages are windows-1252 far more often than anything else
    # (it is the HTML spec's default for most locales); statistical guessers
    # mistook French windows-1252 text for Baltic cp1257 in our tests.
    return data.decode("cp1252", errors="replace")
