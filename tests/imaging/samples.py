"""Image files for the tests, made with Pillow (and by hand where Pillow would
refuse to write something that hostile): nothing is shipped or downloaded."""

from __future__ import annotations

import functools
import io
import os
import struct
import zlib

from PIL import Image, ImageDraw

# EXIF tags written into test photos.
ORIENTATION = 0x0112
GPS_IFD = 0x8825
MAKE = 0x010F


def photo(
    width: int = 1200,
    height: int = 675,
    *,
    fmt: str = "JPEG",
    mode: str = "RGB",
    orientation: int | None = None,
    gps: bool = False,
    color: tuple[int, int, int] = (200, 60, 40),
    **save: object,
) -> bytes:
    """A picture with a red left half and a blue right half (so that rotations and
    flips can be told apart), optionally with an EXIF orientation and a GPS
    position."""
    image = Image.new("RGB", (width, height), (30, 60, 200))
    ImageDraw.Draw(image).rectangle((0, 0, width // 2 - 1, height - 1), fill=color)
    if mode != "RGB":
        image = image.convert(mode)
    exif = Image.Exif()
    exif[MAKE] = "Test camera"
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        # Latitude 48°51'N, longitude 2°21'E: where a photographer lives.
        exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 0.0), 3: "E", 4: (2.0, 21.0, 0.0)}
    out = io.BytesIO()
    options: dict[str, object] = {"exif": exif.tobytes(), **save}
    if fmt == "JPEG":
        options.setdefault("quality", 90)
    image.save(out, fmt, **options)
    return out.getvalue()


def animated_gif(frames: int = 3, size: tuple[int, int] = (320, 180)) -> bytes:
    """A GIF whose first frame is green and later frames red."""
    images = [Image.new("RGB", size, (20, 180, 40))] + [
        Image.new("RGB", size, (220, 20, 20)) for _ in range(frames - 1)
    ]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


@functools.cache
def png_bomb(side: int = 50_000) -> bytes:
    """A real ``side`` × ``side`` 1-bit PNG of zeros: a few hundred kilobytes that
    decode to ``side``² pixels (2.5 gigapixels, ~7.5 GB as RGB, by default)."""
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(1)
    parts = [compressor.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(compressor.compress(row * (side % 1000)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">'
    b'<script>fetch("/accounts/email/", {method: "POST"})</script>'
    b'<rect width="400" height="200" fill="red"/></svg>'
)

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Access denied</title></head>"
    b"<body><h1>Hot-linking is not allowed</h1></body></html>"
)


def truncated_jpeg() -> bytes:
    """A JPEG cut off in the middle of its scan data."""
    whole = noise_jpeg(800, 600, quality=90)
    return whole[: len(whole) // 2]


def noise_jpeg(width: int, height: int, *, quality: int = 100) -> bytes:
    """A JPEG of random pixels: noise does not compress, so the file is large."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


@functools.cache
def forty_megabyte_photo() -> bytes:
    """A real JPEG of at least 40 MB (random pixels at quality 100)."""
    data = noise_jpeg(5000, 4200)
    assert len(data) >= 40_000_000, len(data)
    return data
