"""How cupure.cluster.stories finds and scores stories (issue #23): word counts,
settings, headline share, the window and the time discount, the candidate index,
related stories and the bounded centroids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.cluster import stories
from cupure.cluster.stories import (
    BODY_TERMS,
    CENTROID_TERMS,
    STORY_WINDOW,
    StoryClusterer,
    StoryDoc,
)
from cupure.text.vectors import l2_norm

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def doc(i: int, title: str, hours: float = 0.0, text: str = "") -> StoryDoc:
    return StoryDoc(i, title, text, T0 + timedelta(hours=hours), f"paper{i}")


def words(count: int, prefix: str = "zq") -> str:
    """``count`` distinct made-up lower-case words, one content term each."""
    return " ".join(
        f"{prefix}{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}x"
        for i in range(count)
    )


# --- counting words -----------------------------------------------------------


def test_names_and_figures_count_name_weight_times() -> None:
    """Capitalised words and words starting with a digit count NAME_WEIGHT
    times, other content words once, stopwords and one-letter words not at all."""
    counts = stories._weighted_counts("Dinant floods the 3rd station of a Meuse x")
    weight = stories.NAME_WEIGHT
    assert counts == {
        "dinant": weight,
        "flood": 1,
        "3rd": weight,
        "station": 1,
        "meuse": weight,
    }


def test_a_new_name_weight_is_honoured_by_the_memo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Words counted under one NAME_WEIGHT are recounted under another."""
    assert stories._weighted_counts("Dinant station")["dinant"] == stories.NAME_WEIGHT
    monkeypatch.setattr(stories, "NAME_WEIGHT", 5)
    assert stories._weighted_counts("Dinant station") == {"dinant": 5, "station": 1}


# --- settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"join_threshold": 1.0},
        {"title_share": 1.0},
        {"title_share": 0.0},
        {"window": timedelta(hours=1)},
        {"half_life": None},
        {"semantic_share": 0.0},
        {"merge_threshold": 1.0},
        {"merge_threshold": None},
    ],
)
def test_settings_at_the_edge_of_their_range_are_accepted(
    kwargs: dict[str, object],
) -> None:
    StoryClusterer(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"title_share": 1.5},
        {"half_life": timedelta(0)},
        {"merge_threshold": 0.0},
        {"merge_threshold": 1.5},
    ],
)
def test_more_settings_out_of_range_are_refused(kwargs: dict[str, object]) -> None:
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=f"{name} must be"):
        StoryClusterer(**kwargs)  # type: ignore[arg-type]


def test_story_ids_start_at_one_by_default() -> None:
    assert StoryClusterer().assign(doc(1, "Dinant flood")).story_id == 1


# --- the headline share ---------------------------------------------------------

BODY_A = words(40, "qa")
BODY_B = words(40, "qb")


def test_with_the_full_headline_share_the_headline_decides() -> None:
    """title_share=1: the same headline over unrelated bodies joins (score 1.0);
    the same body under unrelated headlines does not (score 0)."""
    clusterer = StoryClusterer(title_share=1.0)
    clusterer.assign(doc(1, "Dinant flood evacuation", text=BODY_A))
    same_headline = clusterer.assign(doc(2, "Dinant flood evacuation", text=BODY_B))
    assert not same_headline.created
    assert same_headline.score == pytest.approx(1.0)
    clusterer = StoryClusterer(title_share=1.0)
    clusterer.assign(doc(1, "Dinant flood evacuation", text=BODY_A))
    same_body = clusterer.assign(doc(2, "Namur budget vote", text=BODY_A))
    assert same_body.created
    assert same_body.nearest == 0.0


def test_without_headlines_the_body_decides_even_with_a_headline_share() -> None:
    """Where a headline is missing (on the story's side or the article's) the
    article is judged on its body alone, as without a headline share."""
    for first, second in (("", "Dinant flood evacuation"), ("Dinant flood", "")):
        scores = []
        for title_share in (1.0, 0.0):
            clusterer = StoryClusterer(title_share=title_share)
            clusterer.assign(doc(1, first, text=BODY_A))
            scores.append(clusterer.assign(doc(2, second, text=BODY_A)))
        assert scores[0] == scores[1]
        assert scores[0].story_id == 1
        assert scores[0].score > 0.5


