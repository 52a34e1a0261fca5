"""On the scaled path the images are fetched by a real Celery worker over the real
Redis (DB 7, flushed), never by the ingesting process. With CI=true a missing
Redis FAILS these tests (they never skip)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from cupure.celery import app
from cupure.images.models import ArticleImage
from cupure.images.services import images_schedule
from tests.celery_broker import forget_broker, redis_broker_at
from tests.ci import machine_redis
from tests.images.helpers import article_with_images, lead_record
from tests.imaging import samples
from tests.loopback import LoopbackSite, Page
from tests.sources.test_tasks import wait_until

REDIS_URL = machine_redis(7)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_broker(settings: pytest.FixtureRequest) -> Iterator[str]:
    """The real Redis (DB 7, flushed) as the Celery broker."""
    with redis_broker_at(REDIS_URL, settings, "cupure-images-test") as url:
        yield url


def test_a_worker_fetches_the_images_once_the_article_is_committed(
    publisher_site: LoopbackSite, image_storage, redis_broker: str
) -> None:
    from celery.contrib.testing.worker import start_worker

    publisher_site.pages["/lead.jpg"] = Page(samples.photo(), "image/jpeg")
    article = article_with_images(lead=publisher_site.url("/lead.jpg"))
    with transaction.atomic():
        images_schedule(article=article)
    # Queued, not fetched here.
    assert publisher_site.requests == []
    assert lead_record(article).status == ArticleImage.Status.PENDING

    with start_worker(
        app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING"
    ):
        wait_until(
            lambda: lead_record(article).status == ArticleImage.Status.STORED,
            "the worker to store the image",
        )
    assert publisher_site.requests == ["/lead.jpg"]
    assert len(image_storage.names()) == 6


def test_a_broker_that_is_down_leaves_the_images_pending(
    publisher_site: LoopbackSite, settings
) -> None:
    # Nothing listens on port 1: the enqueue fails at once.
    settings.CUPURE_BROKER_URL = "redis://127.0.0.1:1/7"
    app.conf.broker_url = settings.CUPURE_BROKER_URL
    try:
        publisher_site.pages["/lead.jpg"] = Page(samples.photo(), "image/jpeg")
        article = article_with_images(lead=publisher_site.url("/lead.jpg"))
        with transaction.atomic():
            images_schedule(article=article)
    finally:
        app.conf.broker_url = None
        forget_broker()
    assert lead_record(article).status == ArticleImage.Status.PENDING
    assert publisher_site.requests == []
