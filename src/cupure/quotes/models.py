"""Who said what: the direct quotes of each article, found at ingest."""

from __future__ import annotations

from django.db import models


class Quote(models.Model):
    """One direct quote of one article (``cupure.quotes.extract``), in the article's
    order. Recomputed from the article's paragraphs by ``cupure quotes --reindex``."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="quotes"
    )
    position = models.PositiveIntegerField()
    # The statement as the article gives it: the quoted words, and for a partial
    # quote the reported words around them; the parts joined by a space.
    text = models.TextField()
    # Offsets in the article's paragraphs joined by blank lines (Article.text).
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # The body paragraph the quote starts in (the article page's #pN anchor).
    paragraph = models.PositiveIntegerField()
    speaker = models.CharField(max_length=300, blank=True)
    # ``speaker`` normalised for lookups across articles (cupure.quotes.merge.name_key).
    speaker_key = models.CharField(max_length=300, blank=True, db_index=True)
    role = models.CharField(max_length=300, blank=True)
    # "person", "organisation", "other" (a description), "" (unknown).
    speaker_kind = models.CharField(max_length=20, blank=True)
    cue = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="quote_article_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker or '?'}: {self.text[:60]}"
