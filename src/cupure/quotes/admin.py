from django.contrib import admin

from .models import Quote


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ("speaker", "role", "cue", "article")
    search_fields = ("speaker", "text")
    raw_id_fields = ("article",)
