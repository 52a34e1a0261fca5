"""On the scaled path the images are fetched by a real Celery worker over the real
Redis (DB 7, flushed), never by the ingesting process. With CI=true a missing
Redis FAILS these tests (they never skip)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.db import transaction

from cupure.celery import app
from cupure.images.models import ArticleImage
from cupure.images.services import images_schedule
from tests.ci import machine_redis, redis_client
from tests.images.helpers import article_with_images, lead_record
from tests.imaging import samples
from tests.loopback import LoopbackSite, Page
from tests.sources.test_tasks import _forget_queues, wait_until

REDIS_URL = machine_redis(7)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_broker(settings: pytest.FixtureRequest) -> Iterator[str]:
    """The real Redis at 127.0.0.1:6379 (DB 7, flushed) as the Celery broker, with
    a queue of this run's own."""
    client = redis_client(REDIS_URL, "CELERY TEST")
    client.flushdb()
    settings.CUPURE_BROKER_URL = REDIS_URL
    app.conf.broker_url = REDIS_URL
    app.conf.task_default_queue = f"cupure-images-test-{uuid.uuid4().hex[:12]}"
    _forget_queues()
    try:
        yield REDIS_URL
    finally:
        app.conf.broker_url = None
        app.conf.task_default_queue = "celery"
        _forget_queues()
        _forget_connections()
        client.flushdb()
        client.close()


def _forget_connections() -> None:
    """Close the broker connections and drop the pools built for this broker
    (the producer pool keeps a reference to the connection pool)."""
    from kombu import pools

    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide producer pools, keyed by broker


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
        _forget_connections()
    assert lead_record(article).status == ArticleImage.Status.PENDING
    assert publisher_site.requests == []
