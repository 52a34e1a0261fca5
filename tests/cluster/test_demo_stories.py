"""The demo's events cluster into their stories whatever order the articles
arrive in (issue #15: the Storm Edda flood article joined one story or another
depending on feed order, and once split the story stayed split).

Pure: the demo catalog through the story clusterer with the real semantic word
vectors (``cupure.text.semantic``, from the installed model package)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from cupure.cluster.stories import StoryClusterer, StoryDoc, final_story_ids
from cupure.demo.catalog import load_catalog
from cupure.text.semantic import semantic_vectors

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def _cluster(order_seed: int | None, *, reverse: bool = False) -> dict[str, set[int]]:
    """Event id -> the final stories of its original articles (copies of wire
    articles are placed by copy detection, not by the clusterer)."""
    articles = [a for a in load_catalog().articles if a.syndicated_from is None]
    articles.sort(key=lambda a: (-a.hours_ago, a.key))  # publication order
    if reverse:
        articles.reverse()
    if order_seed is not None:
        random.Random(order_seed).shuffle(articles)
    clusterer = StoryClusterer(semantic=semantic_vectors())
    assignments = [
        clusterer.assign(
            StoryDoc(
                doc_id=i,
                title=article.headline,
                text="\n\n".join([article.summary, *article.paragraphs]),
                published=NOW - timedelta(hours=article.hours_ago),
                source=article.publisher,
            )
        )
        for i, article in enumerate(articles)
    ]
    stories: dict[str, set[int]] = defaultdict(set)
    for article, story in zip(articles, final_story_ids(assignments), strict=True):
        stories[article.event].add(story)
    return stories


@pytest.mark.parametrize(
    ("order_seed", "reverse"),
    [(None, False), (None, True), (1, False), (2, False), (3, False), (4, False)],
)
def test_storm_edda_is_one_story_in_any_arrival_order(
    order_seed: int | None, reverse: bool
) -> None:
    """Every Storm Edda article ends in one story, in publication order, in
    reverse and in shuffled orders, and no other event's article is in it."""
    stories = _cluster(order_seed, reverse=reverse)
    storm = stories["storm-edda"]
    assert len(storm) == 1
    others = {s for event, ids in stories.items() if event != "storm-edda" for s in ids}
    assert storm.isdisjoint(others)
