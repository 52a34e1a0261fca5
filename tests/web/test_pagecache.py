"""The page cache's fast path (cupure.web.pagecache) in front of Django.

Each test builds the WSGI application the way cupure.wsgi does, with Django's page
cache switched on, and counts the requests that reach Django: a request the fast path
answered never does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory

from cupure.articles.models import Article
from cupure.sources.services import publisher_get_or_create
from cupure.web import pagecache
from cupure.web.pagecache import PageCacheApplication

pytestmark = pytest.mark.django_db

PAGE_CACHE_SECONDS = 30
# Headers whose value depends on the moment of the response, not on the page.
MOMENT_HEADERS = {"Age", "Date"}


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: bytes


class CountingDjango:
    """Django's WSGI handler, counting the requests it is given."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict, start_response: Callable) -> object:
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def page_cache_on(settings: pytest.FixtureRequest) -> None:
    """Production's page cache (the test settings switch it off)."""
    settings.CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
    settings.MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *settings.MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """A request through the WSGI handler closes the database connection when it
    finishes, which would end the test's transaction on PostgreSQL; Django's test
    Client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def django_app(page_cache_on: None, keep_connection: None) -> CountingDjango:
    return CountingDjango()


@pytest.fixture
def app(django_app: CountingDjango) -> Iterator[PageCacheApplication]:
    application = PageCacheApplication(django_app)
    assert application.enabled
    yield application
    application.clear()


@pytest.fixture
def article() -> Article:
    publisher = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    return Article.objects.create(
        publisher=publisher,
        url="https://gazette.example/news/bridge",
        canonical_url="https://gazette.example/news/bridge",
        title="Harbour bridge reopens after repairs",
        slug="harbour-bridge-reopens-after-repairs",
        published=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        site_name="The Test Gazette",
        summary="The old harbour bridge reopened.",
        paragraphs=["First paragraph."],
    )


def call(app: Callable, method: str = "GET", path: str = "/", **headers: str) -> Answer:
    """One request through the WSGI application, as a server would make it."""
    environ = RequestFactory().generic(method, path, **headers).environ
    started: list = []

    def start_response(status: str, response_headers: list) -> None:
        started.append((status, response_headers))

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    status, response_headers = started[0]
    return Answer(status, dict(response_headers), body)


def same_page(a: Answer, b: Answer) -> bool:
    def steady(headers: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k not in MOMENT_HEADERS}

    return a.status == b.status and steady(a.headers) == steady(b.headers)


def test_a_hit_is_answered_without_django_with_djangos_headers_and_body(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    first = call(app)
    assert first.status == "200 OK"
    assert django_app.calls == 1
    Article.objects.filter(pk=article.pk).update(title="A changed headline")

    hit = call(app)
    again = call(app)
    # Django's own cache middleware, asked directly, answers the same page.
    django_hit = call(django_app.handler)

    assert django_app.calls == 1, "the hits reached Django"
    assert hit.body == first.body == django_hit.body
    assert b"Harbour bridge reopens" in hit.body
    assert b"A changed headline" not in hit.body
    assert same_page(hit, django_hit), (hit.headers, django_hit.headers)
    assert "Age" in hit.headers and "Age" in django_hit.headers
    assert again.body == hit.body
    for name in (
        "Content-Type",
        "Content-Length",
        "Content-Security-Policy",
        "X-Frame-Options",
        "Cache-Control",
        "Expires",
        "Vary",
    ):
        assert hit.headers[name] == first.headers[name], name
    assert hit.headers["Cache-Control"] == f"max-age={PAGE_CACHE_SECONDS}"
    assert hit.headers["Content-Length"] == str(len(hit.body))


def test_head_answers_the_headers_without_the_body(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    get = call(app)

    head = call(app, "HEAD")

    assert django_app.calls == 1
    assert head.status == "200 OK"
    assert head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body))
    assert same_page(head, get)


def test_a_signed_in_reader_is_never_served_a_cached_page(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    reader = get_user_model().objects.create_user(
        username="mara", password="a long enough password"
    )
    anonymous = call(app)
    assert call(app).body == anonymous.body  # now held by this process too
    browser = Client()
    browser.force_login(reader)
    session = f"sessionid={browser.cookies['sessionid'].value}"

    signed_in = call(app, HTTP_COOKIE=session)
    # Django's page cache keys on the Cookie header: it stores the reader's own page
    # (with the CSRF cookie it set) for that reader only.
    csrf = signed_in.headers["Set-Cookie"].split(";")[0]
    signed_in_again = call(app, HTTP_COOKIE=f"{session}; {csrf}")
    anonymous_again = call(app)

    signed_in_as = b'Signed in as <a href="/accounts/">mara</a>'
    assert signed_in_as in signed_in.body
    assert signed_in_as in signed_in_again.body
    assert b"Signed in as" not in anonymous.body
    assert anonymous_again.body == anonymous.body
    # The anonymous page was a hit; each signed-in view went to Django.
    assert django_app.calls == 3


def test_a_reader_with_any_cookie_goes_to_django(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    call(app)
    call(app)  # now held by this process too
    call(app, HTTP_COOKIE="csrftoken=abc")
    call(app, HTTP_AUTHORIZATION="Basic bWFyYTpzZWNyZXQ=")
    assert django_app.calls == 3


def test_post_is_never_answered_from_the_cache(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    cached = call(app)

    posted = call(app, "POST", "/")
    posted_again = call(app, "POST", "/")

    assert django_app.calls == 3
    assert not posted.status.startswith("200")
    assert posted.body != cached.body
    assert posted_again.status == posted.status


def test_each_url_and_query_has_its_own_page(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    home = call(app)
    article_page = call(app, path=article.get_absolute_url())
    search_a = call(app, path="/search/?q=harbour")
    search_b = call(app, path="/search/?q=bridge")
    assert django_app.calls == 4

    assert call(app).body == home.body
    assert call(app, path=article.get_absolute_url()).body == article_page.body
    assert call(app, path="/search/?q=harbour").body == search_a.body
    assert call(app, path="/search/?q=bridge").body == search_b.body
    assert django_app.calls == 4
    assert len({home.body, article_page.body, search_a.body, search_b.body}) == 4


def test_a_page_the_cache_may_not_hold_always_goes_to_django(
    app: PageCacheApplication, django_app: CountingDjango
) -> None:
    """A 404 is not stored by Django's page cache, so never answered before it."""
    first = call(app, path="/articles/999999/none/")
    second = call(app, path="/articles/999999/none/")
    assert first.status.startswith("404") and second.status.startswith("404")
    assert django_app.calls == 2


