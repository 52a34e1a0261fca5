"""The moderators' side: the queue (approve / reject / ban), reports, bans, the log.

Admin actions only call services, so the moderation log records every decision.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import (
    ClosedThread,
    Comment,
    CommenterBan,
    CommentReport,
    CommentStatus,
    ModerationLogEntry,
    PendingComment,
)
from .services import comment_approve, comment_reject, commenter_ban


@admin.action(description="Approve: publish the selected comments")
def approve(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    for comment in queryset:
        comment_approve(comment=comment, moderator=request.user)
    modeladmin.message_user(request, f"{queryset.count()} comment(s) published.")


@admin.action(description="Reject: hide the selected comments")
def reject(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    for comment in queryset:
        comment_reject(comment=comment, moderator=request.user)
    modeladmin.message_user(request, f"{queryset.count()} comment(s) rejected.")


@admin.action(description="Ban the authors and reject their queued comments")
def ban_authors(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    authors = {c.author for c in queryset.select_related("author") if c.author}
    for comment in queryset:
        if comment.author is None and comment.status == CommentStatus.PENDING:
            comment_reject(
                comment=comment,
                moderator=request.user,
                reason="Anonymous comment rejected with a ban.",
            )
    for author in authors:
        commenter_ban(
            user=author,
            moderator=request.user,
            reason="Banned from the moderation queue.",
        )
    skipped = queryset.filter(author__isnull=True).count()
    modeladmin.message_user(request, f"{len(authors)} author(s) banned.")
    if skipped:
        modeladmin.message_user(
            request,
            f"{skipped} anonymous comment(s) have no account to ban; rejected instead.",
            level=messages.WARNING,
        )


class CommentAdminBase(admin.ModelAdmin):
    list_display = [
        "short_body",
        "author_label",
        "article",
        "status",
        "open_reports",
        "created_at",
    ]
    list_select_related = ["author", "article"]
    search_fields = ["body_markdown", "author__username", "author_name"]
    readonly_fields = [
        "article",
        "parent",
        "depth",
        "author",
        "author_name",
        "body_markdown",
        "body_html",
        "sanitizer_version",
        "status",
        "hold_reason",
        "ip_network",
        "created_at",
        "edited_at",
        "deleted_at",
    ]
    actions = [approve, reject, ban_authors]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                report_total=Count(
                    "reports", filter=Q(reports__resolved_at__isnull=True)
                )
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="comment")
    def short_body(self, comment: Comment) -> str:
        text = " ".join(comment.body_markdown.split())
        return text[:120] + ("…" if len(text) > 120 else "")

    @admin.display(description="author")
    def author_label(self, comment: Comment) -> str:
        if comment.author is not None:
            return comment.author.get_username()
        return f"{comment.author_name} (no account)"

    @admin.display(description="reports", ordering="report_total")
    def open_reports(self, comment: Comment) -> int:
        return comment.report_total


@admin.register(PendingComment)
class ModerationQueueAdmin(CommentAdminBase):
    """Comments awaiting a moderator, oldest first (first come, first judged)."""

    list_display = [*CommentAdminBase.list_display[:5], "hold_reason", "created_at"]
    ordering = ["created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(status=CommentStatus.PENDING)


@admin.register(Comment)
class CommentAdmin(CommentAdminBase):
    list_filter = ["status", "created_at"]
    ordering = ["-created_at"]


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "reporter", "created_at", "resolved_at"]
    list_filter = ["reason", "resolved_at"]
    list_select_related = ["comment", "reporter"]
    readonly_fields = ["comment", "reporter", "reason", "note", "created_at"]


@admin.register(CommenterBan)
class CommenterBanAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "banned_by", "created_at"]
    readonly_fields = ["created_at", "banned_by"]
    raw_id_fields = ["user"]


@admin.register(ClosedThread)
class ClosedThreadAdmin(admin.ModelAdmin):
    list_display = ["article", "reason", "closed_by", "created_at"]
    raw_id_fields = ["article"]
    readonly_fields = ["closed_by", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        obj.closed_by = obj.closed_by or request.user
        obj.created_at = obj.created_at or timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ModerationLogEntry)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "comment", "actor", "reason"]
    list_filter = ["action"]
    list_select_related = ["comment", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
