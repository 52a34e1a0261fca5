"""Tests for cupure.cluster.stories (texts in tests/cluster/news.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.cluster import stories
from cupure.cluster.stories import (
    STORY_WINDOW,
    Assignment,
    StoryClusterer,
    StoryDoc,
)
from tests.cluster import news

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def background_docs() -> list[StoryDoc]:
    return [
        StoryDoc(i, title, text, T0 + timedelta(minutes=i), f"paper{i}")
        for i, (title, text) in enumerate(news.BACKGROUND, start=1)
    ]


def event_docs(start: datetime) -> list[StoryDoc]:
    """Flood, flood, festival (same town), flood: one hour apart."""
    items = [news.FLOOD_1, news.FLOOD_2, news.FESTIVAL_DINANT, news.FLOOD_3]
    publishers = ["wire", "lesoir", "citymag", "rtbf"]
    return [
        StoryDoc(100 + i, title, text, start + timedelta(hours=i), publishers[i])
        for i, (title, text) in enumerate(items)
    ]


def run(clusterer: StoryClusterer, docs: list[StoryDoc]) -> list[Assignment]:
    return [clusterer.assign(doc) for doc in docs]


def test_unrelated_articles_start_their_own_stories() -> None:
    """Each background article is about something else: one story each, numbered
    from next_story_id, the first with score 0 (no candidate at all)."""
    assignments = run(StoryClusterer(next_story_id=10), background_docs())
    assert [a.story_id for a in assignments] == list(range(10, 10 + len(assignments)))
    assert all(a.created for a in assignments)
    assert all(a.score == 0.0 for a in assignments)
    assert assignments[0].nearest == 0.0


@pytest.mark.parametrize("title_share", [0.0, 0.25])
def test_same_event_in_other_words_joins_one_story(title_share: float) -> None:
    """Three differently worded flood reports from three publishers end in one
    story; the later ones join (created=False) with a score above the threshold,
    with or without a separate headline similarity."""
    clusterer = StoryClusterer(title_share=title_share)
    run(clusterer, background_docs())
    flood_1, flood_2, _, flood_3 = run(clusterer, event_docs(T0 + timedelta(hours=2)))
    assert flood_1.created
    assert not flood_2.created and not flood_3.created
    assert flood_2.story_id == flood_3.story_id == flood_1.story_id
    assert flood_2.score >= clusterer.join_threshold
    assert flood_2.nearest == flood_2.score
    assert clusterer.story_size(flood_1.story_id) == 3


def test_near_miss_same_place_other_event_starts_a_new_story() -> None:
    """The jazz festival in Dinant shares the town (and the Meuse) with the flood
    story but is another event: it gets its own story, scoring below threshold."""
    clusterer = StoryClusterer()
    run(clusterer, background_docs())
    flood_1, _, festival, _ = run(clusterer, event_docs(T0 + timedelta(hours=2)))
    assert festival.created
    assert festival.story_id != flood_1.story_id
    assert festival.score == 0.0
    assert 0.0 < festival.nearest < clusterer.join_threshold


def test_article_outside_the_time_window_starts_a_new_story() -> None:
    """A report of the same flood published after the story's window has passed
    does not join the old story, however similar it is."""
    clusterer = StoryClusterer()
    run(clusterer, background_docs())
    first = clusterer.assign(event_docs(T0)[0])
    title, text = news.FLOOD_2
    late = StoryDoc(200, title, text, T0 + STORY_WINDOW + timedelta(hours=1), "late")
    again = clusterer.assign(late)
    assert again.created
    assert again.story_id != first.story_id


def test_time_discount_lowers_the_score_of_a_later_article() -> None:
    """The same article scores lower against a story the later it comes (inside
    the window), and the same whatever the time when the discount is off."""
    scores = {}
    for half_life in (timedelta(hours=72), None):
        for delay in (timedelta(hours=1), timedelta(hours=60)):
            clusterer = StoryClusterer(half_life=half_life)
            run(clusterer, background_docs())
            clusterer.assign(event_docs(T0)[0])
            title, text = news.FLOOD_2
            doc = StoryDoc(200, title, text, T0 + delay, "later")
            scores[half_life, delay] = clusterer.assign(doc).nearest
    hours_1, hours_60 = timedelta(hours=1), timedelta(hours=60)
    assert scores[timedelta(hours=72), hours_60] < scores[timedelta(hours=72), hours_1]
    assert scores[None, hours_60] == pytest.approx(scores[None, hours_1])


def test_restore_then_assign_gives_the_same_result_as_the_original_run() -> None:
    """Restoring the first assignments (as the Django side does at start) and
    assigning the rest gives the same stories and scores as one uninterrupted run."""
    docs = background_docs() + event_docs(T0 + timedelta(hours=2))
    original = run(StoryClusterer(), docs)
    for split in (3, len(news.BACKGROUND) + 2):
        restarted = StoryClusterer()
        for doc, assignment in zip(docs[:split], original[:split], strict=True):
            restarted.restore(doc, assignment.story_id)
        assert run(restarted, docs[split:]) == original[split:]


def test_restore_moves_next_story_id_past_restored_ids() -> None:
    """A restored story id is never handed out again to a new story."""
    clusterer = StoryClusterer(next_story_id=1)
    title, text = news.FLOOD_1
    clusterer.restore(StoryDoc(1, title, text, T0, "wire"), 41)
    title, text = news.BACKGROUND[0]
    assert clusterer.assign(StoryDoc(2, title, text, T0, "bank")).story_id == 42


def test_close_stale_closes_only_stories_without_recent_articles() -> None:
    """close_stale returns the stories whose newest article is older than the
    window, ascending; they leave memory and a later flood report starts anew."""
    clusterer = StoryClusterer()
    background = run(clusterer, background_docs())
    events_start = T0 + timedelta(hours=30)
    flood_1, _, festival, _ = run(clusterer, event_docs(events_start))
    now = T0 + STORY_WINDOW + timedelta(hours=2)
    closed = clusterer.close_stale(now)
    assert closed == sorted(a.story_id for a in background)
    assert clusterer.open_stories == 2
    assert clusterer.close_stale(now) == []
    later = events_start + STORY_WINDOW + timedelta(hours=4)
    assert clusterer.close_stale(later) == sorted([flood_1.story_id, festival.story_id])
    assert clusterer.open_stories == 0
    title, text = news.FLOOD_2
    assert clusterer.assign(StoryDoc(300, title, text, later, "x")).created


def test_related_never_returns_the_same_story() -> None:
    """Related stories are other stories, best first; the Dinant festival is the
    flood story's closest relative; unknown stories have none."""
    clusterer = StoryClusterer()
    background = run(clusterer, background_docs())
    flood_1, _, festival, _ = run(clusterer, event_docs(T0 + timedelta(hours=2)))
    story_ids = [a.story_id for a in background] + [flood_1.story_id, festival.story_id]
    for story_id in story_ids:
        related = clusterer.related(story_id, limit=20)
        assert story_id not in [other for other, _ in related]
        scores = [score for _, score in related]
        assert scores == sorted(scores, reverse=True)
        assert all(score > 0 for score in scores)
    assert clusterer.related(flood_1.story_id, limit=1)[0][0] == festival.story_id
    assert clusterer.related(9_999) == []
    assert clusterer.related(flood_1.story_id, limit=0) == []


