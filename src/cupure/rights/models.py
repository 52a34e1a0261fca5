"""Takedowns (tombstones that keep an article out) and robots.txt shared by every
process."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Takedown(models.Model):
    """An article removed at its publisher's (or anyone's) request, and the tombstone
    that keeps it out: no poll, import, or copy of its text at another URL stores it
    again while the takedown stands. Never deleted: undoing sets ``undone_at``, so
    the table is also the record of who asked what and when."""

    # The publisher's URL as fetched, and the article's canonical URL.
    url = models.URLField(max_length=2000, db_index=True)
    canonical_url = models.URLField(max_length=2000, db_index=True)
    # MinHash of the text (cupure.text.fingerprint): a copy at another URL matches.
    signature = models.JSONField(default=list, blank=True)
    # What it was, for the admin and the 410 page (the article row is deleted).
    article_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    title = models.TextField(blank=True)
    publisher_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    requested_by = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.CharField(max_length=200, blank=True)
    # Refusals since: re-ingest attempts this tombstone stopped (poll, import, copy).
    refusals = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["undone_at"],
                condition=models.Q(undone_at__isnull=True),
                name="takedown_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.url} (taken down)"

    @property
    def active(self) -> bool:
        return self.undone_at is None


class RobotsTxt(models.Model):
    """One origin's robots.txt as last read (cupure.net.robots.RobotsRecord), shared
    by every poller so a site is asked once a day, not once per process."""

    origin = models.CharField(max_length=300, unique=True)
    # Without rules (``has_rules`` false) ``allow_all`` decides: 4xx yes,
    # unreachable no.
    has_rules = models.BooleanField(default=False)
    body = models.TextField(blank=True)
    allow_all = models.BooleanField(default=True)
    expires_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "robots.txt"
        verbose_name_plural = "robots.txt files"

    def __str__(self) -> str:
        return f"{self.origin}/robots.txt ({self.note})"
