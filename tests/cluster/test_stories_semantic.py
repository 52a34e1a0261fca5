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


def filler(words: int) -> str:
    """``words`` distinct made-up words with no word vector: each one content term."""
    return " ".join(f"zq{chr(97 + i % 26)}{chr(97 + i // 26)}x" for i in range(words))


def test_a_headline_sharing_only_meaning_scores_the_semantic_share() -> None:
    """A short headline that shares no word with a story but all its meaning
    scores the semantic share times the semantic cosine: 0.5 for "Strike" after
    "Walkout" (one axis), discounted by the hour between them."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Walkout"))
    same_hour = clusterer.assign(doc(2, "Strike"))
    assert same_hour.score == pytest.approx(0.5)
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Walkout"))
    an_hour_later = clusterer.assign(doc(2, "Strike", 1))
    assert an_hour_later.score == pytest.approx(0.5 * 2 ** (-1 / 12))


def test_an_identical_headline_scores_one_with_semantic_vectors() -> None:
    """Words and meaning both agree: the mix of the two cosines is 1.0."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Port strike ends after pay deal"))
    again = clusterer.assign(doc(2, "Port strike ends after pay deal"))
    assert (again.story_id, again.score) == (1, pytest.approx(1.0))


@pytest.mark.parametrize("probe", ["Walkout", "Agreement", "Wage"])
def test_a_storys_meaning_is_the_sum_of_its_articles(probe: str) -> None:
    """A story told as a strike, a deal and a pay rise (one meaning each) is
    found by a headline with any one of the three meanings, at the cosine with
    the sum of the three: 1/sqrt(3), half of it from the semantic share."""
    clusterer = StoryClusterer(semantic=WordVectors())
    for i, title in enumerate(["Zulu strike", "Zulu deal", "Zulu pay"], start=1):
        clusterer.restore(doc(i, title), 7)
    joined = clusterer.assign(doc(4, probe))
    assert (joined.story_id, joined.created) == (7, False)
    assert joined.score == pytest.approx(0.5 / 3**0.5)


def test_a_long_articles_score_keeps_a_smaller_semantic_share() -> None:
    """A 32-term article gets SEMANTIC_SHARE * 6/32 of its score from meaning: its
    score is the TF-IDF score scaled by the rest plus a positive semantic part no
    larger than that share (compared with the same stream scored on words)."""
    text = filler(30)
    plain = StoryClusterer()
    plain.assign(doc(1, "Harbour strike"))
    words_only = plain.assign(doc(2, "Harbour walkout", text=text)).nearest
    semantic = StoryClusterer(semantic=WordVectors())
    semantic.assign(doc(1, "Harbour strike"))
    mixed = semantic.assign(doc(2, "Harbour walkout", text=text)).nearest
    share = 0.5 * 6 / 32
    assert 0.0 < mixed - (1 - share) * words_only <= share


@pytest.mark.parametrize(("words", "found"), [(16, True), (17, False)])
def test_only_short_texts_look_stories_up_by_meaning(words: int, found: bool) -> None:
    """An article sharing no word with a story reaches it by meaning only when it
    has at most SEMANTIC_LOOKUP_TERMS (18) terms: a headline of two words plus 16
    others is scored against the strike story (nearest above 0), with 17 it is not
    looked at (nearest 0; it could not have joined either way)."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Harbour strike"))
    assignment = clusterer.assign(doc(2, "Port walkout", text=filler(words)))
    assert assignment.created
    assert (assignment.nearest > 0.0) is found


def test_word_vectors_without_known_words_leave_tfidf_decisions() -> None:
    """Headlines whose words have no vector (zero meaning) are clustered and healed
    on their words alone, as without word vectors: the split story still heals."""
    (first, second, bridge), clusterer = _split_then_bridge(semantic=WordVectors())
    assert first.created and second.created
    assert not bridge.created
    assert {bridge.story_id, *bridge.merged} == {first.story_id, second.story_id}
    assert clusterer.open_stories == 1


def test_the_nearest_stories_in_meaning_are_found_among_many() -> None:
    """With more open stories than SEMANTIC_CANDIDATES, the story nearest in
    meaning is still the one a headline sharing no word joins."""
    clusterer = StoryClusterer(semantic=WordVectors())
    headlines = ["Kilo orchestra", "Lima premiere", "Mike pay", "Oscar deal"]
    for i, title in enumerate([*headlines, "Papa port"], start=1):
        clusterer.assign(doc(i, title))
    assert clusterer.open_stories == 5
    joined = clusterer.assign(doc(9, "Wage"))
    assert (joined.story_id, joined.created) == (3, False)


def test_stories_past_the_first_64_are_found_by_meaning() -> None:
    """The matrix of semantic centroids grows beyond its first 64 rows and keeps
    the earlier ones: after 70 stories the first and the 65th (the first past
    the initial rows) are both found by meaning alone."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Zulu strike"))
    for i in range(2, 71):
        title = (
            "Yankee symphony"
            if i == 65
            else f"qq{chr(97 + i % 26)}{chr(97 + i // 26)}z"
        )
        clusterer.assign(doc(i, title))
    assert clusterer.open_stories == 70
    assert clusterer.assign(doc(71, "Walkout")).story_id == 1
    assert clusterer.assign(doc(72, "Orchestra")).story_id == 65


