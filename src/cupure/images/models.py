"""Images the site serves itself: stored once by content, used by many articles."""

from __future__ import annotations

from django.db import models


class StoredImage(models.Model):
    """One image file, kept as WebP renditions; the same bytes (whichever URL they
    came from) are stored once, named by their SHA-256 (cupure.imaging)."""

    digest = models.CharField(max_length=64, unique=True)
    # What the publisher sent: JPEG, PNG, GIF or WEBP.
    source_format = models.CharField(max_length=10)
    # Upright size of the original, in pixels.
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # Narrowest first: [{"width", "height", "name", "bytes"}]; ``name`` is the
    # storage name of the file.
    renditions = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.digest[:12]} {self.width}×{self.height}"

    @property
    def stored_bytes(self) -> int:
        return sum(int(r.get("bytes", 0)) for r in self.renditions)


class ArticleImage(models.Model):
    """An image an article shows (its lead, or one of its figures): where the
    publisher had it, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        STORED = "stored", "stored"
        SKIPPED = "skipped", "skipped"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="images"
    )
    # None: the article's lead image.
    figure = models.OneToOneField(
        "articles.Figure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="served_image",
    )
    # The publisher's URL, kept for the record (and for --refetch); never shown to
    # a reader's browser.
    source_url = models.URLField(max_length=2000)
    image = models.ForeignKey(
        StoredImage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Why the image is not shown (a fetch error, or what the bytes turned out to be).
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(figure__isnull=True),
                name="article_one_lead_image",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_url} ({self.status})"

    @property
    def is_lead(self) -> bool:
        return self.figure_id is None
