"""The pure image pipeline: sniffing, refusals, modes, orientation, metadata,
renditions."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from cupure.imaging import (
    ImageRefused,
    process_image,
    rendition_name,
    rendition_widths,
    sniff_format,
)
from tests.imaging import samples


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def left_and_right(image: Image.Image) -> tuple[tuple, tuple]:
    """The colours in the middle of the left and right edges."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    return rgb.getpixel((2, h // 2)), rgb.getpixel((w - 3, h // 2))


def is_red(pixel: tuple) -> bool:
    return pixel[0] > 150 and pixel[2] < 100


def is_blue(pixel: tuple) -> bool:
    return pixel[2] > 150 and pixel[0] < 100


# ----------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.photo(fmt="JPEG"), "JPEG"),
        (samples.photo(fmt="PNG"), "PNG"),
        (samples.animated_gif(), "GIF"),
        (samples.photo(fmt="WEBP"), "WEBP"),
    ],
)
def test_the_type_comes_from_the_bytes(data: bytes, expected: str) -> None:
    assert sniff_format(data) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (samples.SVG_WITH_SCRIPT, "svg"),
        (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
        ("<svg/>".encode("utf-16"), "svg"),
        (samples.HTML_PAGE, "html"),
        (b"\n\n<html><body>404</body></html>", "html"),
        (b"", "empty"),
        (b"BM\x00\x00 a bitmap", "unknown_format"),
        (b"%PDF-1.7", "unknown_format"),
    ],
)
def test_what_is_not_a_served_raster_is_refused_with_a_reason(
    data: bytes, code: str
) -> None:
    with pytest.raises(ImageRefused) as refused:
        process_image(data)
    assert refused.value.code == code
    assert refused.value.message


# ----------------------------------------------------------------- hostile files


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = samples.png_bomb()
    assert len(bomb) < 2_000_000  # small on the wire...
    with pytest.raises(ImageRefused) as refused:
        process_image(bomb)  # ...and never inflated to 2.5 gigapixels
    assert refused.value.code == "too_many_pixels"
    assert "pixels" in refused.value.message


def test_the_pixel_limit_is_ours_and_below_pillows() -> None:
    data = samples.photo(2000, 1000, fmt="PNG")
    with pytest.raises(ImageRefused, match="more than the 1,000,000"):
        process_image(data, max_pixels=1_000_000)
    assert process_image(data, max_pixels=2_000_000).width == 2000


def test_a_truncated_jpeg_is_refused_not_drawn_grey() -> None:
    with pytest.raises(ImageRefused) as refused:
        process_image(samples.truncated_jpeg())
    assert refused.value.code == "truncated"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_corrupt_png_is_refused() -> None:
    data = bytearray(samples.photo(64, 64, fmt="PNG"))
    data[40:60] = b"\x00" * 20
    with pytest.raises(ImageRefused) as refused:
        process_image(bytes(data))
    assert refused.value.code in {"corrupt", "truncated"}


def test_a_jpeg_header_on_html_is_refused() -> None:
    with pytest.raises(ImageRefused):
        process_image(b"\xff\xd8\xff" + samples.HTML_PAGE)


# -------------------------------------------------------------------- renditions


def test_renditions_are_webp_at_the_widths_never_upscaled() -> None:
    result = process_image(samples.photo(1200, 675))
    assert [r.width for r in result.renditions] == [320, 400, 560, 720, 960, 1200]
    for rendition in result.renditions:
        image = decoded(rendition.data)
        assert image.format == "WEBP"
        assert image.size == (rendition.width, rendition.height)
        assert rendition.height == round(675 * rendition.width / 1200)
    assert (result.width, result.height) == (1200, 675)


def test_a_small_image_keeps_its_own_width_only() -> None:
    result = process_image(samples.photo(250, 100, fmt="PNG"))
    assert [(r.width, r.height) for r in result.renditions] == [(250, 100)]


def test_a_huge_photo_stops_at_the_widest_rendition() -> None:
    result = process_image(samples.photo(4000, 3000))
    assert result.renditions[-1].width == 1600
    assert decoded(result.renditions[-1].data).size == (1600, 1200)


