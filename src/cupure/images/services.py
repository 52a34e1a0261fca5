"""Writes for images: record what an article shows, fetch it, store renditions.

Ingest calls :func:`images_schedule` inside the article's transaction; the images
are fetched once that transaction is committed (``transaction.on_commit``): by a
Celery worker when ``CUPURE_BROKER_URL`` is set, in a few threads of the ingesting
process otherwise (:mod:`cupure.images.background`). Never on a page view: a page
shows what is stored, or no image.

A fetch goes through the one network door (:func:`cupure.net.fetch.fetch`: address
guard on every redirect, time cap) with a per-image size cap, then through
:func:`cupure.imaging.process_image`. A bad image is ``skipped`` with its reason;
the article stays. Renditions go through Django's storage API (the file system
under CUPURE_HOME by default, S3 when configured), named by content hash, so an
image many articles use is stored once; the last article using an image takes its
files with it when removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from cupure.imaging import ImageRefused, content_digest, process_image
from cupure.net.errors import FetchError, HostBusy
from cupure.net.fetch import FetchPolicy, fetch

from .models import ArticleImage, StoredImage

if TYPE_CHECKING:
    from cupure.articles.models import Article

log = logging.getLogger(__name__)

IMAGE_ACCEPT = "image/webp, image/png, image/jpeg, image/gif;q=0.9, */*;q=0.1"
# A publisher's photo is rarely above 5 MB; a 40 MB "photo" is a print master, a
# mistake or an attack, and would take a worker's memory for nothing.
IMAGE_MAX_BYTES = 10 * 1024 * 1024
# How long an image fetch waits for one of its host's slots (politeness).
IMAGE_HOST_SLOT_WAIT_SECONDS = 30.0


def image_fetch_policy() -> FetchPolicy:
    """The fetch rules in force, with the per-image size cap."""
    from cupure.sources.services import fetch_policy

    limit = int(getattr(settings, "CUPURE_IMAGE_MAX_BYTES", IMAGE_MAX_BYTES))
    return replace(fetch_policy(), max_bytes=limit)


def images_enabled() -> bool:
    return bool(getattr(settings, "CUPURE_IMAGES", True))


# ------------------------------------------------------------------- scheduling


def images_schedule(*, article: Article) -> None:
    """Record the lead image and figures ``article`` shows, and have them fetched
    after the current transaction commits (the article must exist for the worker).

    Idempotent: records already there are kept, and nothing is fetched twice.
    """
    if not images_enabled():
        return
    if not image_records_create(article=article):
        return
    from cupure.db import after_write_turn

    article_id = article.pk
    transaction.on_commit(
        lambda: after_write_turn(lambda: article_images_dispatch(article_id=article_id))
    )


def image_records_create(*, article: Article) -> bool:
    """Pending records for the article's images; True if some are not stored."""
    wanted = []
    if article.lead_image_src:
        wanted.append(ArticleImage(article=article, source_url=article.lead_image_src))
    wanted.extend(
        ArticleImage(article=article, figure=figure, source_url=figure.src)
        for figure in article.figures.all()
        if figure.src
    )
    if not wanted:
        return False
    ArticleImage.objects.bulk_create(wanted, ignore_conflicts=True)
    return (
        ArticleImage.objects.filter(article=article)
        .exclude(status=ArticleImage.Status.STORED)
        .exists()
    )


def article_images_dispatch(*, article_id: int) -> None:
    """Fetch the article's pending images: queued for a worker when a broker is
    configured, else in this process's image threads (:mod:`.background`) so that
    ingest goes on meanwhile. What a broker that is down, or a process that dies,
    leaves pending ``cupure images --refetch`` does later; the article is stored
    already."""
    if settings.CUPURE_BROKER_URL:
        from .tasks import BROKER_PUBLISH_OPTIONS, article_images_fetch_task

        try:
            article_images_fetch_task.apply_async(
                args=[article_id], **BROKER_PUBLISH_OPTIONS
            )
        except Exception as error:  # the broker's many failure types
            log.warning(
                "Images not queued article_id=%s (left pending): %s", article_id, error
            )
        return
    from django.db import connection

    from .background import images_submit

    def job() -> None:
        try:
            article_images_fetch(article_id=article_id)
        except Exception:
            # The article is committed and its poll goes on; what is left pending
            # is for `cupure images --refetch`.
            log.exception("Images not fetched article_id=%s (left pending)", article_id)

    # Inside a transaction still open (a caller's outer block, a test's), another
    # connection would not see the article yet: then it is done here.
    if connection.in_atomic_block or not images_submit(job):
        job()


# --------------------------------------------------------------------- fetching


