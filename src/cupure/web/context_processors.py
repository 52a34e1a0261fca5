"""What every page shows around its content: trending topics and breaking news."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cupure.search.forms import printable
from cupure.search.query import MAX_QUERY_CHARS
from cupure.stories.selectors import story_list_breaking
from cupure.trends.selectors import topic_list_trending_current

# The nav and the strip may lag the news by this much; computing them on every page
# view would cost a trend computation and two story queries each time.
SITE_CHROME_CACHE_SECONDS = 60


def _breaking() -> list:
    return cache.get_or_set(
        "web:breaking-stories", story_list_breaking, SITE_CHROME_CACHE_SECONDS
    )


def trending_topics_cached() -> list:
    """The nav's trending topics, computed at most once a minute (per cache)."""
    return cache.get_or_set(
        "web:trending-topics", topic_list_trending_current, SITE_CHROME_CACHE_SECONDS
    )


def site_chrome(request: HttpRequest) -> dict:
    return {
        "breaking_stories": SimpleLazyObject(_breaking),
        "trending_topics": SimpleLazyObject(trending_topics_cached),
        "demo_mode": settings.CUPURE_DEMO,
        # The header's search box shows the query, as much as a search reads of it.
        "search_query": printable(request.GET.get("q", ""))[:MAX_QUERY_CHARS],
    }
