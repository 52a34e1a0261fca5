from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.harness import browser, page  # noqa: F401 - shared fixtures
from tests.loopback import LoopbackSite


@pytest.fixture
def loopback_site() -> Iterator[LoopbackSite]:
    """An empty loopback site; tests add pages to ``site.pages``."""
    with LoopbackSite() as site:
        yield site


@pytest.fixture
def allow_loopback(settings: pytest.FixtureRequest) -> None:
    """Let the fetcher reach 127.0.0.1, where test servers live (nothing else)."""
    settings.CUPURE_FETCH_ALLOW_PRIVATE = "127.0.0.1/32"


@pytest.fixture(autouse=True)
def _fresh_story_state() -> Iterator[None]:
    """Each test's database starts empty, so in-memory state and caches must too."""
    from django.core.cache import cache

    from cupure.stories.services import story_state_reset
    from cupure.trends.services import topic_state_reset

    story_state_reset()
    topic_state_reset()
    cache.clear()
    yield
    story_state_reset()
    topic_state_reset()
    cache.clear()
