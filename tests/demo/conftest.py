"""Fixtures for the demo publishers: one loopback server per test module."""

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from cupure.demo.server import DemoPublishers

# A fixed "now" so every expected date in these tests can be computed exactly.
NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def publishers() -> Iterator[DemoPublishers]:
    with DemoPublishers(port=0, now=NOW) as running:
        yield running


@pytest.fixture(scope="module")
def http(publishers: DemoPublishers) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=publishers.base_url, timeout=10) as session:
        yield session
