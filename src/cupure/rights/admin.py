"""Admin for takedowns (list, take down by URL, undo) and the shared robots.txt.

Articles are taken down from the article list too ("Take down selected articles"
asks for the reason on a confirmation page). Every takedown and undo is written to
the admin's history (LogEntry) under the person who did it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .models import RobotsTxt, Takedown
from .services import TakedownError, takedown, takedown_undo


class TakedownForm(forms.ModelForm):
    """Adding a takedown: the article's URL (the publisher's or ours) and why."""

    url = forms.URLField(
        max_length=2000,
        assume_scheme="https",
        label="Article URL (the publisher's or our page)",
    )

    class Meta:
        model = Takedown
        fields = ["url", "reason"]

    def clean(self):
        data = super().clean()
        if not (data.get("reason") or "").strip():
            raise forms.ValidationError("Say why the article is taken down.")
        return data


@admin.register(Takedown)
class TakedownAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "publisher_name",
        "canonical_url",
        "requested_by",
        "created_at",
        "undone_at",
        "refusals",
    ]
    list_filter = ["undone_at", "publisher_name"]
    search_fields = ["title", "url", "canonical_url", "reason"]
    readonly_fields = [
        "canonical_url",
        "article_id",
        "title",
        "publisher_name",
        "requested_by",
        "created_by",
        "created_at",
        "undone_at",
        "undone_by",
        "refusals",
    ]
    exclude = ["signature"]
    actions = ["undo"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TakedownForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["url", "reason"]
        return ["url", "reason", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["url", "reason", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None) -> bool:
        # The record stays; undo lifts it.
        return False

    def save_model(self, request, obj, form, change) -> None:
        """A new takedown goes through the service (it stores the tombstones)."""
        if change:
            return
        try:
            results = takedown(
                urls=[form.cleaned_data["url"]],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except TakedownError as error:
            self._error = str(error)
            return
        self._error = ""
        first = results[0].takedowns[0]
        obj.pk = first.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None) -> HttpResponse:
        if getattr(self, "_error", ""):
            self.message_user(request, self._error, messages.ERROR)
            return self.response_post_save_add(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        # The service wrote the history entries (one per article removed).
        return None

    @admin.action(description="Undo the selected takedowns (the articles may return)")
    def undo(self, request: HttpRequest, queryset: QuerySet[Takedown]) -> None:
        for tombstone in queryset.filter(undone_at__isnull=True):
            requeued = takedown_undo(takedown_id=tombstone.pk, user=request.user)
            self.message_user(
                request,
                f"Takedown {tombstone.pk} undone: {requeued} feed entries queued "
                "again (an imported article needs importing again).",
                messages.SUCCESS,
            )


@admin.register(RobotsTxt)
class RobotsTxtAdmin(admin.ModelAdmin):
    """What each site's robots.txt said (read only: it is fetched, not edited)."""

    list_display = ["origin", "note", "allow_all", "has_rules", "expires_at"]
    search_fields = ["origin"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.action(description="Take down the selected articles…")
def take_down_articles(
    modeladmin, request: HttpRequest, queryset
) -> HttpResponse | None:
    """An Article admin action: asks for the reason, then takes them down."""
    if request.POST.get("confirm") == "yes":
        reason = request.POST.get("reason", "").strip()
        if reason:
            urls = [article.canonical_url for article in queryset]
            results = takedown(urls=urls, reason=reason, user=request.user)
            removed = sum(result.removed for result in results)
            modeladmin.message_user(
                request,
                f"{removed} article(s) taken down (copies included); their pages "
                "answer 410 Gone.",
                messages.SUCCESS,
            )
            return None
        modeladmin.message_user(request, "Say why.", messages.ERROR)
    return TemplateResponse(
        request,
        "admin/rights/takedown_confirm.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": "Take down articles",
            "articles": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )
