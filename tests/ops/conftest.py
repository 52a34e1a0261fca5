"""Servers the operations tests need: Redis databases 8 (broker) and 3 (cache)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.ci import machine_redis, redis_client
from tests.loopback import free_port
from tests.sources.conftest import gazette  # noqa: F401 - a shared fixture
from tests.test_cli import gazette_site  # noqa: F401 - a shared fixture
from tests.test_scale_e2e import (  # noqa: F401 - shared fixtures
    demo,
    postgres_url,
)
from tests.web.test_pages import article  # noqa: F401 - a shared fixture

REDIS_BROKER = machine_redis(8)
REDIS_CACHE = machine_redis(3)
SERVE_START_SECONDS = 90
SERVE_STOP_SECONDS = 30
CUPURE = [sys.executable, "-m", "cupure"]


def redis_or_fail(url: str) -> None:
    """Skip loudly without Redis; with CI=true fail (a skip is not a pass)."""
    redis_client(url, "OPERATIONS TEST").close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    return free_port()


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path, *options: str) -> Iterator[str]:
    """`cupure serve` (one worker, and ``options``) on a free loopback port until
    the block ends; yields its base URL once it answers."""
    import httpx

    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*CUPURE, "serve", "--port", str(port), "--workers", "1", *options],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVE_START_SECONDS
        while True:
            assert process.poll() is None, log.read_text()
            try:
                httpx.get(base + "/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=SERVE_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
