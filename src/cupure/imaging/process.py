"""Turn a publisher's image file into the renditions the site serves (no Django).

:func:`process_image` takes the bytes a fetch returned and either refuses them with
:class:`~cupure.imaging.errors.ImageRefused` (the reason is kept with the article) or
returns WebP renditions at a few widths:

* the type comes from the bytes (:mod:`cupure.imaging.sniff`), and Pillow is told to
  try only that format;
* the pixel count is read from the header and checked *before* decoding, so a small
  file that claims 50,000 × 50,000 pixels (a decompression bomb) costs nothing;
* a truncated or corrupt file is refused (Pillow's ``LOAD_TRUNCATED_IMAGES`` stays
  off), not half-drawn in grey;
* an animation keeps its first frame; CMYK, palette, grey+alpha and 16-bit images
  become 8-bit RGB(A); an embedded colour profile is applied (sRGB out);
* the EXIF orientation is applied to the pixels, then every piece of metadata (EXIF
  with its GPS position, XMP, ICC, comments) is left behind: only pixels are encoded;
* widths come from RENDITION_WIDTHS, never wider than the original (no upscaling),
  plus the original width when it is narrower than the widest rendition.

Every rendition's name is derived from the SHA-256 of the original bytes and the
width (``ab/cdef…-640.webp``): the same file used by many articles is stored once,
and a name never changes its content, so browsers may cache it for ever.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageFile, ImageOps

from cupure.imaging.errors import ImageRefused
from cupure.imaging.sniff import sniff_format

log = logging.getLogger(__name__)

# Widths served in srcset: a phone card (320-400 CSS px at 1-2x), a desktop card
# (400), the article column (720) at 1x/2x, and a large lead on a wide screen.
RENDITION_WIDTHS: tuple[int, ...] = (320, 400, 560, 720, 960, 1200, 1600)
# 40 megapixels: a full-frame camera's photo passes; decoding it takes ~120 MB of
# memory at most. More than that is a poster, a scan or a bomb.
MAX_PIXELS = 40_000_000
# WebP at 78 looks like the publisher's JPEG at 85 at about a third of the bytes.
WEBP_QUALITY = 78
WEBP_METHOD = 4
# The WebP format cannot hold a side longer than this.
MAX_WEBP_SIDE = 16383
RENDITION_EXTENSION = "webp"
RENDITION_MEDIA_TYPE = "image/webp"

# Orientations (EXIF 0x0112) that swap width and height.
_ORIENTATION_TAG = 0x0112
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


@dataclass(frozen=True)
class Rendition:
    """One encoded size of an image."""

    width: int
    height: int
    name: str
    data: bytes

    media_type = RENDITION_MEDIA_TYPE


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted image: what it was, its upright size, and its renditions
    (narrowest first)."""

    digest: str
    source_format: str
    width: int
    height: int
    animated: bool
    renditions: tuple[Rendition, ...]


def content_digest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex: an image's identity in storage."""
    return hashlib.sha256(data).hexdigest()


def rendition_name(digest: str, width: int) -> str:
    """The storage name of the ``width`` rendition of the image with ``digest``.

    Two levels of directories keep any one of them small on a file system.
    """
    return f"{digest[:2]}/{digest[2:32]}-{width}.{RENDITION_EXTENSION}"


def rendition_widths(
    width: int, height: int, widths: Sequence[int] = RENDITION_WIDTHS
) -> list[int]:
    """The widths to make for an image ``width`` × ``height`` pixels, ascending.

    Never wider than the image; its own width is added when it is narrower than
    the widest rendition, so every image gets at least one. Widths whose height
    would not fit in WebP are left out.
    """
    chosen = sorted({w for w in widths if w < width})
    if width <= max(widths):
        chosen.append(width)
    else:
        chosen.append(max(widths))
    chosen = sorted(set(chosen))
    return [w for w in chosen if _height_for(w, width, height) <= MAX_WEBP_SIDE]


def _height_for(target_width: int, width: int, height: int) -> int:
    return max(1, round(height * target_width / width))


def process_image(
    data: bytes,
    *,
    widths: Sequence[int] = RENDITION_WIDTHS,
    max_pixels: int = MAX_PIXELS,
    quality: int = WEBP_QUALITY,
) -> ProcessedImage:
    """Check ``data`` and make its WebP renditions; see the module docstring.

    Raises :class:`ImageRefused` with the reason when the bytes are not an image
    we serve.
    """
    source_format = sniff_format(data)
    digest = content_digest(data)
    image, animated = _open_checked(data, source_format, max_pixels)
    upright_w, upright_h = _upright_size(image)
    targets = rendition_widths(upright_w, upright_h, widths)
    if not targets:
        raise ImageRefused(
            "bad_shape",
            f"a {upright_w} × {upright_h} image is too narrow and tall to show",
        )
    _draft_for(image, targets[-1], upright_w, upright_h)
    pixels = _decode(image)
    renditions = []
    for resized in _downscales(pixels, targets, upright_w, upright_h):
        renditions.append(
            Rendition(
                width=resized.width,
                height=resized.height,
                name=rendition_name(digest, resized.width),
                data=encode_webp(resized, quality=quality),
            )
        )
    return ProcessedImage(
        digest=digest,
        source_format=source_format,
        width=upright_w,
        height=upright_h,
        animated=animated,
        renditions=tuple(sorted(renditions, key=lambda r: r.width)),
    )


