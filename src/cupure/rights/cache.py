"""Forgetting cached pages after a takedown (Django's page cache, the site chrome).

Django's page cache has no "delete by URL" that knows every host and query string a
page was cached under, so every cached page is forgotten: takedowns are rare, and
the pages are rebuilt on their next view. What is reachable depends on the cache:
Redis (CUPURE_CACHE_URL) is shared, so every server process loses the pages at
once; local memory belongs to one process, so only this process's copies go, and
the other processes' expire within CUPURE_PAGE_CACHE_SECONDS (the chrome within
SITE_CHROME_CACHE_SECONDS). The page cache's own fast path (cupure.web.pagecache)
keeps a page at most LOCAL_SECONDS more.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger(__name__)

# Keys Django's page cache writes (django.utils.cache: cache_page / cache_header).
PAGE_KEY_MARK = "views.decorators.cache.cache_"
# The site chrome (cupure.web.context_processors): story titles and topics.
CHROME_KEYS = ("web:breaking-stories", "web:trending-topics")


def page_cache_forget() -> int:
    """Delete every cached page and the chrome; return how many keys went."""
    cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    removed = 0
    try:
        client = getattr(cache, "_cache", None)
        if hasattr(client, "get_client"):  # django.core.cache.backends.redis
            redis = client.get_client(write=True)
            keys = list(redis.scan_iter(match=f"*{PAGE_KEY_MARK}*", count=1000))
            if keys:
                removed = redis.delete(*keys)
        elif isinstance(client, dict):  # LocMemCache: this process's own
            keys = [key for key in list(client) if PAGE_KEY_MARK in key]
            with cache._lock:
                for key in keys:
                    client.pop(key, None)
                    cache._expire_info.pop(key, None)
            removed = len(keys)
        cache.delete_many(list(CHROME_KEYS))
    except Exception:
        # A cache that cannot be reached loses nothing: its pages expire anyway.
        log.exception("cached pages not forgotten; they expire on their own")
    return removed
