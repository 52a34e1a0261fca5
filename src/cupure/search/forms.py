"""The search form: the reader's query and filters, validated."""

from __future__ import annotations

from django import forms

from cupure.sources.models import Publisher

from .query import MAX_QUERY_CHARS


class SearchForm(forms.Form):
    """``?q=…&publisher=<slug>&since=YYYY-MM-DD&until=YYYY-MM-DD``; all optional."""

    q = forms.CharField(
        label="Search for",
        required=False,
        # Longer text is cut by parse_query anyway; this bounds what we echo back.
        max_length=MAX_QUERY_CHARS,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    publisher = forms.ModelChoiceField(
        label="Publisher",
        queryset=Publisher.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All publishers",
    )
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data