@dataclass
class FetchReport:
    """What a run over image records did (for ``cupure images`` and the bench)."""

    stored: int = 0
    reused: int = 0
    skipped: int = 0
    deferred: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, other: FetchReport) -> None:
        self.stored += other.stored
        self.reused += other.reused
        self.skipped += other.skipped
        self.deferred += other.deferred
        self.reasons.extend(other.reasons)


def article_images_fetch(*, article_id: int) -> FetchReport:
    """Fetch and store every image of the article that is not stored yet."""
    records = ArticleImage.objects.filter(article_id=article_id).exclude(
        status=ArticleImage.Status.STORED
    )
    return images_fetch(records)


def images_fetch(records: Iterable[ArticleImage]) -> FetchReport:
    report = FetchReport()
    for record in records:
        report.add(image_fetch(record=record))
    return report


def image_fetch(*, record: ArticleImage) -> FetchReport:
    """Fetch one record's image and store it, or say why not on the record."""
    from cupure.sources.services import host_limiter

    report = FetchReport()
    known = _stored_for_url(record.source_url)
    if known is not None:
        _record_outcome(record, image=known)
        report.reused += 1
        return report
    try:
        with host_limiter().slot(
            record.source_url, timeout=IMAGE_HOST_SLOT_WAIT_SECONDS
        ):
            response = fetch(
                record.source_url, policy=image_fetch_policy(), accept=IMAGE_ACCEPT
            )
        stored = image_store(data=response.content)
    except HostBusy as error:
        log.info("Image deferred id=%s: %s", record.pk, error)
        report.deferred += 1
        return report
    except FetchError as error:
        reason = str(error)
    except ImageRefused as error:
        reason = f"{record.source_url} is {error}"
    except DatabaseError:
        raise  # the task is retried; the record stays as it was
    except Exception as error:  # the storage's many failure types (S3, disk)
        reason = (
            f"{record.source_url} could not be stored ({type(error).__name__}: "
            f"{error}); `cupure images --refetch` tries again"
        )
    else:
        _record_outcome(record, image=stored)
        report.stored += 1
        return report
    _record_outcome(record, reason=reason)
    log.warning("Image skipped id=%s: %s", record.pk, reason)
    report.skipped += 1
    report.reasons.append(reason)
    return report


def _stored_for_url(url: str) -> StoredImage | None:
    """The image another article already stored from the same URL (wire photos):
    no need to ask the publisher again."""
    use = (
        ArticleImage.objects.filter(source_url=url, status=ArticleImage.Status.STORED)
        .select_related("image")
        .first()
    )
    return use.image if use is not None else None


def _record_outcome(
    record: ArticleImage, *, image: StoredImage | None = None, reason: str = ""
) -> None:
    from cupure.db import write_turn

    record.image = image
    record.status = (
        ArticleImage.Status.STORED if image is not None else ArticleImage.Status.SKIPPED
    )
    record.reason = reason
    record.attempts += 1
    record.fetched_at = timezone.now()
    with write_turn():
        # The article may have been removed while we fetched: then nothing to save.
        ArticleImage.objects.filter(pk=record.pk).update(
            image=image,
            status=record.status,
            reason=reason,
            attempts=record.attempts,
            fetched_at=record.fetched_at,
        )


# ---------------------------------------------------------------------- storage


def image_store(*, data: bytes) -> StoredImage:
    """Process ``data`` and store its renditions once; returns the stored image.

    Raises ImageRefused when the bytes are not an image we serve. The same bytes
    stored before (by this or another article) are not processed again.
    """
    from cupure.db import write_turn

    existing = StoredImage.objects.filter(digest=content_digest(data)).first()
    if existing is not None:
        return existing
    max_pixels = getattr(settings, "CUPURE_IMAGE_MAX_PIXELS", None)
    processed = (
        process_image(data, max_pixels=int(max_pixels))
        if max_pixels
        else process_image(data)
    )
    for rendition in processed.renditions:
        _save_file(rendition.name, rendition.data)
    try:
        with write_turn(), transaction.atomic():
            image, _ = StoredImage.objects.get_or_create(
                digest=processed.digest,
                defaults={
                    "source_format": processed.source_format,
                    "width": processed.width,
                    "height": processed.height,
                    "renditions": [
                        {
                            "width": r.width,
                            "height": r.height,
                            "name": r.name,
                            "bytes": len(r.data),
                        }
                        for r in processed.renditions
                    ],
                },
            )
    except IntegrityError:
        # Stored by another worker between our look and our write: theirs stands.
        image = StoredImage.objects.get(digest=processed.digest)
    return image