def test_empty_article_starts_a_story_without_error() -> None:
    """An article with no words cannot match anything: it gets its own story."""
    clusterer = StoryClusterer()
    run(clusterer, background_docs())
    assignment = clusterer.assign(StoryDoc(500, "", "", T0, "blank"))
    assert assignment.created
    assert assignment.score == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"join_threshold": 0.0},
        {"join_threshold": 1.5},
        {"title_share": -0.1},
        {"window": timedelta(0)},
        {"half_life": timedelta(seconds=-1)},
    ],
)
def test_settings_out_of_range_are_refused(kwargs: dict[str, object]) -> None:
    """Nonsense settings fail at construction with a message naming the setting."""
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        StoryClusterer(**kwargs)  # type: ignore[arg-type]


def test_word_memo_overflow_keeps_counting_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the word memo is full it is cleared and refilled: counts stay exact
    (names count NAME_WEIGHT times, stopwords not at all)."""
    monkeypatch.setattr(stories, "_WORD_MEMO_LIMIT", 3)
    counts = stories._weighted_counts("Dinant floods the Dinant station flood")
    assert counts == {
        "dinant": 2 * stories.NAME_WEIGHT,
        "flood": 2,
        "station": 1,
    }
    again = stories._weighted_counts("station Dinant")
    assert again == {"station": 1, "dinant": stories.NAME_WEIGHT}