def test_closed_stories_free_their_semantic_rows() -> None:
    """A closed story is no longer found by meaning, and the stories that take
    its place are: close the strike story (the first, row 0), open a concert
    story and a story without meaning, then a walkout starts a new story while
    a symphony joins the concert."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Zulu strike"))
    clusterer.assign(doc(2, "Yankee strike", 1))
    assert clusterer.open_stories == 1
    assert clusterer.close_stale(T0 + timedelta(days=5)) == [1]
    later = 24 * 5
    concert = clusterer.assign(doc(3, "Xray concert", later))
    blank = clusterer.assign(doc(4, "Whiskey Victor", later))
    walkout = clusterer.assign(doc(5, "Walkout", later))
    assert walkout.created and walkout.nearest == 0.0
    symphony = clusterer.assign(doc(6, "Premiere", later))
    assert (symphony.story_id, symphony.created) == (concert.story_id, False)
    follow_up = clusterer.assign(doc(7, "Whiskey Victor Uniform", later))
    assert follow_up.story_id == blank.story_id


def test_reusing_a_freed_row_leaves_no_trace_of_the_closed_story() -> None:
    """A story without meaning that takes a closed story's row scores a follow-up
    exactly as it would have had the closed story stayed open elsewhere."""
    nearest = []
    for close in (True, False):
        clusterer = StoryClusterer(semantic=WordVectors())
        clusterer.assign(doc(1, "Zulu orchestra"))
        if close:
            assert clusterer.close_stale(T0 + timedelta(days=5)) == [1]
        clusterer.assign(doc(2, "Whiskey Victor Uniform Tango", 120))
        follow_up = clusterer.assign(doc(3, "Whiskey Victor strike", 120))
        nearest.append(follow_up.nearest)
    assert nearest[0] == pytest.approx(nearest[1])
    assert nearest[0] > 0.0


@pytest.mark.parametrize(("reports", "merges"), [(1, True), (2, False)])
def test_stories_sharing_only_meaning_heal_by_their_semantic_cosine(
    reports: int, merges: bool
) -> None:
    """A strike story and a walkout story share no word; their semantic
    centroids score 0.45 against each other (half of a cosine of 0.89). A new
    strike report joins the strike story and heals the walkout story into it
    when that is a single report (the join bar), not when both have grown (the
    merge bar, 0.5)."""
    clusterer = StoryClusterer(semantic=WordVectors())
    for k in range(reports):
        clusterer.restore(doc(k, "Port strike pay"), 1)
        clusterer.restore(doc(10 + k, "Harbour walkout wage orchestra"), 2)
    report = clusterer.assign(doc(20, "Port strike pay"))
    assert report.story_id == 1
    assert report.merged == ((2,) if merges else ())
    assert clusterer.open_stories == (1 if merges else 2)


def test_a_story_numbered_zero_is_found_by_meaning() -> None:
    """Story ids are any non-negative numbers: story 0 is found like any other."""
    clusterer = StoryClusterer(next_story_id=0, semantic=WordVectors())
    assert clusterer.assign(doc(1, "Walkout")).story_id == 0
    assert clusterer.assign(doc(2, "Strike")).story_id == 0


def test_an_older_article_finds_the_story_open_at_its_time_by_meaning() -> None:
    """An article that arrives after stories of later days (an import out of
    order) joins by meaning the story open at its own time, even when more than
    SEMANTIC_CANDIDATES stories of those later days are nearer in meaning."""
    clusterer = StoryClusterer(semantic=WordVectors())
    clusterer.assign(doc(1, "Zulu strike"))
    # Three stories days apart, each past the window of the one before.
    later = [
        clusterer.assign(doc(i, "Kilo walkout wage", 100.0 * (i - 1)))
        for i in (2, 3, 4)
    ]
    assert all(a.created for a in later)
    assert clusterer.open_stories == 4
    joined = clusterer.assign(doc(5, "Walkout wage", 1))
    assert (joined.story_id, joined.created) == (1, False)