def test_rendition_widths() -> None:
    assert rendition_widths(500, 300) == [320, 400, 500]
    assert rendition_widths(320, 10) == [320]
    assert rendition_widths(2000, 1000)[-1] == 1600
    # Too tall for WebP at every width: nothing to make.
    assert rendition_widths(100, 100_000) == []


def test_names_are_content_hashes() -> None:
    data = samples.photo()
    first = process_image(data)
    again = process_image(data)
    other = process_image(samples.photo(color=(210, 70, 40)))
    assert [r.name for r in first.renditions] == [r.name for r in again.renditions]
    assert first.digest != other.digest
    assert first.renditions[0].name == rendition_name(first.digest, 320)
    assert first.renditions[0].name.endswith("-320.webp")
    assert first.renditions[0].name.startswith(first.digest[:2] + "/")


# ------------------------------------------------------------ modes and metadata


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    # Stored landscape 800×400, red left; orientation 6 = rotate 90° clockwise to
    # show: upright it is 400×800 with red on top.
    result = process_image(samples.photo(800, 400, orientation=6))
    assert (result.width, result.height) == (400, 800)
    image = decoded(result.renditions[-1].data)
    assert image.size == (400, 800)
    top = image.convert("RGB").getpixel((200, 5))
    bottom = image.convert("RGB").getpixel((200, 795))
    assert is_red(top)
    assert is_blue(bottom)


def test_a_mirrored_orientation_is_applied() -> None:
    result = process_image(samples.photo(400, 200, orientation=2))
    left, right = left_and_right(decoded(result.renditions[-1].data))
    assert is_blue(left)
    assert is_red(right)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_all_metadata_is_stripped(fmt: str) -> None:
    source = samples.photo(640, 360, fmt=fmt, gps=True, orientation=1)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(samples.GPS_IFD)
    for rendition in process_image(source).renditions:
        image = decoded(rendition.data)
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)
        assert b"Test camera" not in rendition.data
        assert b"Exif" not in rendition.data


def test_a_colour_profile_is_applied_then_dropped() -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = samples.photo(400, 200, icc_profile=srgb)
    result = process_image(source)
    image = decoded(result.renditions[-1].data)
    assert "icc_profile" not in image.info
    left, _ = left_and_right(image)
    assert is_red(left)


def test_cmyk_jpeg_becomes_rgb_with_its_colours() -> None:
    result = process_image(samples.photo(400, 200, mode="CMYK"))
    image = decoded(result.renditions[-1].data)
    assert image.mode == "RGB"
    left, right = left_and_right(image)
    assert is_red(left)
    assert is_blue(right)


def test_an_animation_keeps_its_first_frame() -> None:
    result = process_image(samples.animated_gif())
    assert result.animated
    image = decoded(result.renditions[-1].data)
    assert not getattr(image, "is_animated", False)
    r, g, _ = image.convert("RGB").getpixel((10, 10))
    assert g > 150 and r < 80


def test_an_animated_webp_keeps_its_first_frame() -> None:
    frames = [Image.new("RGB", (300, 200), c) for c in [(20, 180, 40), (220, 20, 20)]]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], lossless=True)
    result = process_image(out.getvalue())
    assert result.animated
    r, g, _ = decoded(result.renditions[-1].data).convert("RGB").getpixel((5, 5))
    assert g > 150 and r < 80


def test_transparency_is_kept_and_opaque_alpha_dropped() -> None:
    clear = Image.new("LA", (200, 100), (128, 0))
    assert decoded(process_image(samples.png(clear)).renditions[0].data).mode == "RGBA"
    opaque = Image.new("RGBA", (200, 100), (10, 20, 30, 255))
    assert decoded(process_image(samples.png(opaque)).renditions[0].data).mode == "RGB"


def test_a_palette_png_with_transparency_keeps_it() -> None:
    image = Image.new("P", (200, 100), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    out = io.BytesIO()
    image.save(out, "PNG", transparency=0)
    rendition = decoded(process_image(out.getvalue()).renditions[0].data)
    assert rendition.mode == "RGBA"
    assert rendition.getpixel((5, 5))[3] == 0


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    image = Image.new("I;16", (200, 100), 32768)  # half grey in 16 bits
    rendition = decoded(process_image(samples.png(image)).renditions[0].data)
    value = rendition.convert("L").getpixel((5, 5))
    assert 120 <= value <= 136
