"""Stories: the articles of many publishers about one event."""

from __future__ import annotations

from django.db import models

from cupure.web.paths import page_path


class Story(models.Model):
    """One event as covered by one or more publishers.

    Ids are chosen by the clusterer (``cupure.cluster.stories``) so that its
    in-memory state and the database agree; counters are kept by
    ``stories.services.story_refresh``.
    """

    id = models.BigIntegerField(primary_key=True)
    title = models.TextField()
    slug = models.SlugField(max_length=200, allow_unicode=True, blank=True)
    first_published = models.DateTimeField(db_index=True)
    last_published = models.DateTimeField(db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    publisher_count = models.PositiveIntegerField(default=0)
    lead_article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # [[story_id, similarity], …] best first, chosen by content when the story grew.
    related = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_published", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_path("web:story", pk=self.pk, slug=self.slug or "-")


class StoryAlias(models.Model):
    """The address of a story that was merged into another ("healed", see
    ``stories.services.story_merge``): its URL answers 301 to ``story``."""

    # The absorbed story's id (no longer a Story row).
    id = models.BigIntegerField(primary_key=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="aliases")
    # Indexed: each process reads the merges made since it last looked.
    merged_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "story aliases"

    def __str__(self) -> str:
        return f"{self.pk} -> {self.story_id}"
