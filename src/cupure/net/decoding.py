"""Response bodies decompressed in bounded steps (gzip, deflate, brotli).

Each decoder yields about DECODE_STEP bytes at a time (at most twice that), so the
caller's size check runs before a decompression bomb can grow in memory: httpx's own
decoders inflate a whole network chunk at once, and 64 KB of brotli can hold
gigabytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

from cupure.net.errors import ContentDecodingError

# Raised by the decoders on corrupt data (the caller reports ContentDecodingError).
DECODE_ERRORS = (zlib.error, brotli.error)
# Decompressed in pieces of this size so the size check runs before memory grows.
DECODE_STEP = 64 * 1024
# Stacked encodings ("gzip, gzip") are legal; more than this is an attack, not a server.
MAX_ENCODING_LAYERS = 2


def _zlib_pieces(chunks: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """Inflate gzip or deflate, yielding at most DECODE_STEP bytes at a time.

    Concatenated gzip members are all read (valid gzip); bytes after the end of the
    compressed stream that do not start a new member are ignored, as browsers do.
    "deflate" is tried zlib-wrapped first, then raw: servers send both.
    """
    is_gzip = encoding == "gzip"
    wbits = 16 + zlib.MAX_WBITS if is_gzip else zlib.MAX_WBITS
    decoder = zlib.decompressobj(wbits)
    started = False
    finished = False
    for chunk in chunks:
        data = chunk
        while data and not finished:
            try:
                out = decoder.decompress(data, DECODE_STEP)
            except zlib.error:
                if not is_gzip and not started and wbits > 0:
                    wbits = -zlib.MAX_WBITS
                    decoder = zlib.decompressobj(wbits)
                    continue
                raise
            started = True
            if out:
                yield out
            if not decoder.eof:
                data = decoder.unconsumed_tail
                continue
            rest = decoder.unused_data
            if not rest:
                # The stream ended with this chunk; the next one (if any) lands in
                # unused_data of this finished decoder and is judged then.
                break
            if is_gzip and rest[:2] == b"\x1f\x8b":
                decoder = zlib.decompressobj(wbits)
                data = rest
            else:
                finished = True
    if not finished and not decoder.eof:
        tail = decoder.flush()
        if tail:
            yield tail


def _brotli_pieces(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Brotli in bounded pieces; the library may return up to ~1.5 x the limit."""
    decoder = brotli.Decompressor()
    for chunk in chunks:
        out = decoder.process(chunk, output_buffer_limit=DECODE_STEP)
        # Drain what this chunk holds: output may still be pending after the decoder
        # says it could take more input, so stop only when it gives nothing more.
        while True:
            if out:
                yield out
            if decoder.is_finished():
                break
            out = decoder.process(b"", output_buffer_limit=DECODE_STEP)
            if not out and decoder.can_accept_more_data():
                break


def decoded_body(
    raw: Iterator[bytes], content_encoding: str, url: str
) -> Iterator[bytes]:
    """``raw`` network chunks undone of ``content_encoding``, in bounded pieces.

    Raises ContentDecodingError for an unknown encoding or more than
    MAX_ENCODING_LAYERS layers; corrupt data raises one of DECODE_ERRORS while
    iterating.
    """
    encodings = [
        e.strip().lower()
        for e in content_encoding.split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if len(encodings) > MAX_ENCODING_LAYERS:
        raise ContentDecodingError(
            f"{url} is compressed {len(encodings)} times over ({content_encoding}); "
            "refusing a likely decompression bomb",
            url=url,
        )
    stream: Iterator[bytes] = raw
    # Encodings are listed in the order applied, so undo them from the last.
    for encoding in reversed(encodings):
        if encoding in ("gzip", "x-gzip"):
            stream = _zlib_pieces(stream, "gzip")
        elif encoding == "deflate":
            stream = _zlib_pieces(stream, "deflate")
        elif encoding == "br":
            stream = _brotli_pieces(stream)
        else:
            raise ContentDecodingError(
                f"{url} uses Content-Encoding {encoding!r}, which we do not accept",
                url=url,
            )
    return stream
