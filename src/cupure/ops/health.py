"""Health probes for load balancers and orchestrators (issue #20, "Operable").

``/healthz`` says the process is up and answering: it touches nothing else, so a
database outage does not make a balancer kill every web process at once.
``/readyz`` says whether this process can serve readers now: the database, the
cache and (when one is configured) the broker each answer, and which did not.

Both are answered by :class:`cupure.ops.middleware.OperationsMiddleware` before the
host check, the HTTPS redirect and the page cache: a balancer probes a backend by
its address, over plain HTTP, and must see the answer of this moment.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

# A check that takes longer than this counts as failed (balancers probe every few
# seconds and give up on a probe after a few more).
CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    """One dependency's answer: ``error`` is the exception's class name, never its
    message (which may name hosts and users; the message goes to the log)."""

    name: str
    ok: bool
    milliseconds: float
    error: str = ""

    def as_json(self) -> dict:
        result: dict = {"ok": self.ok, "ms": round(self.milliseconds, 1)}
        if self.error:
            result["error"] = self.error
        return result


def check_database() -> None:
    """The default database answers a query."""
    from django.db import connections

    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # A broken connection must not be reused by the next request.
        connection.close()
        raise


def check_cache() -> None:
    """The cache stores and returns a value (Redis when CUPURE_CACHE_URL is set)."""
    from django.core.cache import cache

    key = f"readyz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise CacheMismatch("the cache did not return what was stored")
    finally:
        cache.delete(key)


class CacheMismatch(Exception):
    """The cache accepted a value and gave back another (or nothing)."""


def broker_client(url: str):
    """A Redis client for the broker URL, bounded by CHECK_TIMEOUT_SECONDS."""
    import redis

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
    )


def check_broker() -> None:
    """The Celery broker (Redis) answers a ping."""
    client = broker_client(settings.CUPURE_BROKER_URL)
    try:
        client.ping()
    finally:
        client.close()


def _run(name: str, check: Callable[[], None]) -> Check:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:
        elapsed = (time.perf_counter() - started) * 1000
        logger.warning(
            "readiness check failed: %s (%s: %s)",
            name,
            type(error).__name__,
            " ".join(str(error).split())[:300],
        )
        return Check(name, False, elapsed, type(error).__name__)
    return Check(name, True, (time.perf_counter() - started) * 1000)


def readiness() -> list[Check]:
    """Every dependency a reader's request may need, checked now."""
    checks = [("database", check_database), ("cache", check_cache)]
    if settings.CUPURE_BROKER_URL:
        checks.append(("broker", check_broker))
    return [_run(name, check) for name, check in checks]
