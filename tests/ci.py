"""Whether this run is CI, where a missing server fails a test instead of skipping it.

CI services spell the flag differently (GitHub and GitLab set ``CI=true``, others
``CI=1`` or ``CI=True``); every fixture that needs PostgreSQL, Redis or Chromium asks
here, and so does `make test`'s runner (tests/suites.py), so one spelling can never
turn a required run into a silent skip.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

CI_VALUES = frozenset({"true", "1"})
# The Redis server the Celery, cache and scale tests use; `make test` gives its
# PostgreSQL run, which runs beside the SQLite run, a server of its own
# (tests/suites.py), so the two never flush each other's queues.
MACHINE_REDIS = "redis://127.0.0.1:6379"


def machine_redis(db: int) -> str:
    """The URL of database ``db`` of this run's Redis server."""
    return f"{os.environ.get('CUPURE_TEST_REDIS', MACHINE_REDIS)}/{db}"


def in_ci(environ: dict[str, str] | None = None) -> bool:
    """True when ``CI`` is ``true`` (any case) or ``1``."""
    value = (os.environ if environ is None else environ).get("CI", "")
    return value.strip().lower() in CI_VALUES


def fail_or_skip(message: str, *, skip: str | None = None) -> NoReturn:
    """Fail with ``message`` in CI; elsewhere skip, with ``skip`` if given (louder)."""
    if in_ci():
        pytest.fail(f"{message}; CI must run this test, not skip it")
    pytest.skip(skip or message)


def redis_client(url: str, what: str):  # type: ignore[no-untyped-def]
    """A client of the Redis at ``url``, answering; without one the test fails in
    CI and elsewhere skips loudly, naming ``what`` was not run."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        client.close()
        message = f"Redis is not reachable at {url} ({error})"
        fail_or_skip(
            message, skip=f"!!! {what} NOT RUN: {message}; start redis-server !!!"
        )
    return client
