"""Celery task for the scaled path: fetch one article's images on a worker."""

from __future__ import annotations

from dataclasses import asdict

from django.db import DatabaseError

from cupure.celery import app
from cupure.sources.tasks import (
    BROKER_PUBLISH_OPTIONS,
    TASK_MAX_RETRIES,
    TASK_RETRY_BACKOFF_MAX_SECONDS,
    TASK_RETRY_BACKOFF_SECONDS,
)

__all__ = ["BROKER_PUBLISH_OPTIONS", "article_images_fetch_task"]


@app.task(
    name="cupure.images.article_images_fetch",
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=TASK_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=TASK_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=TASK_MAX_RETRIES,
)
def article_images_fetch_task(article_id: int) -> dict[str, object]:
    """Fetch and store the article's images that are not stored yet (idempotent:
    a redelivered task finds them stored and does nothing)."""
    from .services import article_images_fetch

    return asdict(article_images_fetch(article_id=article_id))
