"""The page cache's hit path, in front of Django (issue #9, "Pages").

Django's page cache (UpdateCacheMiddleware / FetchFromCacheMiddleware, switched on by
CUPURE_PAGE_CACHE_SECONDS) decides what may be cached and stores it, but a hit still
costs a whole request cycle: a request object, every middleware on the way in and
out, a cache read that unpickles the response (about 0.6 ms of CPU for the home
page). That is several times what the server itself spends on a request, so cached
pages were bounded by Django, not by the cache. :class:`PageCacheApplication` wraps
the WSGI application and answers a hit before Django sees it, from a small
per-process dictionary of ready status, header and body bytes (about 8 µs a hit),
filled from Django's own cache entries (keys from Django's ``get_cache_key``, so
the shared cache, Redis at scale, stays the one truth).

What may take the fast path, and why that is safe:

* only GET and HEAD (a POST, a form, never reads a stored page);
* only requests without a Cookie or Authorization header: anonymous readers who
  have nothing personal. A signed-in reader (session cookie), a reader with a
  pending message or a CSRF cookie goes through Django, whose page cache keys on the
  Cookie header as before;
* only entries Django itself stored for this URL, with status 200, no Set-Cookie,
  and the same values of every header their Vary names as this request;
* an entry is kept at most LOCAL_SECONDS, and never past the Expires Django set when
  it stored the page: a page is never older than CUPURE_PAGE_CACHE_SECONDS.

Everything else (a miss, a host Django refuses, the cache unreachable) goes to
Django unchanged: the fast path may only answer what Django would have answered
from its cache, with the same headers (and the Age header Django adds to a hit).

A process keeps one copy per URL and Accept-Encoding: pages are gzipped for readers
who accept it (cupure.web.middleware.CompressAnonymousPagesMiddleware, so they vary
on it), and browsers, crawlers and tools ask differently. Django also keys pages on
the active language and time zone; cupure activates neither per request, and a
middleware that did so from a header would name it in Vary. Should pages vary on
another header anonymous readers send differently, their copies would replace each
other: still correct, only slower.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.utils.cache import cc_delim_re, get_cache_key, get_max_age
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

# A process serves a page from its own memory this long at most before asking the
# shared cache again: short enough that clearing the shared cache (or a newer copy
# stored by another process) is seen within it, long enough that a busy page costs
# one shared-cache read every couple of seconds per process instead of one a hit.
LOCAL_SECONDS = 2.0
# The bytes of bodies a process keeps (the hot pages are tens of KB each): bounded,
# so a crawler walking every article cannot grow a worker without limit.
LOCAL_MAX_BYTES = 32 * 1024 * 1024
# Bodies larger than this are not kept locally (they would push out many pages).
LOCAL_MAX_BODY_BYTES = 1024 * 1024
CACHE_MIDDLEWARE = (
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
)
FAST_METHODS = frozenset({"GET", "HEAD"})
# What Django's cache key (the request's absolute URI) is made of, as WSGI gives it.
# SCRIPT_URL and REDIRECT_URL change the script name under Apache's mod_rewrite.
URL_ENVIRON = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "SCRIPT_URL",
    "REDIRECT_URL",
    "PATH_INFO",
    "QUERY_STRING",
)

StartResponse = Callable[..., object]


class _Entry(NamedTuple):
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    # time.monotonic() after which the entry is not used.
    fresh_until: float
    # (environ name, value) of each header the response varies on.
    vary: tuple[tuple[str, str], ...]
    # For the Age header: the max-age Django set and its Expires, in epoch seconds.
    max_age: int | None
    expires: int | None


def page_cache_enabled() -> bool:
    """Whether Django's page cache middleware is on (cupure.settings.base)."""
    return settings.CACHE_MIDDLEWARE_SECONDS > 0 and all(
        name in settings.MIDDLEWARE for name in CACHE_MIDDLEWARE
    )


def url_environ_names() -> tuple[str, ...]:
    """The environ keys that decide the absolute URI Django builds for a request:
    the proxy headers only when the settings make Django trust them."""
    names = list(URL_ENVIRON)
    if settings.USE_X_FORWARDED_HOST:
        names.append("HTTP_X_FORWARDED_HOST")
    if settings.USE_X_FORWARDED_PORT:
        names.append("HTTP_X_FORWARDED_PORT")
    if settings.SECURE_PROXY_SSL_HEADER:
        names.append(settings.SECURE_PROXY_SSL_HEADER[0])
    return tuple(names)


