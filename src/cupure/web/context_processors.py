"""What every page shows around its content: the breaking-news strip."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cupure.stories.selectors import story_list_breaking

# The strip may lag the news by this much; it saves two queries on every page view.
BREAKING_CACHE_SECONDS = 60


def _breaking() -> list:
    return cache.get_or_set(
        "web:breaking-stories", story_list_breaking, BREAKING_CACHE_SECONDS
    )


def site_chrome(request: HttpRequest) -> dict:
    return {"breaking_stories": SimpleLazyObject(_breaking)}
