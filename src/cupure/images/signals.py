"""Removing an article removes the renditions no other article uses."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ArticleImage


@receiver(post_delete, sender=ArticleImage)
def _image_use_deleted(sender: Any, instance: ArticleImage, **kwargs: Any) -> None:
    """Once the deletion is committed, drop the image if this was its last use (a
    rolled-back deletion must not lose another article's picture)."""
    image_id = instance.image_id
    if image_id is None:
        return

    def drop() -> None:
        from .services import image_delete_if_unused

        image_delete_if_unused(image_id=image_id)

    transaction.on_commit(drop)
