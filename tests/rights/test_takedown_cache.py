"""A takedown forgets the cached pages (page cache on): in this process's local
memory, and in a shared Redis cache (DB 5) for every process, leaving the cache's
other keys (rate-limit counters…) alone. With CI=true a missing Redis fails."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import Client

from cupure.articles.models import Article
from cupure.rights.cache import PAGE_KEY_MARK
from cupure.rights.services import takedown
from cupure.sources.services import publisher_get_or_create
from tests.ci import fail_or_skip, machine_redis

pytestmark = pytest.mark.django_db

REDIS_URL = machine_redis(5)
PAGES = ["/", "/feeds/latest.json", "/sitemap-articles.xml"]


@pytest.fixture
def page_cache_on(settings) -> None:
    settings.CACHE_MIDDLEWARE_SECONDS = 300
    settings.MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]


@pytest.fixture
def redis_cache(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        message = f"Redis is not reachable at {REDIS_URL} ({error})"
        fail_or_skip(message, skip=f"!!! REDIS TEST NOT RUN: {message} !!!")
    client.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    yield client
    client.flushdb()


def _article() -> Article:
    return Article.objects.create(
        publisher=publisher_get_or_create(name="Gazette"),
        url="https://gazette.example/1",
        canonical_url="https://gazette.example/1",
        title="Zephyrine council reopens the bridge",
        slug="zephyrine",
        published="2026-11-24T08:00:00+00:00",
        summary="The bridge reopened.",
    )


def _take_down_and_look(client: Client, capture) -> list[str]:
    article = _article()
    for path in PAGES:
        assert "zephyrine" in client.get(path).content.decode().lower()
    # Deleted behind the cache's back, the cached pages still show it: the test
    # below can only pass because the takedown forgets them.
    with capture(execute=True):
        takedown(urls=[article.url], reason="r", requested_by="test")
    return [
        path
        for path in PAGES
        if "zephyrine" in client.get(path).content.decode().lower()
    ]


def test_local_memory_pages_are_forgotten(
    page_cache_on, client: Client, django_capture_on_commit_callbacks
) -> None:
    assert _take_down_and_look(client, django_capture_on_commit_callbacks) == []


def test_without_forgetting_the_cache_would_show_it(
    page_cache_on, client: Client, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """The control: with the forgetting switched off, a cached page still shows
    the article (so the tests around this one measure something)."""
    monkeypatch.setattr("cupure.rights.services.forget_cached_pages", lambda: None)
    shown = _take_down_and_look(client, django_capture_on_commit_callbacks)
    assert shown == PAGES


def test_shared_redis_pages_are_forgotten_and_nothing_else(
    page_cache_on, redis_cache, client: Client, django_capture_on_commit_callbacks
) -> None:
    caches["default"].set("login-failures:someone", 3)
    assert _take_down_and_look(client, django_capture_on_commit_callbacks) == []
    assert caches["default"].get("login-failures:someone") == 3
    # The pages were cached in Redis (shared), not in this process.
    assert [k for k in redis_cache.scan_iter() if PAGE_KEY_MARK.encode() in k]
