"""The search page. The view only validates the form and calls the selector."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .forms import SearchForm
from .selectors import search_articles


def _page_number(raw: str | None) -> int:
    """The ``page`` parameter as a number; anything unreadable is page 1."""
    try:
        return int(raw or 1)
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        page = search_articles(
            query=data["q"],
            publisher=data["publisher"],
            since=data["since"],
            until=data["until"],
            page=_page_number(request.GET.get("page")),
        )
    status = 400 if form.errors else 200
    return render(
        request, "search/search.html", {"form": form, "page": page}, status=status
    )
