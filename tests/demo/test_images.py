"""Generated illustrations: deterministic per id, JPEG, only the allowed sizes."""

import io

import pytest
from PIL import Image, ImageChops

from cupure.demo.images import (
    COMPOSITIONS,
    INLINE_SIZE,
    LEAD_SIZE,
    ImageCache,
    draw_image,
)


@pytest.mark.parametrize("style", sorted(COMPOSITIONS))
def test_each_composition_is_deterministic_and_not_blank(style):
    first = draw_image(f"{style}-sample")
    again = draw_image(f"{style}-sample")
    assert ImageChops.difference(first, again).getbbox() is None
    # Not a flat fill: a real picture has many colours.
    assert len(first.getcolors(maxcolors=1_000_000)) > 50


def test_different_ids_of_one_style_give_different_pictures():
    left, right = draw_image("harbour-one"), draw_image("harbour-two")
    assert ImageChops.difference(left, right).getbbox() is not None


@pytest.mark.parametrize("size", [LEAD_SIZE, INLINE_SIZE, (600, 338), (400, 225)])
def test_jpeg_has_the_requested_size_and_is_cached(size):
    cache = ImageCache()
    data = cache.jpeg("skyline-test", size)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == size
    assert cache.jpeg("skyline-test", size) is data


def test_unlisted_size_is_refused():
    with pytest.raises(ValueError, match="is not one of"):
        ImageCache().jpeg("skyline-test", (4000, 4000))