# --- the window and the time discount ---------------------------------------------


@pytest.mark.parametrize(
    ("sign", "beyond", "joins"),
    [(1, 0, True), (1, 1, False), (-1, 0, True), (-1, 1, False)],
)
def test_a_story_is_open_a_window_before_and_after_its_articles(
    sign: int, beyond: int, joins: bool
) -> None:
    """Without the time discount an identical report joins a story up to exactly
    STORY_WINDOW after its newest article or before its oldest (late arrivals),
    and not a second beyond."""
    offset = sign * (STORY_WINDOW + timedelta(seconds=beyond))
    clusterer = StoryClusterer(half_life=None)
    clusterer.assign(doc(1, "Dinant flood evacuation"))
    again = clusterer.assign(doc(2, "Dinant flood evacuation", offset / HOUR))
    assert (not again.created) is joins


def test_without_the_discount_time_inside_the_window_changes_nothing() -> None:
    """half_life=None: a report days after the story scores like one of the same
    hour."""
    scores = []
    for hours in (0, 60):
        clusterer = StoryClusterer(half_life=None)
        clusterer.assign(doc(1, "Dinant flood evacuation"))
        scores.append(clusterer.assign(doc(2, "Dinant flood", hours)).score)
    assert scores[1] == pytest.approx(scores[0])
    assert 0.0 < scores[0] < 1.0


def test_an_article_inside_a_storys_span_is_not_discounted() -> None:
    """A story with reports at 0 h and 10 h: a late-arriving report dated 5 h
    scores as it would dated 10 h (no time between it and the story)."""
    scores = []
    for hours in (5, 10):
        clusterer = StoryClusterer()
        clusterer.restore(doc(1, "Dinant flood evacuation"), 1)
        clusterer.restore(doc(2, "Dinant flood rescue", 10), 1)
        scores.append(clusterer.assign(doc(3, "Dinant flood", hours)).score)
    assert scores[0] == pytest.approx(scores[1])


def test_a_story_past_its_window_is_skipped_and_the_open_one_found() -> None:
    """Story 1 (four days old, not yet closed) and story 2 (this hour) cover the
    same subject: a new report joins story 2."""
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, "Dinant flood evacuation"), 1)
    clusterer.restore(doc(2, "Dinant flood evacuation", 96), 2)
    assert clusterer.assign(doc(3, "Dinant flood evacuation", 96)).story_id == 2


def test_equal_scores_go_to_the_older_story() -> None:
    """Two stories with identical reports score the same: the lower id wins (and
    absorbs the other)."""
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, "Dinant flood evacuation"), 8)
    clusterer.restore(doc(2, "Dinant flood evacuation"), 1)
    again = clusterer.assign(doc(3, "Dinant flood evacuation"))
    assert (again.story_id, again.merged) == (1, (8,))


# --- the candidate index -----------------------------------------------------------


def test_a_story_stays_findable_by_its_first_articles_words() -> None:
    """After a second report with other words joins, the story is still found by
    a report sharing only words of the first."""
    clusterer = StoryClusterer()
    clusterer.assign(doc(1, "Dinant flood evacuation Meuse Mathen"))
    clusterer.assign(doc(2, "Dinant flood boats soldiers army"))
    follow_up = clusterer.assign(doc(3, "Meuse Mathen evacuation"))
    assert (follow_up.story_id, follow_up.created) == (1, False)


def test_an_article_finds_its_story_among_big_stories_sharing_a_word() -> None:
    """Three big stories (thirty reports each) mention "Dinant" among forty
    words; a small story is about the Dinant flood. A flood report joins the
    small story: stories are looked up by their normalised centroid weights, so
    neither size nor a long text crowds the right story out."""
    clusterer = StoryClusterer()
    for story in range(3):
        text = words(40, f"b{chr(97 + story)}")
        for k in range(30):
            clusterer.restore(doc(100 * story + k, f"Dinant {text}"), 1000 + story)
    clusterer.restore(doc(500, "Dinant flood"), 7)
    report = clusterer.assign(doc(501, "Dinant flood"))
    assert (report.story_id, report.created) == (7, False)


