"""cupure.net.decoding: bounded decompression, the core of the bomb defence."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from cupure.net.decoding import DECODE_ERRORS, DECODE_STEP, decoded_body
from cupure.net.errors import ContentDecodingError

ZEROS = b"\0" * 5_000_000


def chunks(data: bytes, size: int = 65536) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
    ],
)
def test_every_piece_is_bounded(encoding: str, compress: object) -> None:
    """However well the data compresses, pieces stay near DECODE_STEP (brotli's
    buffer may overshoot by half) and together are exactly the original."""
    body = compress(ZEROS)  # type: ignore[operator]
    pieces = list(decoded_body(iter(chunks(body)), encoding, "http://x/"))
    assert max(len(piece) for piece in pieces) <= 2 * DECODE_STEP
    assert b"".join(pieces) == ZEROS


def test_concatenated_gzip_members_are_all_read() -> None:
    body = gzip.compress(b"first ") + gzip.compress(b"second")
    assert b"".join(decoded_body(iter([body]), "gzip", "http://x/")) == b"first second"


def test_stacked_encodings_are_undone_in_reverse() -> None:
    body = brotli.compress(gzip.compress(b"inner"))
    assert b"".join(decoded_body(iter([body]), "gzip, br", "http://x/")) == b"inner"


def test_identity_and_no_encoding_pass_through() -> None:
    assert list(decoded_body(iter([b"ab", b"c"]), "identity", "http://x/")) == [
        b"ab",
        b"c",
    ]
    assert list(decoded_body(iter([b"ab"]), "", "http://x/")) == [b"ab"]


def test_corrupt_data_raises_a_decode_error() -> None:
    with pytest.raises(DECODE_ERRORS):
        list(decoded_body(iter([b"not gzip at all"]), "gzip", "http://x/"))


def test_too_many_layers_are_refused() -> None:
    with pytest.raises(ContentDecodingError, match="3 times over"):
        decoded_body(iter([b""]), "gzip, gzip, gzip", "http://x/")


def test_gzip_members_split_across_chunks() -> None:
    body = gzip.compress(b"one ") + gzip.compress(b"two")
    split = len(gzip.compress(b"one "))
    parts = [body[:split], body[split:]]
    assert b"".join(decoded_body(iter(parts), "gzip", "http://x/")) == b"one two"


def test_trailing_junk_after_the_stream_is_ignored() -> None:
    body = gzip.compress(b"payload") + b"\0\0\0\0junk"
    assert b"".join(decoded_body(iter([body]), "gzip", "http://x/")) == b"payload"


def test_raw_deflate_is_accepted() -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    body = raw.compress(b"raw deflate") + raw.flush()
    assert b"".join(decoded_body(iter([body]), "deflate", "http://x/")) == (
        b"raw deflate"
    )


def test_x_gzip_is_gzip() -> None:
    body = gzip.compress(b"legacy name")
    assert b"".join(decoded_body(iter([body]), "X-Gzip", "http://x/")) == (
        b"legacy name"
    )


@pytest.mark.parametrize(
    "wrapper",
    [
        lambda data: zlib.compress(data),
        lambda data: (lambda c: c.compress(data) + c.flush())(
            zlib.compressobj(wbits=-zlib.MAX_WBITS)
        ),
    ],
)
def test_a_body_labelled_gzip_must_be_gzip(wrapper) -> None:
    """Only "deflate" is tried both ways; zlib or raw deflate data sent as gzip is
    corrupt, not guessed at."""
    with pytest.raises(zlib.error):
        list(decoded_body(iter([wrapper(b"hello " * 50)]), "gzip", "http://x/"))


def test_brotli_in_many_small_chunks_is_read_to_the_end() -> None:
    """A chunk that leaves the decoder wanting more input is not the end."""
    text = b" ".join(str(n * 7919 % 100_003).encode() for n in range(50_000))
    body = brotli.compress(text)
    chunks = [body[i : i + 100] for i in range(0, len(body), 100)]
    assert len(chunks) > 100
    assert b"".join(decoded_body(iter(chunks), "br", "http://x/")) == text


def test_refusals_name_the_url_and_the_reason() -> None:
    with pytest.raises(ContentDecodingError) as bomb:
        decoded_body(iter([b""]), "gzip, br, deflate", "http://x/feed")
    assert str(bomb.value) == (
        "http://x/feed is compressed 3 times over (gzip, br, deflate); refusing a "
        "likely decompression bomb"
    )
    assert bomb.value.url == "http://x/feed"
    with pytest.raises(ContentDecodingError) as unknown:
        decoded_body(iter([b""]), "zstd", "http://x/feed")
    assert str(unknown.value) == (
        "http://x/feed uses Content-Encoding 'zstd', which we do not accept"
    )
    assert unknown.value.url == "http://x/feed"
