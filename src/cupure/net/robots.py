"""robots.txt for article pages: fetched through :func:`fetch`, cached per origin.

Feeds are published to be polled, so feed URLs are not checked (as other readers do);
article pages are, before we fetch them. Behaviour follows RFC 9309:

* 2xx: the rules apply (only the first 500 KiB are read);
* 4xx (404, 410, 401, 403…): no usable rules, everything is allowed;
* 5xx, 429, network failure: the site is unreachable, so everything is disallowed
  until we retry (cached for a shorter time);
* a blocked or invalid address is not a robots question: that FetchError propagates.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

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


@dataclass
class _Rules:
    parser: RobotFileParser | None  # None: allow all
    allow_all: bool
    expires: float


class RobotsChecker:
    """Answers "may we fetch this article URL?" for many threads at once."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        fetcher: Fetcher = fetch,
        user_agent: str = ROBOTS_USER_AGENT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._policy = FetchPolicy(
            allow_private=policy.allow_private,
            max_bytes=min(policy.max_bytes, ROBOTS_MAX_BYTES),
            timeout=policy.timeout,
            max_redirects=policy.max_redirects,
            user_agent=policy.user_agent,
            resolver=policy.resolver,
            ca_file=policy.ca_file,
        )
        self._fetch = fetcher
        self._agent = user_agent
        self._clock = clock
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
            return rules.allow_all
        return rules.parser.can_fetch(self._agent, normalised)

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
            if cached is not None and cached.expires > now:
                return cached
            rules = self._load(origin, now)
            with self._lock:
                if len(self._cache) >= ROBOTS_CACHE_MAX_HOSTS:
                    oldest = min(self._cache, key=lambda k: self._cache[k].expires)
                    del self._cache[oldest]
                    self._origin_locks.pop(oldest, None)
                self._cache[origin] = rules
            return rules

    def _load(self, origin: str, now: float) -> _Rules:
        robots_url = f"{origin}/robots.txt"
        try:
            response = self._fetch(robots_url, policy=self._policy, accept="text/plain")
        except (BlockedAddress, InvalidURL):
            raise
        except RateLimited as exc:
            log.info("robots.txt rate limited %s: %s", robots_url, exc)
            return self._unreachable(now)
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500:
                return _Rules(None, True, now + ROBOTS_CACHE_SECONDS)
            log.info("robots.txt unavailable %s: %s", robots_url, exc)
            return self._unreachable(now)
        except FetchError as exc:
            # Too large is the one failure with a body; RFC 9309 says parse what we
            # could read, but we cannot get a prefix through fetch, so treat it as
            # unreachable rather than guess.
            log.info("robots.txt not fetched %s: %s", robots_url, exc)
            return self._unreachable(now)
        parser = RobotFileParser(robots_url)
        text = response.content[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
        parser.parse(text.splitlines())
        return _Rules(parser, True, now + ROBOTS_CACHE_SECONDS)

    def _unreachable(self, now: float) -> _Rules:
        return _Rules(None, False, now + ROBOTS_UNREACHABLE_CACHE_SECONDS)
