"""Without a broker, images are fetched in threads of the ingesting process: ingest
does not wait for them, they are stored ``pending`` until done, and
``images_drain`` waits for them deterministically."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from cupure.images import services
from cupure.images.background import images_drain, images_queued
from cupure.images.models import ArticleImage
from cupure.images.services import images_refetch, images_schedule
from tests.images.helpers import article_with_images, lead_record
from tests.imaging import samples
from tests.loopback import LoopbackSite, Page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def publisher(allow_loopback: None, settings) -> Iterator[LoopbackSite]:
    # One thread: the test database is SQLite's shared in-memory one, where two
    # writing threads meet "table is locked" at once instead of waiting their turn
    # (a database file, as in production, waits; PostgreSQL runs two here too).
    settings.CUPURE_IMAGE_THREADS = 1 if connection.vendor == "sqlite" else 2
    with LoopbackSite() as site:
        for number in range(3):
            site.pages[f"/img/{number}.jpg"] = Page(
                samples.photo(1200, 675, color=(200, 60 + number * 20, 40)),
                "image/jpeg",
            )
        yield site
    assert images_drain(timeout=60) == 0


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Image jobs wait for this event before fetching: what ingest sees while
    they are still under way."""
    release = threading.Event()
    fetch = services.article_images_fetch

    def slow_fetch(*, article_id: int) -> services.FetchReport:
        assert release.wait(timeout=60), "the test never released the image job"
        return fetch(article_id=article_id)

    monkeypatch.setattr(services, "article_images_fetch", slow_fetch)
    try:
        yield release
    finally:
        release.set()
        images_drain(timeout=60)


def test_ingest_does_not_wait_for_images_and_drain_waits_for_them(
    publisher: LoopbackSite, held: threading.Event
) -> None:
    articles = [
        article_with_images(lead=publisher.url(f"/img/{number}.jpg"))
        for number in range(3)
    ]
    for article in articles:
        with transaction.atomic():
            images_schedule(article=article)  # handed to the threads on commit
    # Ingest is back while every image job is still held: nothing is stored yet,
    # and every record says pending (what a killed process would leave).
    assert images_queued() == 3
    assert {lead_record(a).status for a in articles} == {ArticleImage.Status.PENDING}
    assert publisher.requests == []
    held.set()
    assert images_drain(timeout=60) == 0
    assert images_queued() == 0
    for article in articles:
        record = lead_record(article)
        assert record.status == ArticleImage.Status.STORED, record.reason
        assert record.image is not None
        assert [r["width"] for r in record.image.renditions][-1] == 1200


def test_images_a_dead_process_left_pending_are_fetched_by_refetch(
    publisher: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The process "dies" before its image threads run: the jobs are dropped.
    monkeypatch.setattr(
        "cupure.images.background.images_submit", lambda job: True, raising=True
    )
    article = article_with_images(lead=publisher.url("/img/0.jpg"))
    with transaction.atomic():
        images_schedule(article=article)
    assert lead_record(article).status == ArticleImage.Status.PENDING
    monkeypatch.undo()
    assert images_refetch().stored == 1
    assert lead_record(article).status == ArticleImage.Status.STORED


def test_the_next_poll_round_takes_up_images_left_pending(
    publisher: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a dead process left pending is fetched again by the polls that go on,
    once it is clearly stale (not while another process may still be at it)."""
    from datetime import timedelta

    from django.utils import timezone

    from cupure.images.services import STALE_PENDING, images_pending_retry

    monkeypatch.setattr(
        "cupure.images.background.images_submit", lambda job: True, raising=True
    )
    article = article_with_images(lead=publisher.url("/img/1.jpg"))
    with transaction.atomic():
        images_schedule(article=article)
    monkeypatch.undo()
    assert lead_record(article).status == ArticleImage.Status.PENDING

    soon = timezone.now() + STALE_PENDING - timedelta(seconds=30)
    assert images_pending_retry(now=soon) == 0, "another process may be at it"
    assert lead_record(article).status == ArticleImage.Status.PENDING

    later = timezone.now() + STALE_PENDING + timedelta(seconds=30)
    assert images_pending_retry(now=later) == 1
    images_drain(timeout=60)
    assert lead_record(article).status == ArticleImage.Status.STORED
    assert images_pending_retry(now=later) == 0


def test_with_no_threads_ingest_fetches_the_images_itself(
    publisher: LoopbackSite, settings
) -> None:
    settings.CUPURE_IMAGE_THREADS = 0
    article = article_with_images(lead=publisher.url("/img/1.jpg"))
    with transaction.atomic():
        images_schedule(article=article)
    assert images_queued() == 0
    assert lead_record(article).status == ArticleImage.Status.STORED


def test_a_forked_child_makes_images_in_threads_of_its_own(
    publisher: LoopbackSite, held: threading.Event
) -> None:
    """A poll process forked while the parent has image jobs under way must not
    hand its own to the parent's pool (whose threads it does not have)."""
    import multiprocessing

    from cupure.images import background

    article = article_with_images(lead=publisher.url("/img/2.jpg"))
    with transaction.atomic():
        images_schedule(article=article)
    assert images_queued() == 1  # held in the parent's pool

    def child(queue) -> None:
        ran = threading.Event()
        queued_at_start = background.images_queued()
        submitted = background.images_submit(ran.set)
        queue.put((queued_at_start, submitted, ran.wait(timeout=30)))

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=child, args=(queue,))
    process.start()
    assert queue.get(timeout=60) == (0, True, True)
    process.join(timeout=60)
    held.set()
    assert images_drain(timeout=60) == 0
    assert lead_record(article).status == ArticleImage.Status.STORED
