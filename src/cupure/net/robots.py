"""robots.txt for article pages: fetched through :func:`fetch`, read as RFC 9309 says.

Feeds are published to be polled, so feed URLs are not checked (as other readers do);
article pages are, before we fetch them. Behaviour follows RFC 9309:

* 2xx: the rules apply, read by Protego (Scrapy's parser): the group of our product
  token, else ``*``; the longest matching rule wins and ``Allow`` wins a tie with an
  equally long ``Disallow`` (§2.2.2; the standard library's parser takes the first
  match instead); only the first 500 KiB are parsed (§2.5), a larger file is cut;
* 4xx (404, 410, 401, 403…): no usable rules, everything is allowed (§2.3.1.3);
* 5xx, 429, network failure: the site is unreachable, so everything is disallowed
  until we retry, ROBOTS_UNREACHABLE_CACHE_SECONDS later (§2.3.1.4);
* a blocked or invalid address is not a robots question: that FetchError propagates.

A robots.txt is used for at most 24 hours (§2.4). Each process keeps what it read,
and a :class:`RobotsStore` (the database, see ``cupure.rights``) shares it between
processes and machines, so a site is asked once a day however many pollers run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from cupure.net.errors import (
    BlockedAddress,
    FetchError,
    HTTPStatusError,
    InvalidURL,
    RateLimited,
    RobotsDisallowed,
)
from cupure.net.fetch import FetchPolicy, FetchResponse, fetch, validate_url

log = logging.getLogger(__name__)

# RFC 9309 §2.5: crawlers must read at least 500 KiB; more is never needed.
ROBOTS_MAX_BYTES = 500 * 1024
# RFC 9309 §2.4: do not use a cached robots.txt for more than 24 hours.
ROBOTS_CACHE_SECONDS = 24 * 3600.0
# An unreachable robots.txt disallows everything; ask again soon, not a day later.
ROBOTS_UNREACHABLE_CACHE_SECONDS = 15 * 60.0
# Hosts remembered at once; the oldest entry is dropped beyond this.
ROBOTS_CACHE_MAX_HOSTS = 5000
# The product token robots.txt groups are matched against (RFC 9309 §2.2.1).
ROBOTS_USER_AGENT = "cupure"

Fetcher = Callable[..., FetchResponse]


@dataclass(frozen=True)
class RobotsRecord:
    """What one origin's robots.txt said, as stored and shared.

    ``body`` is the text to parse (None: no rules, then ``allow_all`` decides);
    ``expires_at`` is wall-clock epoch seconds (shared across machines); ``note``
    says why ("200", "404: everything allowed", "unreachable: …").
    """

    origin: str
    body: str | None
    allow_all: bool
    expires_at: float
    note: str = ""


class RobotsStore(Protocol):
    """Somewhere every process can read and write robots records."""

    def load(self, origin: str) -> RobotsRecord | None: ...

    def save(self, record: RobotsRecord) -> None: ...


@dataclass
class _Rules:
    record: RobotsRecord
    parser: Protego | None  # None: allow_all decides


class RobotsChecker:
    """Answers "may we fetch this article URL?" for many threads at once."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        fetcher: Fetcher = fetch,
        user_agent: str = ROBOTS_USER_AGENT,
        clock: Callable[[], float] = time.time,
        store: RobotsStore | None = None,
    ) -> None:
        self._policy = FetchPolicy(
            allow_private=policy.allow_private,
            max_bytes=min(policy.max_bytes, ROBOTS_MAX_BYTES),
            timeout=policy.timeout,
            max_redirects=policy.max_redirects,
            user_agent=policy.user_agent,
            resolver=policy.resolver,
            ca_file=policy.ca_file,
            truncate=True,
        )
        self._fetch = fetcher
        self._agent = user_agent
        self._clock = clock
        self._store = store
        self._cache: dict[str, _Rules] = {}
        self._lock = threading.Lock()
        # One lock per origin so two threads don't fetch the same robots.txt at once.
        self._origin_locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (may raise InvalidURL)."""
        normalised = validate_url(url, policy=self._policy)
        parts = urlsplit(normalised)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._rules_for(origin)
        if rules.parser is None:
            return rules.record.allow_all
        return bool(rules.parser.can_fetch(normalised, self._agent))

    def check(self, url: str) -> None:
        """Raise RobotsDisallowed (with the reason) unless ``url`` may be fetched."""
        if not self.allowed(url):
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
            raise RobotsDisallowed(
                f"{origin}/robots.txt asks crawlers not to fetch {url}; the entry is "
                "kept with its feed summary only",
                url=url,
            )

    def _rules_for(self, origin: str) -> _Rules:
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            now = self._clock()
            with self._lock:
                cached = self._cache.get(origin)
            if cached is not None and cached.record.expires_at > now:
                return cached
            record = self._stored(origin, now) or self._load(origin, now)
            rules = _Rules(record, _parse(record.body))
            with self._lock:
                if len(self._cache) >= ROBOTS_CACHE_MAX_HOSTS:
                    oldest = min(
                        self._cache, key=lambda k: self._cache[k].record.expires_at
                    )
                    del self._cache[oldest]
                    self._origin_locks.pop(oldest, None)
                self._cache[origin] = rules
            return rules

    def _stored(self, origin: str, now: float) -> RobotsRecord | None:
        """Another process's fresh record, if the store has one (a store that
        fails is skipped: robots.txt is fetched again, nothing is lost)."""
        if self._store is None:
            return None
        try:
            record = self._store.load(origin)
        except Exception:
            log.exception("robots store unreadable for %s", origin)
            return None
        if record is None or record.expires_at <= now:
            return None
        return record

    def _load(self, origin: str, now: float) -> RobotsRecord:
        record = self._fetch_record(origin, now)
        if self._store is not None:
            try:
                self._store.save(record)
            except Exception:
                log.exception("robots store not written for %s", origin)
        return record

    def _fetch_record(self, origin: str, now: float) -> RobotsRecord:
        robots_url = f"{origin}/robots.txt"
        try:
            response = self._fetch(robots_url, policy=self._policy, accept="text/plain")
        except (BlockedAddress, InvalidURL):
            raise
        except RateLimited as exc:
            log.info("robots.txt rate limited %s: %s", robots_url, exc)
            return self._unreachable(origin, now, f"{exc.status}: unreachable")
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                return RobotsRecord(
                    origin,
                    None,
                    True,
                    now + ROBOTS_CACHE_SECONDS,
                    f"{exc.status}: no rules, everything allowed",
                )
            log.info("robots.txt unavailable %s: %s", robots_url, exc)
            return self._unreachable(origin, now, f"{exc.status}: unreachable")
        except FetchError as exc:
            log.info("robots.txt not fetched %s: %s", robots_url, exc)
            return self._unreachable(origin, now, f"unreachable: {exc}")
        text = response.content[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        return RobotsRecord(
            origin, text, True, now + ROBOTS_CACHE_SECONDS, str(response.status)
        )

    def _unreachable(self, origin: str, now: float, note: str) -> RobotsRecord:
        return RobotsRecord(
            origin, None, False, now + ROBOTS_UNREACHABLE_CACHE_SECONDS, note
        )


def _parse(body: str | None) -> Protego | None:
    if body is None:
        return None
    return Protego.parse(body)
