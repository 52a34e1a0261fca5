"""Semantic similarity and healing in cupure.cluster.stories (issue #15).

The semantic part is tested with a small hand-made word-vector table (the
clusterer takes any object with ``dimensions`` and ``encode``), so the expected
outcome is known; the real distilled vectors are exercised by
``test_demo_stories.py`` and by ``tests/text/test_semantic.py``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from cupure.cluster.stories import StoryClusterer, StoryDoc

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
BRIDGE = "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel"

# Words of one meaning share a direction: "strike"/"walkout", "dockers"/"port".
_MEANINGS = {
    "strike": 0,
    "walkout": 0,
    "dockers": 1,
    "port": 1,
    "harbour": 1,
    "pay": 2,
    "wage": 2,
    "deal": 3,
    "agreement": 3,
    "orchestra": 4,
    "symphony": 4,
    "premiere": 5,
    "concert": 5,
}


class WordVectors:
    """Stand-in for cupure.text.semantic.SemanticVectors: one unit axis per
    meaning; unknown words have no vector."""

    dimensions = 8

    def encode(self, weights: Mapping[str, float]) -> Any:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        for word, weight in weights.items():
            axis = _MEANINGS.get(word)
            if axis is not None:
                vector[axis] += weight
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


def doc(i: int, title: str, hours: float = 0.0, text: str = "") -> StoryDoc:
    return StoryDoc(i, title, text, T0 + timedelta(hours=hours), f"paper{i}")


def test_headlines_in_other_words_join_with_semantic_vectors_only() -> None:
    """Two headlines of one event that share no word ("Port strike ends after
    pay deal" / "Dockers agreement on wage walkout") are one story with word
    vectors and two without; an unrelated headline stays apart either way."""
    headlines = [
        doc(1, "Port strike ends after pay deal"),
        doc(2, "Dockers agreement on wage walkout", 1),
        doc(3, "Orchestra premiere of new symphony", 2),
    ]
    plain = StoryClusterer()
    first, second, other = (plain.assign(d) for d in headlines)
    assert second.story_id != first.story_id

    semantic = StoryClusterer(semantic=WordVectors())
    first, second, other = (semantic.assign(d) for d in headlines)
    assert second.story_id == first.story_id
    assert not second.created
    assert other.created and other.story_id != first.story_id


def test_semantic_share_shrinks_for_long_texts() -> None:
    """A long article sharing only meaning, not words, with a story does not
    join it: full texts are judged mostly by TF-IDF."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Port strike ends after pay deal"))
    filler = " ".join(f"Word{i} item{i}" for i in range(60))
    long_text = clusterer.assign(
        doc(2, "Dockers agreement on wage walkout", 1, text=filler)
    )
    assert long_text.created


def _split_then_bridge(**settings: Any) -> list[Any]:
    clusterer = StoryClusterer(**settings)
    return [
        clusterer.assign(doc(1, "Alpha Bravo Charlie Delta")),
        clusterer.assign(doc(2, "Echo Foxtrot Golf Hotel", 1)),
        clusterer.assign(
            doc(3, "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel", 2)
        ),
    ], clusterer


def test_a_later_article_heals_a_split_story() -> None:
    """Two reports that share nothing start two stories; a third that covers
    both joins one and merges the other into it: ``merged`` names the absorbed
    story, which is no longer open, and the survivor holds all three."""
    (first, second, bridge), clusterer = _split_then_bridge()
    assert first.created and second.created
    assert not bridge.created
    assert len(bridge.merged) == 1
    assert {bridge.story_id, *bridge.merged} == {first.story_id, second.story_id}
    assert clusterer.story_size(bridge.story_id) == 3
    assert clusterer.story_size(bridge.merged[0]) == 0
    assert clusterer.open_stories == 1


def test_healing_off_keeps_the_split() -> None:
    (_, _, bridge), clusterer = _split_then_bridge(merge_threshold=None)
    assert bridge.merged == ()
    assert clusterer.open_stories == 2


def test_replayed_merge_gives_the_same_state() -> None:
    """A process that replays the stored assignments and the merge (restore +
    merge) decides the next article like the process that merged."""
    (first, second, bridge), merged_here = _split_then_bridge()
    replayed = StoryClusterer()
    replayed.restore(doc(1, "Alpha Bravo Charlie Delta"), first.story_id)
    replayed.restore(doc(2, "Echo Foxtrot Golf Hotel", 1), second.story_id)
    replayed.restore(
        doc(3, "Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel", 2), bridge.story_id
    )
    assert replayed.merge(bridge.story_id, bridge.merged[0])
    assert not replayed.merge(bridge.story_id, bridge.merged[0])  # already merged
    follow_up = doc(4, "Golf Hotel Alpha follow-up", 3)
    assert replayed.assign(follow_up) == merged_here.assign(follow_up)


@pytest.mark.parametrize("bad", [-0.1, 1.0])
def test_semantic_share_out_of_range_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="semantic_share"):
        StoryClusterer(semantic_share=bad)