def _downscales(
    pixels: Image.Image, targets: Sequence[int], upright_w: int, upright_h: int
) -> Iterator[Image.Image]:
    """``pixels`` at each target width, widest first, each made from the one before
    it rather than from the original: a 4000-pixel photo is read once for the
    widest rendition, not seven times (half the resizing time, bench/README.md
    "Images"; the result differs by under one level in 255 on average)."""
    current = pixels
    for width in sorted(targets, reverse=True):
        size = (width, _height_for(width, upright_w, upright_h))
        if current.size != size:
            current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        yield current


def encode_webp(image: Image.Image, *, quality: int = WEBP_QUALITY) -> bytes:
    """``image`` as WebP, pixels only: no EXIF, XMP or colour profile is written."""
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=WEBP_METHOD)
    return out.getvalue()


def _open_checked(
    data: bytes, source_format: str, max_pixels: int
) -> tuple[ImageFile.ImageFile, bool]:
    """Open ``data`` (header only) and refuse it if it has too many pixels."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Someone switched Pillow into drawing the missing part grey; we refuse.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    try:
        with warnings.catch_warnings():
            # Our own limit below is lower than the size Pillow warns at.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[source_format])
    except Image.DecompressionBombError as error:
        raise ImageRefused(
            "too_many_pixels", f"claims more pixels than we decode ({error})"
        ) from None
    except _DECODE_ERRORS as error:
        raise ImageRefused(
            "corrupt", f"a {source_format} file Pillow cannot read ({error})"
        ) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRefused("corrupt", f"a {source_format} file of {width}×{height}")
    if width * height > max_pixels:
        raise ImageRefused(
            "too_many_pixels",
            f"{width:,} × {height:,} pixels is more than the {max_pixels:,} we decode "
            "(a decompression bomb, or a poster-size scan)",
        )
    animated = bool(getattr(image, "is_animated", False))
    return image, animated


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(_ORIENTATION_TAG, 1))
    except _DECODE_ERRORS:
        return 1


def _upright_size(image: Image.Image) -> tuple[int, int]:
    width, height = image.size
    if _orientation(image) in _SWAPPING_ORIENTATIONS:
        return height, width
    return width, height


def _draft_for(
    image: ImageFile.ImageFile, target_width: int, upright_w: int, upright_h: int
) -> None:
    """Let a JPEG decode at a reduced scale (1/2, 1/4, 1/8) still at least as large
    as the widest rendition: a 6000-pixel photo then costs a quarter of the work."""
    if image.format != "JPEG":
        return
    target_height = _height_for(target_width, upright_w, upright_h)
    size = (target_width, target_height)
    if _orientation(image) in _SWAPPING_ORIENTATIONS:
        size = (target_height, target_width)
    image.draft(image.mode, size)


def _decode(image: ImageFile.ImageFile) -> Image.Image:
    """The first frame, upright, 8-bit RGB or RGBA, in sRGB, with no metadata."""
    try:
        image.load()
        upright = ImageOps.exif_transpose(image) or image
        pixels = _to_srgb(upright)
    except Image.DecompressionBombError as error:
        raise ImageRefused("too_many_pixels", str(error)) from None
    except _DECODE_ERRORS as error:
        if "truncated" in str(error):
            raise ImageRefused(
                "truncated", f"the {image.format} file is cut short ({error})"
            ) from None
        raise ImageRefused(
            "corrupt", f"the {image.format} file is damaged ({error})"
        ) from None
    pixels.info.clear()
    return pixels


def _to_srgb(image: Image.Image) -> Image.Image:
    """``image`` as 8-bit RGB, or RGBA when it has real transparency."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        converted = _apply_profile(image, icc)
        if converted is not None:
            image = converted
    if image.mode.startswith("I") or image.mode == "F":
        # 16-bit (or float) grey: scale to 8 bits instead of clipping at 255.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        "transparency" in image.info
    )
    image = image.convert("RGBA" if has_alpha else "RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _apply_profile(image: Image.Image, icc: bytes) -> Image.Image | None:
    """``image`` converted from its embedded profile to sRGB; None if the profile
    is unusable (the pixels are then taken as sRGB, which most are)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output
        )
    except (ImageCms.PyCMSError, *_DECODE_ERRORS) as error:
        log.debug("colour profile ignored: %s", error)
        return None
    return converted
