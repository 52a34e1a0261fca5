"""Fixtures of the fault suite."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ci import fail_or_skip
from tests.redis_server import ThrowawayRedis


@pytest.fixture
def throwaway_redis(tmp_path: Path) -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        fail_or_skip("redis-server is not installed")
    server = ThrowawayRedis(tmp_path)
    yield server
    server.stop()
