"""Topics named by articles, and the resolver state that merges their variants."""

from __future__ import annotations

from django.db import models


class ArticleTopic(models.Model):
    """One article naming one topic (an entity or key phrase from its headline/lead).

    ``key`` is the key the resolver gave at the time; variants learned later are merged
    when reading (``TopicResolver.canonical``). Story, publisher and time are copied
    here so trends are computed from this table alone.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="topics"
    )
    key = models.CharField(max_length=200, db_index=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)
    story_id = models.BigIntegerField(null=True)
    publisher_id = models.BigIntegerField()
    published = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "key"], name="article_topic_unique"
            ),
        ]
        indexes = [
            # "The newest mentions of this topic" (the home page's topic sections):
            # with ``key`` alone the database sorted every mention of the topic,
            # tens of thousands for a common one at 100k articles (40 ms a topic);
            # this reads the newest few in order. (The index on ``key`` alone is now
            # redundant, but dropping it would rebuild the table on SQLite.)
            models.Index(
                fields=["key", "published"], name="articletopic_key_published"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResolverState(models.Model):
    """The topic resolver's learned names and aliases (one row, plain JSON)."""

    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Topic resolver state ({self.updated_at:%Y-%m-%d %H:%M})"


class TrendSnapshot(models.Model):
    """The trending topics as computed after the last ingest, so pages read one row
    instead of recomputing trends inside a reader's request."""

    computed_at = models.DateTimeField(db_index=True)
    topics = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Trends at {self.computed_at:%Y-%m-%d %H:%M}"
