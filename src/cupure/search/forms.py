"""The search form: the reader's query and filters, validated."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from cupure.sources.models import Publisher

from .query import MAX_QUERY_CHARS

# Code points HTML forbids in a page (a NUL typed into the address bar).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def printable(text: str) -> str:
    """``text`` without the control characters HTML forbids: what a page may echo
    of a reader's query (the form still says why the query was refused)."""
    return CONTROL_CHARACTERS.sub("", text)


class QueryInput(forms.TextInput):
    """A search box that echoes the query without forbidden characters."""

    input_type = "search"

    def format_value(self, value: Any) -> str | None:
        text = super().format_value(value)
        return printable(text) if text else text


class DayInput(forms.DateInput):
    """A date box: ``type="date"`` holds only YYYY-MM-DD, so a mistyped day is
    shown empty (its error says what was wrong) instead of an invalid value."""

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        text = super().format_value(value)
        return text if text and ISO_DATE.fullmatch(str(text)) else None


class SearchForm(forms.Form):
    """``?q=…&publisher=<slug>&since=YYYY-MM-DD&until=YYYY-MM-DD``; all optional."""

    q = forms.CharField(
        label="Search for",
        required=False,
        # Longer text is cut by parse_query anyway; this bounds what we echo back.
        max_length=MAX_QUERY_CHARS,
        widget=QueryInput,
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
        widget=DayInput,
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=DayInput,
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data
