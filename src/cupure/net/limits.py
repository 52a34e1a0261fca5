"""Per-host concurrency limit: be polite to each publisher however many workers we run.

Within one process (threads). `cupure poll` spreads a host's feeds over at most
MAX_REQUESTS_PER_HOST processes, each polling one feed at a time, so the bound holds
there too. Celery workers on several machines each hold their own limiter, so the
bound there is per worker process; the scheduler spreads feeds of one host over time
as well.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from cupure.net.errors import HostBusy

# Two requests at once to one host is what well-behaved crawlers and browsers' HTTP/2
# multiplexing amount to; more looks like an attack to small publishers.
MAX_REQUESTS_PER_HOST = 2


def host_key(url_or_host: str) -> str:
    """The limiter key: the lower-case host name of a URL (or a bare host name)."""
    if "://" in url_or_host:
        return (urlsplit(url_or_host).hostname or "").lower()
    return url_or_host.lower()


class HostLimiter:
    """At most ``per_host`` concurrent holders of a slot per host name.

    Slots for hosts nobody holds are forgotten, so memory follows current activity,
    not every host ever seen.
    """

    def __init__(self, per_host: int = MAX_REQUESTS_PER_HOST) -> None:
        if per_host < 1:
            raise ValueError(f"per_host must be at least 1, not {per_host}")
        self.per_host = per_host
        self._lock = threading.Lock()
        self._slots: dict[str, tuple[threading.BoundedSemaphore, int]] = {}

    def _enter(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            semaphore, users = self._slots.get(
                key, (threading.BoundedSemaphore(self.per_host), 0)
            )
            self._slots[key] = (semaphore, users + 1)
            return semaphore

    def _leave(self, key: str) -> None:
        with self._lock:
            semaphore, users = self._slots[key]
            if users <= 1:
                del self._slots[key]
            else:
                self._slots[key] = (semaphore, users - 1)

    @contextmanager
    def slot(self, url_or_host: str, *, timeout: float | None = None) -> Iterator[None]:
        """Hold one of the host's slots for the ``with`` block.

        Waits up to ``timeout`` seconds (forever if None) and raises HostBusy if no slot
        came free, so a worker can move on to another host's feed.
        """
        key = host_key(url_or_host)
        semaphore = self._enter(key)
        try:
            if not semaphore.acquire(timeout=timeout):
                raise HostBusy(
                    f"{key} already has {self.per_host} requests in flight; "
                    "try this one later",
                    url=url_or_host,
                )
            try:
                yield
            finally:
                semaphore.release()
        finally:
            self._leave(key)

    def active_hosts(self) -> int:
        """How many hosts have a holder or a waiter now (for metrics and tests)."""
        with self._lock:
            return len(self._slots)
