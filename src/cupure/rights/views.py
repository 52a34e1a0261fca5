"""The page a taken-down article's URL answers: 410 Gone with a short notice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Takedown


def article_gone(request: HttpRequest, article_id: int) -> HttpResponse | None:
    """410 Gone when article ``article_id`` was taken down (and not restored under
    the same id), else None. The notice names neither the headline nor the reason:
    either may be what had to go."""
    tombstone = (
        Takedown.objects.filter(article_id=article_id, undone_at__isnull=True)
        .only("created_at")
        .first()
    )
    if tombstone is None:
        return None
    return render(
        request, "rights/gone.html", {"removed_at": tombstone.created_at}, status=410
    )