class PageCacheApplication:
    """WSGI middleware: cached pages for anonymous readers without Django's cycle.

    A no-op wrapper when the page cache is off (CUPURE_PAGE_CACHE_SECONDS=0)."""

    def __init__(self, application: Callable[[dict, StartResponse], Iterable[bytes]]):
        self.application = application
        self.enabled = page_cache_enabled()
        self.key_prefix = settings.CACHE_MIDDLEWARE_KEY_PREFIX
        self.cache_alias = settings.CACHE_MIDDLEWARE_ALIAS
        self.url_names = url_environ_names()
        # Gzipped and plain copies of a page are kept side by side.
        self.key_names = (*self.url_names, "HTTP_ACCEPT_ENCODING")
        self._entries: dict[tuple, _Entry] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if (
            self.enabled
            and environ.get("REQUEST_METHOD") in FAST_METHODS
            and not environ.get("HTTP_COOKIE")
            and not environ.get("HTTP_AUTHORIZATION")
        ):
            key = tuple([environ.get(name, "") for name in self.key_names])
            entry = self._entries.get(key)
            if (
                entry is None
                or entry.fresh_until <= time.monotonic()
                or not _vary_matches(entry, environ)
            ):
                entry = self._fill(key, environ)
            if entry is not None:
                return self._serve(entry, environ, start_response)
        return self.application(environ, start_response)

    def clear(self) -> None:
        """Forget every page this process holds (tests; the shared cache stays)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    # --- internals ---

    def _serve(
        self, entry: _Entry, environ: dict, start_response: StartResponse
    ) -> Iterable[bytes]:
        headers = entry.headers
        if entry.max_age is not None and entry.expires is not None:
            # As FetchFromCacheMiddleware does on a hit: how old the copy is.
            remaining = entry.expires - int(time.time())
            headers = [*headers, ("Age", str(max(0, entry.max_age - remaining)))]
        start_response(entry.status, headers)
        # HEAD: the same headers (Content-Length of the page), no body.
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _fill(self, key: tuple, environ: dict) -> _Entry | None:
        """The page Django's cache holds for this request, kept locally; None when
        Django must answer (nothing stored, a host it refuses, the cache failing)."""
        cache = caches[self.cache_alias]
        try:
            # A copy: WSGIRequest rewrites PATH_INFO and SCRIPT_NAME in the dict
            # it is given, and Django must later read them as the server set them.
            request = WSGIRequest(dict(environ))
            cache_key = get_cache_key(request, self.key_prefix, "GET", cache=cache)
            response = cache.get(cache_key) if cache_key else None
        except DisallowedHost:
            return None  # Django answers 400 and logs it.
        except Exception:
            # Django's own cache middleware will meet the same failure and report it
            # the way the site reports errors; this path only must not hide pages.
            logger.warning("page cache read failed; Django answers", exc_info=True)
            return None
        if (
            response is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
        ):
            return None
        expires = parse_http_date_safe(response.get("Expires", ""))
        if expires is None:
            return None
        remaining = expires - time.time()
        if remaining <= 0:
            return None
        # The headers the page varies on, as environ keys (as learn_cache_key names
        # them, Accept-Language included: stricter than Django, never looser).
        vary_names = [
            "HTTP_" + header.upper().replace("-", "_")
            for header in cc_delim_re.split(response.get("Vary", ""))
            if header
        ]
        body = response.content
        entry = _Entry(
            status=f"{response.status_code} {response.reason_phrase}",
            headers=[(k, v) for k, v in response.items() if k.lower() != "age"],
            body=body,
            fresh_until=time.monotonic() + min(LOCAL_SECONDS, remaining),
            vary=tuple((name, environ.get(name) or "") for name in vary_names),
            max_age=get_max_age(response),
            expires=expires,
        )
        if len(body) <= LOCAL_MAX_BODY_BYTES:
            self._keep(key, entry)
        return entry

    def _keep(self, key: tuple, entry: _Entry) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            if self._bytes + len(entry.body) > LOCAL_MAX_BYTES:
                self._evict(len(entry.body))
            self._entries[key] = entry
            self._bytes += len(entry.body)

    def _evict(self, room: int) -> None:
        """Drop stale entries, then the oldest stored, until ``room`` bytes fit."""
        now = time.monotonic()
        for key, entry in list(self._entries.items()):
            if entry.fresh_until <= now:
                del self._entries[key]
                self._bytes -= len(entry.body)
        for key in list(self._entries):
            if self._bytes + room <= LOCAL_MAX_BYTES:
                break
            self._bytes -= len(self._entries.pop(key).body)


def _vary_matches(entry: _Entry, environ: dict) -> bool:
    return all((environ.get(name) or "") == value for name, value in entry.vary)