@pytest.mark.parametrize(("stories_sharing", "found"), [(2, True), (3, False)])
def test_a_word_posted_by_too_many_stories_is_not_used_for_lookup(
    monkeypatch: pytest.MonkeyPatch, stories_sharing: int, found: bool
) -> None:
    """With MAX_POSTING 3, a word shared by three stories (two plus the police
    story) finds them; shared by four it is skipped (it cannot tell stories
    apart), for related stories and for assignment alike, while the story's
    other words still find theirs."""
    monkeypatch.setattr(stories, "MAX_POSTING", 3)
    clusterer = StoryClusterer()
    for i in range(stories_sharing):
        clusterer.restore(doc(i, f"Police {words(3, f'p{chr(97 + i)}')}"), i + 1)
    clusterer.restore(doc(8, "Dinant Namur"), 8)
    # Police is story 9's heaviest term: skipping it must not end the lookup.
    clusterer.restore(doc(9, "Police Police Police Police Dinant"), 9)
    related = [other for other, _ in clusterer.related(9, limit=10)]
    assert (len(related) > 1) is found
    assert 8 in related
    report = clusterer.assign(doc(10, "Police"))
    assert (report.nearest > 0.0) is found


# --- related stories -------------------------------------------------------------


def related_world() -> StoryClusterer:
    """Story 1 about the Dinant flood; stories 2-6 each share "Dinant" and
    one other word with it; story 7 shares most of its words; 8-14 are about
    other things."""
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, "Dinant flood evacuation Meuse Mathen boats"), 1)
    others = ["flood", "evacuation", "Meuse", "Mathen", "boats"]
    for i, word in enumerate(others, start=2):
        clusterer.restore(doc(i, f"Dinant {word} {words(6, f'r{chr(96 + i)}')}"), i)
    clusterer.restore(doc(7, "Dinant flood evacuation Meuse boats"), 7)
    for i in range(8, 15):
        clusterer.restore(doc(i, words(5, f"u{chr(96 + i)}")), i)
    return clusterer


def test_related_finds_the_closest_story_among_many_candidates() -> None:
    """Six stories share words with story 1; the one sharing most is the first
    related story, also when only one is asked for."""
    clusterer = related_world()
    assert clusterer.related(1, limit=1)[0][0] == 7
    full = clusterer.related(1, limit=10)
    assert [other for other, _ in full][:1] == [7]
    assert {other for other, _ in full} == {2, 3, 4, 5, 6, 7}


def test_related_similarities_are_centroid_cosines() -> None:
    """Two stories of identical reports (one of two reports, one of one) are
    related with similarity 1.0; an unrelated one is not related."""
    clusterer = StoryClusterer()
    clusterer.restore(doc(1, "Dinant flood evacuation"), 1)
    clusterer.restore(doc(2, "Dinant flood evacuation"), 1)
    clusterer.restore(doc(3, "Dinant flood evacuation"), 2)
    clusterer.restore(doc(4, "Namur budget vote"), 3)
    assert clusterer.related(2) == [(1, pytest.approx(1.0))]
    assert clusterer.related(1) == [(2, pytest.approx(1.0))]


def test_related_returns_five_by_default_and_none_for_no_limit() -> None:
    """The default limit is five; a limit of zero or less gives none."""
    clusterer = related_world()
    assert len(clusterer.related(1)) == 5
    assert clusterer.related(1, limit=-1) == []


def test_equally_related_stories_come_lower_id_first() -> None:
    """Three stories of the same report: the other two are equally related to
    the first and listed lower id first."""
    clusterer = StoryClusterer()
    for story_id in (1, 9, 2):
        clusterer.restore(doc(story_id, "Dinant flood evacuation"), story_id)
    related = clusterer.related(1)
    assert [other for other, _ in related] == [2, 9]
    assert related[0][1] == related[1][1]


# --- bounded centroids -----------------------------------------------------------


