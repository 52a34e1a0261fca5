"""Admin for publishers, feeds (with their health) and entries (with their errors).

"Refresh now" is POST-only (an admin action, and a button on the feed's page): it
clears the broken or inactive state and polls at once, through the service.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from .models import Entry, Feed, Publisher, WebSubSubscription
from .services import PollResult, feed_refresh
from .websub import feed_remove

# Django 6 assumes https for scheme-less URLs typed in a form; we do already.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class FeedInline(admin.TabularInline):
    model = Feed
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    fields = [
        "url",
        "status",
        "consecutive_failures",
        "last_error",
        "next_poll_at",
        "poll_reason",
    ]
    readonly_fields = [
        "status",
        "consecutive_failures",
        "last_error",
        "next_poll_at",
        "poll_reason",
    ]
    extra = 0
    show_change_link = True


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "homepage_url",
        "display_policy",
        "feed_count",
        "created_at",
    ]
    # What its articles may show (cupure.rights.policy), editable in the list too.
    list_editable = ["display_policy"]
    list_filter = ["display_policy"]
    search_fields = ["name", "homepage_url"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FeedInline]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    @admin.display(description="feeds")
    def feed_count(self, publisher: Publisher) -> int:
        return publisher.feeds.count()


def _report(request: HttpRequest, feed: Feed, result: PollResult) -> None:
    if result.skipped:
        messages.warning(request, f"{feed.url}: another worker is polling it now.")
    elif result.ok:
        messages.success(
            request,
            f"{feed.url}: refreshed, {result.new_entries} new entries, "
            f"{result.ingested} articles ingested.",
        )
    else:
        messages.error(request, f"{feed.url}: {result.error}")


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "publisher",
        "status",
        "consecutive_failures",
        "last_error_code",
        "last_polled_at",
        "next_poll_at",
        "poll_reason",
    ]
    list_filter = ["status", "format", "last_error_code"]
    search_fields = ["url", "title", "publisher__name"]
    readonly_fields = [
        "format",
        "status",
        "last_error",
        "last_error_code",
        "consecutive_failures",
        "etag",
        "last_modified",
        "ttl_seconds",
        "last_polled_at",
        "last_success_at",
        "next_poll_at",
        "redirect_pending_url",
        "redirect_seen",
        "poll_lease_until",
        "poll_lease_holder",
        "unfinished_polls",
        "last_poll_note",
        "poll_interval_seconds",
        "poll_reason",
    ]
    actions = ["refresh_now"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    change_form_template = "admin/sources/feed/change_form.html"

    def delete_model(self, request: HttpRequest, obj: Feed) -> None:
        """Deleting a feed unsubscribes from its hub first (cupure.sources.websub)."""
        feed_remove(feed=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        for feed in queryset:
            feed_remove(feed=feed)

    @admin.action(description="Refresh now (clear failures and poll)")
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        for feed in queryset:
            _report(request, feed, feed_refresh(feed=feed))

    def get_urls(self):  # type: ignore[no-untyped-def]
        refresh = require_POST(self.admin_site.admin_view(self.refresh_view))
        return [
            path("<int:feed_id>/refresh/", refresh, name="sources_feed_refresh"),
            *super().get_urls(),
        ]

    def refresh_view(self, request: HttpRequest, feed_id: int) -> HttpResponseRedirect:
        """POST only (GET is refused with 405): refresh the feed and come back."""
        feed = get_object_or_404(Feed, pk=feed_id)
        if not self.has_change_permission(request, feed):
            raise PermissionDenied
        _report(request, feed, feed_refresh(feed=feed))
        return HttpResponseRedirect(
            reverse("admin:sources_feed_change", args=[feed.pk])
        )


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "status", "attempts", "last_error", "published"]
    list_filter = ["status", "feed"]
    search_fields = ["title", "link", "guid", "last_error"]
    raw_id_fields = ["feed", "article"]
    readonly_fields = ["attempts", "last_error"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


@admin.register(WebSubSubscription)
class WebSubSubscriptionAdmin(admin.ModelAdmin):
    """Push subscriptions, read-only: the hubs and the poller manage them. The
    secret is never shown."""

    list_display = [
        "topic_url",
        "hub_url",
        "state",
        "lease_expires_at",
        "pushes",
        "last_push_at",
        "last_error",
    ]
    list_filter = ["state"]
    search_fields = ["topic_url", "hub_url"]
    exclude = ["secret", "token"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
