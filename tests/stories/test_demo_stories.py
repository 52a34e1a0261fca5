"""`cupure demo` through the real pipeline: every Storm Edda article (originals and
copies) ends in one story, which holds no other event's article (issue #15)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cupure.articles.models import Article
from cupure.cli import ingest_demo_feeds
from cupure.demo.catalog import load_catalog
from cupure.demo.server import DemoPublishers
from cupure.stories.services import story_state_reset

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoPublishers]:
    with DemoPublishers(host="127.0.0.1", port=0) as publishers:
        yield publishers


def test_demo_storm_articles_form_one_story(
    demo: DemoPublishers, allow_loopback: None
) -> None:
    story_state_reset()
    ingest_demo_feeds(demo)
    event_of = {a.headline: a.event for a in load_catalog().articles}
    stories: dict[str, set[int]] = {}
    for title, story_id in Article.objects.values_list("title", "story_id"):
        stories.setdefault(event_of[title], set()).add(story_id)
    storm = stories.pop("storm-edda")
    assert len(storm) == 1
    assert all(storm.isdisjoint(ids) for ids in stories.values())