def long_story(reports: int, per_report: int, **settings: object) -> StoryClusterer:
    """One story of ``reports`` reports, each with "Dinant flood" and
    ``per_report`` words of its own (in the headline too when title_share>0)."""
    clusterer = StoryClusterer(**settings)  # type: ignore[arg-type]
    for k in range(reports):
        own = words(per_report, f"c{chr(97 + k % 26)}{chr(97 + k // 26)}")
        headline = f"Dinant flood {own}" if settings.get("title_share") else "Dinant"
        clusterer.restore(doc(k, headline, text=f"Dinant flood {own}"), 1)
    return clusterer


def test_an_article_keeps_its_heaviest_body_terms_only() -> None:
    clusterer = long_story(1, 2 * BODY_TERMS)
    assert len(clusterer._stories[1].body) == BODY_TERMS


def test_a_centroid_is_kept_whole_up_to_twice_its_size() -> None:
    """Thirteen reports adding 46 new terms each give exactly 600 terms
    (2 * CENTROID_TERMS), body and headline: nothing is cut yet."""
    assert 2 * CENTROID_TERMS == 2 + 13 * 46
    story = long_story(13, 46, title_share=0.5)._stories[1]
    assert len(story.body) == len(story.title) == 2 * CENTROID_TERMS


def test_a_long_story_is_cut_back_to_its_heaviest_terms() -> None:
    """Past twice CENTROID_TERMS the centroid is cut to CENTROID_TERMS terms that
    include the words every report shares, then grows again: nine reports of
    80 terms give 300 + 78 terms. Its cached norm stays the norm of the
    centroid, and a report of the shared words still joins."""
    clusterer = long_story(9, BODY_TERMS - 2)
    story = clusterer._stories[1]
    assert len(story.body) == CENTROID_TERMS + BODY_TERMS - 2
    assert {"dinant", "flood"} <= set(story.body)
    assert story.body_norm == pytest.approx(l2_norm(story.body))
    report = clusterer.assign(doc(99, "Dinant flood", text="Dinant flood"))
    assert (report.story_id, report.created) == (1, False)


def test_the_cached_centroid_norm_follows_every_added_article() -> None:
    """The story's norm (the denominator of every score) is the centroid's."""
    clusterer = StoryClusterer()
    for k in range(4):
        clusterer.assign(doc(k, f"Dinant flood {words(3, f'n{chr(97 + k)}')}"))
        story = clusterer._stories[1]
        assert story.body_norm == pytest.approx(l2_norm(story.body))
    assert clusterer.story_size(1) == 4


def test_a_long_headline_centroid_is_cut_back_too() -> None:
    clusterer = long_story(9, BODY_TERMS - 2, title_share=0.5)
    story = clusterer._stories[1]
    assert len(story.title) == CENTROID_TERMS + BODY_TERMS - 2
    assert {"dinant", "flood"} <= set(story.title)
    assert story.title_norm == pytest.approx(l2_norm(story.title))


def two_stories(first: int, second: int, per_report: int) -> StoryClusterer:
    """Stories 1 and 2 of ``first`` and ``second`` reports, each report with
    "Dinant flood" and ``per_report`` words of its own."""
    clusterer = StoryClusterer()
    for story_id, reports in ((1, first), (2, second)):
        for k in range(reports):
            own = words(per_report, f"m{story_id}{chr(97 + k)}")
            report = doc(10 * story_id + k, "Dinant", text=f"Dinant flood {own}")
            clusterer.restore(report, story_id)
    return clusterer


@pytest.mark.parametrize(
    ("first", "second", "per_report", "terms"),
    [
        (2, 2, BODY_TERMS - 2, 2 + 4 * (BODY_TERMS - 2)),
        (6, 7, 46, 2 * CENTROID_TERMS),
        (5, 5, BODY_TERMS - 2, CENTROID_TERMS),
    ],
)
def test_merging_cuts_the_centroid_back_past_twice_its_size(
    first: int, second: int, per_report: int, terms: int
) -> None:
    """Merged stories keep every term up to 600 (2 * CENTROID_TERMS); beyond, the
    survivor is cut to its heaviest 300 (the shared words among them). Its norm
    is the centroid's either way."""
    clusterer = two_stories(first, second, per_report)
    assert clusterer.merge(1, 2)
    story = clusterer._stories[1]
    assert len(story.body) == terms
    assert {"dinant", "flood"} <= set(story.body)
    assert story.body_norm == pytest.approx(l2_norm(story.body))
