from django.contrib import admin

from .models import Article, Figure


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published", "published_source", "updated"]
    list_filter = ["publisher", "published_source"]
    # Where the date came from and every witness weighed, to explain a wrong date.
    readonly_fields = ["published_source", "updated", "date_evidence"]
    search_fields = ["title", "canonical_url"]
    date_hierarchy = "published"
    raw_id_fields = ["publisher"]
    inlines = [FigureInline]