def _save_file(name: str, data: bytes) -> None:
    """Write one rendition under its content-hash name (the same name always holds
    the same bytes, so an existing file is left as it is)."""
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # A storage that renames instead of overwriting, racing another writer:
        # the file under our name is identical, the renamed copy is waste.
        default_storage.delete(saved)


# -------------------------------------------------------------------- lifecycle


def image_delete_if_unused(*, image_id: int) -> bool:
    """Remove the stored image and its files when no article uses it any more."""
    from cupure.db import write_turn

    with write_turn(), transaction.atomic():
        image = StoredImage.objects.select_for_update().filter(pk=image_id).first()
        if image is None or ArticleImage.objects.filter(image_id=image_id).exists():
            return False
        names = [r["name"] for r in image.renditions]
        image.delete()
    for name in names:
        default_storage.delete(name)
    log.info("Image removed image_id=%s files=%d", image_id, len(names))
    return True


@dataclass
class PruneReport:
    images: int = 0
    files: int = 0


def images_prune() -> PruneReport:
    """Remove stored images no article uses, and files in storage no stored image
    names (left by a crash between writing files and recording them)."""
    report = PruneReport()
    for image_id in StoredImage.objects.filter(uses__isnull=True).values_list(
        "pk", flat=True
    ):
        if image_delete_if_unused(image_id=image_id):
            report.images += 1
    known = {
        r["name"]
        for renditions in StoredImage.objects.values_list("renditions", flat=True)
        for r in renditions
    }
    for name in _storage_names():
        if name not in known:
            default_storage.delete(name)
            report.files += 1
    return report


def _storage_names() -> Iterable[str]:
    """Every rendition file in storage (two directory levels, see rendition_name)."""
    try:
        top_dirs, _ = default_storage.listdir("")
    except FileNotFoundError:
        return
    for top in top_dirs:
        if len(top) != 2:
            continue
        _, files = default_storage.listdir(top)
        for name in files:
            if name.endswith(".webp"):
                yield f"{top}/{name}"


def image_records_backfill() -> int:
    """Pending records for the images of articles stored before cupure kept its
    own copies (or while ``CUPURE_IMAGES`` was off); returns how many articles."""
    from cupure.articles.models import Article

    without_lead = Article.objects.exclude(lead_image_src="").exclude(
        images__figure__isnull=True
    )
    figures_without = Article.objects.filter(
        figures__isnull=False, figures__served_image__isnull=True
    )
    ids = set(without_lead.values_list("pk", flat=True))
    ids |= set(figures_without.values_list("pk", flat=True))
    for article in Article.objects.filter(pk__in=ids).only("pk", "lead_image_src"):
        image_records_create(article=article)
    return len(ids)


# An image still pending this long after its article was stored was left behind
# (a poller killed mid-fetch, a broker that lost the task): polls take it up again.
STALE_PENDING = timedelta(minutes=10)
STALE_PENDING_BATCH = 20


def images_pending_retry(*, now: datetime | None = None) -> int:
    """Dispatch again the images of articles stored more than STALE_PENDING ago
    whose images are still pending (at most STALE_PENDING_BATCH articles a call,
    oldest first); returns how many articles. Each poll round calls it, so what a
    dead process left behind is done without anyone running `cupure images
    --refetch`. Skipped images stay skipped (their reason is for a person)."""
    if not images_enabled():
        return 0
    cutoff = (now or timezone.now()) - STALE_PENDING
    article_ids = list(
        ArticleImage.objects.filter(
            status=ArticleImage.Status.PENDING, article__created_at__lt=cutoff
        )
        .order_by("article_id")
        .values_list("article_id", flat=True)
        .distinct()[:STALE_PENDING_BATCH]
    )
    for article_id in article_ids:
        article_images_dispatch(article_id=article_id)
    return len(article_ids)


def images_refetch(*, all_images: bool = False) -> FetchReport:
    """Fetch again the images that are not stored (pending or skipped, and those of
    articles stored before images were kept), and with ``all_images`` the stored
    ones whose files went missing from storage."""
    report = FetchReport()
    image_records_backfill()
    missing = ArticleImage.objects.exclude(status=ArticleImage.Status.STORED)
    report.add(images_fetch(missing.order_by("pk").iterator()))
    if all_images:
        for image in StoredImage.objects.iterator():
            if all(default_storage.exists(r["name"]) for r in image.renditions):
                continue
            uses = list(image.uses.all())
            ArticleImage.objects.filter(image=image).update(
                image=None, status=ArticleImage.Status.PENDING
            )
            image.delete()
            for use in uses:
                use.refresh_from_db()
                report.add(image_fetch(record=use))
    return report
