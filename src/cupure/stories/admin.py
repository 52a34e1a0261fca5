from django.contrib import admin

from .models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "article_count", "publisher_count", "last_published"]
    search_fields = ["title"]
    date_hierarchy = "last_published"
    raw_id_fields = ["lead_article"]
