from django.contrib import admin

from .models import Article, Figure


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published"]
    list_filter = ["publisher"]
    search_fields = ["title", "canonical_url"]
    date_hierarchy = "published"
    raw_id_fields = ["publisher"]
    inlines = [FigureInline]
