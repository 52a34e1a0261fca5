from django.contrib import admin

from cupure.rights.admin import take_down_articles
from cupure.sources.admin import URL_FIELDS_ASSUME_HTTPS

from .models import Article, Figure


class FigureInline(admin.TabularInline):
    model = Figure
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published", "published_source", "updated"]
    list_filter = ["publisher", "published_source"]
    # Where the date came from and every witness weighed, to explain a wrong date.
    # What the publisher's page said to robots, and how the article is shown and
    # why (cupure.rights.policy).
    readonly_fields = [
        "published_source",
        "updated",
        "date_evidence",
        "robots",
        "shown_as",
    ]
    search_fields = ["title", "canonical_url"]
    date_hierarchy = "published"
    raw_id_fields = ["publisher"]
    inlines = [FigureInline]
    actions = [take_down_articles]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    @admin.display(description="shown as")
    def shown_as(self, article: Article) -> str:
        from cupure.rights.selectors import article_display

        display = article_display(article)
        return f"{display.body.value}: " + "; ".join(display.reasons)
