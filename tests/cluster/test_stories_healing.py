"""Healing, merging and closing in cupure.cluster.stories: which of two stories
survives, which pairs merge, and how merged stories age (issue #23)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from cupure.cluster.stories import (
    STORY_WINDOW,
    Assignment,
    StoryClusterer,
    StoryDoc,
    final_story_ids,
)

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
LEFT = "Alpha Bravo Charlie Delta"
RIGHT = "Echo Foxtrot Golf Hotel"
BRIDGE = f"{LEFT} {RIGHT}"
# Words both halves of a split story share; the more, the closer the halves.
SHARED = ["Kilo", "Lima", "Mike", "November", "Oscar", "Papa"]


def doc(i: int, title: str, hours: float = 0.0, text: str = "") -> StoryDoc:
    return StoryDoc(i, title, text, T0 + timedelta(hours=hours), f"paper{i}")


def two_grown_halves(
    shared: int, right_hours: float, **settings: object
) -> StoryClusterer:
    """Story 1: two reports of LEFT, story 2: two of RIGHT ``right_hours`` later;
    both with the first ``shared`` SHARED words."""
    words = " ".join(SHARED[:shared])
    clusterer = StoryClusterer(**settings)  # type: ignore[arg-type]
    for k in range(2):
        clusterer.restore(doc(k, f"{LEFT} {words}"), 1)
        clusterer.restore(doc(10 + k, f"{RIGHT} {words}", right_hours), 2)
    return clusterer


def test_grown_stories_merge_at_the_merge_threshold_only() -> None:
    """A report covering both halves of a split story joins one (scoring both
    above the join threshold); two grown halves merge only when their centroids
    score MERGE_THRESHOLD: with six shared words (0.53) they do, with two (0.39)
    they stay apart."""
    close = two_grown_halves(6, 0).assign(doc(20, BRIDGE))
    assert close.merged == (1,) and close.story_id == 2
    apart_clusterer = two_grown_halves(2, 0)
    apart = apart_clusterer.assign(doc(20, BRIDGE))
    assert apart.nearest >= apart_clusterer.join_threshold
    assert apart.merged == ()
    assert apart_clusterer.open_stories == 2


@pytest.mark.parametrize("hours", [4, -4])
def test_time_between_two_stories_discounts_their_merge(hours: float) -> None:
    """The six-word halves four hours apart (either first; the bridge between
    them) score 0.47 against each other after the time discount: no merge.
    Without the discount they merge."""
    discounted = two_grown_halves(6, hours)
    assert discounted.assign(doc(20, BRIDGE, hours / 2)).merged == ()
    assert discounted.open_stories == 2
    undiscounted = two_grown_halves(6, hours, half_life=None)
    assert len(undiscounted.assign(doc(20, BRIDGE, hours / 2)).merged) == 1
    assert undiscounted.open_stories == 1


def test_the_larger_story_survives_a_merge_whatever_its_id() -> None:
    """Story 1 is one report, story 2 three (six words in common): a report of
    both joins story 2 and heals story 1 into it; story 2, the bulk of the
    coverage, survives although its id is higher."""
    words = " ".join(SHARED)
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, f"{LEFT} {words}"), 1)
    for k in range(3):
        clusterer.restore(doc(2 + k, f"{RIGHT} {words}"), 2)
    bridge = clusterer.assign(doc(9, BRIDGE))
    assert (bridge.story_id, bridge.merged) == (2, (1,))
    assert clusterer.story_size(2) == 5


def test_a_pair_that_fails_the_bar_does_not_stop_later_merges() -> None:
    """The report joins one grown half and scores the other (too far apart in
    words to merge with it) before a single report it shares "Echo Quebec"
    with: that single report still merges."""
    clusterer = two_grown_halves(2, 0)
    clusterer.restore(doc(30, "Echo Quebec"), 3)
    bridge = clusterer.assign(doc(20, f"{BRIDGE} Quebec"))
    assert (bridge.story_id, bridge.merged) == (2, (3,))
    assert clusterer.open_stories == 2


def test_final_story_ids_follow_merges_to_the_last_survivor() -> None:
    """Story 1 absorbed by 2, then 2 by 3: every assignment ends in story 3,
    the unrelated story 4 stays itself."""
    assignments = [
        Assignment(1, True, 0.0),
        Assignment(2, True, 0.0),
        Assignment(2, False, 0.4, 0.4, (1,)),
        Assignment(4, True, 0.0),
        Assignment(3, True, 0.0, 0.0, (2,)),
    ]
    assert final_story_ids(assignments) == [3, 3, 3, 4, 3]
    assert final_story_ids([]) == []


def test_a_replayed_merge_keeps_the_absorbed_storys_newer_coverage_open() -> None:
    """Merging a newer story into an older one (``merge``) dates the survivor by
    the newest article of both: it stays open until that one is a window old,
    then closes."""
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, LEFT), 1)
    clusterer.restore(doc(2, RIGHT, 48), 2)
    assert clusterer.merge(1, 2)
    assert clusterer.story_size(1) == 2 and clusterer.story_size(2) == 0
    newest = T0 + timedelta(hours=48)
    assert clusterer.close_stale(newest + STORY_WINDOW) == []
    assert clusterer.open_stories == 1
    assert clusterer.close_stale(newest + STORY_WINDOW + timedelta(seconds=1)) == [1]


def test_merged_state_equals_the_articles_restored_into_one_story() -> None:
    """Healing folds the absorbed story into the survivor as if its articles had
    been added there: a follow-up scores the same against the healed story as
    against one story holding all the articles (headline share and semantic
    vectors included)."""
    from tests.cluster.test_stories_semantic import WordVectors

    articles = [
        doc(1, "Alpha Bravo strike Charlie Delta"),
        doc(2, "Echo Foxtrot orchestra Golf Hotel", 1),
        doc(3, f"{BRIDGE} strike orchestra", 2),
    ]
    follow_up = doc(4, "Alpha Echo walkout symphony", 3)
    settings = {"title_share": 0.5, "semantic": WordVectors()}
    healed = StoryClusterer(**settings)  # type: ignore[arg-type]
    bridge = [healed.assign(article) for article in articles][-1]
    assert bridge.merged
    one_story = StoryClusterer(**settings)  # type: ignore[arg-type]
    for article in articles:
        one_story.restore(article, bridge.story_id)
    expected = one_story.assign(follow_up)
    got = healed.assign(follow_up)
    assert got.story_id == expected.story_id == bridge.story_id
    assert got.score == pytest.approx(expected.score)


def test_a_story_is_open_until_exactly_a_window_after_its_last_article() -> None:
    """close_stale keeps a story whose newest article is exactly a window old and
    closes it a second later; closing logs one debug event with the count."""
    clusterer = StoryClusterer()
    clusterer.assign(doc(1, LEFT))
    assert clusterer.close_stale(T0 + STORY_WINDOW) == []
    assert clusterer.open_stories == 1


def test_closing_a_story_leaves_the_others_findable_by_shared_words() -> None:
    """Stories 1 (day 0) and 2 (day 2) both mention Dinant; once story 1 is
    closed, a Dinant report on day 2 still finds story 2."""
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, "Dinant flood evacuation"), 1)
    clusterer.restore(doc(2, "Dinant flood rescue", 48), 2)
    assert clusterer.close_stale(T0 + STORY_WINDOW + timedelta(hours=1)) == [1]
    report = clusterer.assign(doc(3, "Dinant flood", 48))
    assert (report.story_id, report.created) == (2, False)


def test_closing_logs_how_many_stories_closed(caplog: pytest.LogCaptureFixture) -> None:
    clusterer = StoryClusterer()
    clusterer.assign(doc(1, LEFT))
    clusterer.assign(doc(2, RIGHT))
    with caplog.at_level(logging.DEBUG, logger="cupure.cluster.stories"):
        assert clusterer.close_stale(T0 + STORY_WINDOW + timedelta(hours=1)) == [1, 2]
    (record,) = caplog.records
    assert record.getMessage() == "closed stale stories"
    assert record.count == 2  # type: ignore[attr-defined]
