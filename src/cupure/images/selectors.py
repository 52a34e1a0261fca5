"""Reads for images, shaped for the pages: what an ``<img>`` needs, or None.

Only stored images are ever shown: a page never points a reader's browser at a
publisher (a pending or skipped image is simply not there).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver

from .models import ArticleImage, StoredImage

# The rendition the plain ``src`` names, for browsers without srcset (and feeds):
# the widest up to this.
DEFAULT_SRC_WIDTH = 720
# Feeds and social cards link the largest rendition up to this width.
SHARE_WIDTH = 1200


@dataclass(frozen=True)
class Picture:
    """An image as a page shows it: src, srcset and the real size."""

    src: str
    srcset: str
    width: int
    height: int
    # The largest rendition up to SHARE_WIDTH (feeds, og:image) and its byte size.
    share_url: str
    share_bytes: int


@functools.cache
def media_base() -> str:
    """The URL the storage gives rendition names under (``/media/`` or a bucket's
    address), computed once: rendition names are plain, so joining is enough."""
    probe = default_storage.url("probe")
    return probe[: -len("probe")]


@functools.cache
def media_origin() -> str:
    """The origin serving renditions when it is not this site (``""`` when it is):
    the Content-Security-Policy lets images come from there too."""
    parts = urlsplit(media_base())
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


@receiver(setting_changed)
def _storage_changed(setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "MEDIA_URL", "MEDIA_ROOT"}:
        media_base.cache_clear()
        media_origin.cache_clear()


def picture(image: StoredImage | None) -> Picture | None:
    """What pages need to show ``image`` (None: show nothing)."""
    if image is None or not image.renditions:
        return None
    base = media_base()
    renditions = image.renditions
    shown = _widest_up_to(renditions, DEFAULT_SRC_WIDTH)
    share = _widest_up_to(renditions, SHARE_WIDTH)
    return Picture(
        src=base + shown["name"],
        srcset=", ".join(f"{base}{r['name']} {r['width']}w" for r in renditions),
        width=image.width,
        height=image.height,
        share_url=base + share["name"],
        share_bytes=int(share.get("bytes", 0)),
    )


def _widest_up_to(renditions: list[dict], width: int) -> dict:
    fitting = [r for r in renditions if r["width"] <= width]
    return fitting[-1] if fitting else renditions[0]


def lead_pictures(articles: Iterable[Any]) -> dict[int, Picture]:
    """The stored lead image of each of ``articles`` (by article id), in one query.

    ``articles`` may hold None (a story without a lead); a queryset passed here is
    evaluated, and keeps its results for the template's loop.
    """
    ids = [article.pk for article in articles if article is not None]
    if not ids:
        return {}
    uses = ArticleImage.objects.filter(
        article_id__in=ids,
        figure__isnull=True,
        status=ArticleImage.Status.STORED,
    ).select_related("image")
    found = {}
    for use in uses:
        shown = picture(use.image)
        if shown is not None:
            found[use.article_id] = shown
    return found


@dataclass(frozen=True)
class ArticlePictures:
    """The pictures of one article page: its lead and its figures by figure id."""

    lead: Picture | None
    figures: dict[int, Picture]


def article_pictures(article: Any) -> ArticlePictures:
    """The article's stored lead image and figures, in one query."""
    lead = None
    figures = {}
    uses = ArticleImage.objects.filter(
        article_id=article.pk, status=ArticleImage.Status.STORED
    ).select_related("image")
    for use in uses:
        shown = picture(use.image)
        if shown is None:
            continue
        if use.figure_id is None:
            lead = shown
        else:
            figures[use.figure_id] = shown
    return ArticlePictures(lead=lead, figures=figures)


def images_summary(*, skipped_limit: int = 20) -> dict[str, Any]:
    """Counts for ``cupure images``: stored images, their files and bytes, the
    articles' image records by status, and the latest skipped ones with reasons."""
    from django.db.models import Count

    stored_bytes = 0
    renditions = 0
    for rendition_list in StoredImage.objects.values_list("renditions", flat=True):
        renditions += len(rendition_list)
        stored_bytes += sum(int(r.get("bytes", 0)) for r in rendition_list)
    by_status = dict(
        ArticleImage.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    skipped = ArticleImage.objects.filter(status=ArticleImage.Status.SKIPPED).order_by(
        "-fetched_at", "-pk"
    )[:skipped_limit]
    return {
        "images": StoredImage.objects.count(),
        "lost_files": images_with_lost_files(),
        "renditions": renditions,
        "bytes": stored_bytes,
        "uses": {status: by_status.get(status, 0) for status in ArticleImage.Status},
        "skipped": [
            {"article": use.article_id, "url": use.source_url, "reason": use.reason}
            for use in skipped
        ],
    }


def images_with_lost_files(*, limit: int | None = None) -> int:
    """How many stored images miss a rendition file in storage (of the first
    ``limit`` images when given: a bucket costs a request a file).

    A database backup holds the image rows but not the files under
    ``CUPURE_HOME/media``: restored on a new machine, every page would point at
    missing pictures, and nothing else would say so."""
    lost = 0
    for renditions in StoredImage.objects.order_by("pk").values_list(
        "renditions", flat=True
    )[:limit]:
        if not all(default_storage.exists(r["name"]) for r in renditions):
            lost += 1
    return lost
