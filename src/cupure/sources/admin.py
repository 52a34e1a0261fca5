from django.contrib import admin

from .models import Entry, Feed, Publisher


class FeedInline(admin.TabularInline):
    model = Feed
    fields = ["url", "status", "last_error", "last_polled_at"]
    readonly_fields = ["status", "last_error", "last_polled_at"]
    extra = 0


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage_url", "created_at"]
    search_fields = ["name", "homepage_url"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FeedInline]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "publisher",
        "status",
        "consecutive_failures",
        "last_polled_at",
        "next_poll_at",
    ]
    list_filter = ["status", "format"]
    search_fields = ["url", "title", "publisher__name"]
    readonly_fields = [
        "format",
        "status",
        "last_error",
        "last_error_code",
        "consecutive_failures",
        "etag",
        "last_modified",
        "last_polled_at",
        "last_success_at",
    ]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "feed", "status", "attempts", "published"]
    list_filter = ["status"]
    search_fields = ["title", "link", "guid"]
    raw_id_fields = ["feed", "article"]
