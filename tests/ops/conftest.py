"""Servers the operations tests need: Redis databases 8 (broker) and 3 (cache)."""

from __future__ import annotations

import socket

from tests.ci import fail_or_skip
from tests.test_scale_e2e import demo, postgres_url  # noqa: F401 - shared fixtures
from tests.web.test_pages import article  # noqa: F401 - a shared fixture

REDIS_BROKER = "redis://127.0.0.1:6379/8"
REDIS_CACHE = "redis://127.0.0.1:6379/3"


def redis_or_fail(url: str) -> None:
    """Skip loudly without Redis; with CI=true fail (a skip is not a pass)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        message = f"Redis is not reachable at {url} ({error})"
        fail_or_skip(
            message,
            skip=f"!!! OPERATIONS TEST NOT RUN: {message}; start redis-server !!!",
        )
    finally:
        client.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
