"""Reader comments, reports, bans, closed threads and the moderation log.

A comment keeps the Markdown its author wrote; the HTML shown is derived from it
(``cupure.comments.markup``) with the sanitizer version that made it. No side effects
live here: every write goes through ``cupure.comments.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CommentStatus(models.TextChoices):
    # Waiting for a moderator: never shown to other readers, never dropped.
    PENDING = "pending", "Awaiting moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    # Deleted by its author: the thread shows "[deleted]" so replies keep their place.
    DELETED = "deleted", "Deleted"


class Comment(models.Model):
    """One reader's comment on one article, possibly a reply to another comment."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    # 0 for a comment on the article, parent's depth + 1 for a reply (bounded by
    # CUPURE_COMMENTS_MAX_DEPTH).
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    # The name an anonymous reader gave (plain text); empty for accounts.
    author_name = models.CharField(max_length=80, blank=True)
    body_markdown = models.TextField()
    body_html = models.TextField(blank=True)
    sanitizer_version = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=16,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        db_index=True,
    )
    # Why moderation held the comment (the checks' reasons, for the moderator).
    hold_reason = models.TextField(blank=True)
    # The poster's network (/24 or /48), never the full address.
    ip_network = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"],
                name="comment_article_status",
            ),
            models.Index(fields=["author", "created_at"], name="comment_author_time"),
            models.Index(fields=["ip_network", "created_at"], name="comment_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.body_markdown[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    @property
    def display_name(self) -> str:
        if self.author_id is not None and self.author is not None:
            return self.author.get_username()
        return self.author_name or "Anonymous"


class PendingComment(Comment):
    """The moderation queue: comments waiting for a moderator (admin only)."""

    class Meta:
        proxy = True
        verbose_name = "comment awaiting moderation"
        verbose_name_plural = "moderation queue"


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive or harassing"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class CommentReport(models.Model):
    """A reader's report of a comment; one per reader and comment."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=ReportReason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on comment {self.comment_id}"


class CommenterBan(models.Model):
    """An account that may no longer comment (its earlier comments stay as judged)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_ban"
    )
    reason = models.TextField(blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"ban of {self.user}"


class ClosedThread(models.Model):
    """An article whose comments a moderator closed (no new comments or replies)."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="closed_thread"
    )
    reason = models.CharField(max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"comments closed on {self.article}"


class ModerationAction(models.TextChoices):
    HELD = "held", "Held for moderation"
    PUBLISHED = "published", "Published by the checks"
    APPROVED = "approved", "Approved by a moderator"
    REJECTED = "rejected", "Rejected by a moderator"
    EDITED = "edited", "Edited by its author"
    DELETED = "deleted", "Deleted by its author"
    REPORTED = "reported", "Reported by a reader"
    BANNED = "banned", "Author banned"


class ModerationLogEntry(models.Model):
    """What happened to a comment, who did it (null: the checks) and why."""

    comment = models.ForeignKey(
        Comment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="log_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=16, choices=ModerationAction.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "moderation log"

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