def test_a_host_django_refuses_is_refused_by_django(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    call(app)
    refused = call(app, HTTP_HOST="evil.example")
    assert refused.status.startswith("400")
    assert django_app.calls == 2


def test_pages_expire_after_the_page_cache_time(
    page_cache_on: None,
    keep_connection: None,
    article: Article,
    settings: pytest.FixtureRequest,
) -> None:
    """CUPURE_PAGE_CACHE_SECONDS still bounds a page's age: the local copy is not
    kept past the Expires Django set (here one second)."""
    settings.CACHE_MIDDLEWARE_SECONDS = 1
    django_app = CountingDjango()
    fresh = PageCacheApplication(django_app)
    call(fresh)
    Article.objects.filter(pk=article.pk).update(title="A changed headline")
    assert b"Harbour bridge" in call(fresh).body
    assert django_app.calls == 1

    time.sleep(1.5)

    assert b"A changed headline" in call(fresh).body
    assert django_app.calls == 2


def test_the_local_copy_is_checked_against_the_shared_cache_within_seconds(
    app: PageCacheApplication,
    django_app: CountingDjango,
    article: Article,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page removed from the shared cache (cleared, or by another process) is
    served from a process's memory at most LOCAL_SECONDS longer."""
    clock = SimpleNamespace(monotonic=time.monotonic, time=time.time)
    monkeypatch.setattr(pagecache, "time", clock)
    call(app)  # rendered by Django, stored in the shared cache
    call(app)  # copied into this process
    Article.objects.filter(pk=article.pk).update(title="A changed headline")
    cache.clear()

    assert b"Harbour bridge" in call(app).body
    now = time.monotonic()
    clock.monotonic = lambda: now + pagecache.LOCAL_SECONDS + 0.1

    assert b"A changed headline" in call(app).body
    assert django_app.calls == 2


def test_the_local_copies_stay_within_their_byte_budget(
    app: PageCacheApplication,
    django_app: CountingDjango,
    article: Article,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = call(app)
    monkeypatch.setattr(pagecache, "LOCAL_MAX_BYTES", len(home.body) * 2)
    for query in range(5):
        call(app, path=f"/?page={query}")
        call(app, path=f"/?page={query}")
    assert app._bytes <= pagecache.LOCAL_MAX_BYTES
    assert 1 <= len(app._entries) <= 2
    # Evicted pages are still answered, from the shared cache.
    assert call(app, path="/?page=0").status == "200 OK"


def test_without_the_page_cache_every_request_goes_to_django(
    article: Article, keep_connection: None
) -> None:
    django_app = CountingDjango()
    app = PageCacheApplication(django_app)
    assert not app.enabled
    call(app)
    call(app)
    assert django_app.calls == 2


def test_gzipped_and_plain_copies_are_both_served_from_the_fast_path(
    app: PageCacheApplication, django_app: CountingDjango, article: Article
) -> None:
    """Browsers accept gzip, tools often do not: each gets its own copy, and
    asking in turn does not make them replace each other (issue #20)."""
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
    packed, plain = call(app, **gzip), call(app)
    assert django_app.calls == 2

    for _ in range(3):
        again_packed, again_plain = call(app, **gzip), call(app)
        assert again_packed.body == packed.body
        assert again_plain.body == plain.body

    assert django_app.calls == 2
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert len(app._entries) == 2
