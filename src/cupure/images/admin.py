"""The images articles show and what became of them (read-only: ingest and
``cupure images`` write them)."""

from django.contrib import admin

from .models import ArticleImage, StoredImage


@admin.register(ArticleImage)
class ArticleImageAdmin(admin.ModelAdmin):
    list_display = ("source_url", "article", "status", "reason", "fetched_at")
    list_filter = ("status",)
    search_fields = ("source_url", "reason")
    raw_id_fields = ("article", "figure", "image")
    readonly_fields = ("fetched_at", "attempts")


@admin.register(StoredImage)
class StoredImageAdmin(admin.ModelAdmin):
    list_display = ("digest", "source_format", "width", "height", "created_at")
    search_fields = ("digest",)
    readonly_fields = ("digest", "renditions", "created_at")
