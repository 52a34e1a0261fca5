"""Publishers' images made safe to serve from our own site (no Django).

``process_image(data)`` sniffs the type from the bytes, refuses what is not a JPEG,
PNG, GIF or WebP picture (SVG, HTML, bombs, truncated files) with an
:class:`ImageRefused` reason, and returns WebP renditions without metadata, named by
content hash. Fetching is the caller's (``cupure.net.fetch``), storing is
``cupure.images``'.
"""

from cupure.imaging.errors import ImageRefused
from cupure.imaging.process import (
    MAX_PIXELS,
    RENDITION_MEDIA_TYPE,
    RENDITION_WIDTHS,
    ProcessedImage,
    Rendition,
    content_digest,
    process_image,
    rendition_name,
    rendition_widths,
)
from cupure.imaging.sniff import ACCEPTED_FORMATS, sniff_format

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_PIXELS",
    "RENDITION_MEDIA_TYPE",
    "RENDITION_WIDTHS",
    "ImageRefused",
    "ProcessedImage",
    "Rendition",
    "content_digest",
    "process_image",
    "rendition_name",
    "rendition_widths",
    "sniff_format",
]
