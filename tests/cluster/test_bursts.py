"""Tests for cupure.cluster.bursts: trends against a topic's own baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from defusedxml import ElementTree as ET

from cupure.cluster.bursts import (
    BASELINE_WINDOWS,
    Mention,
    Trend,
    coverage_series,
    sparkline_svg,
    topics_in_the_news,
    trending_topics,
)

AT = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
WINDOW = timedelta(hours=6)


def steady(topic: str, per_window: int, windows: int, *, first_story: int) -> list:
    """``per_window`` stories from distinct publishers in each of ``windows`` windows
    up to AT (the current window included)."""
    mentions = []
    story = first_story
    for w in range(windows):
        for i in range(per_window):
            published = AT - w * WINDOW - timedelta(minutes=10 + 30 * i)
            mentions.append(Mention(topic, story, f"pub{i}", published))
            story += 1
    return mentions


def burst(topic: str, publishers: int, stories: int, *, first_story: int) -> list:
    """``stories`` stories in the current window, spread over ``publishers``."""
    return [
        Mention(
            topic,
            first_story + i,
            f"pub{i % publishers}",
            AT - timedelta(hours=1, minutes=i),
        )
        for i in range(stories)
    ]


def test_burst_from_nothing_beats_steady_coverage() -> None:
    """0 -> 5 stories from 4 publishers trends; steady at 5 a window does not."""
    mentions = steady("police", 5, BASELINE_WINDOWS + 1, first_story=1000)
    mentions += burst("storm-ciara", 4, 5, first_story=1)
    trends = trending_topics(mentions, at=AT)
    assert [t.topic for t in trends] == ["storm-ciara"]
    trend = trends[0]
    assert trend.count == 5
    assert trend.publishers == 4
    assert trend.stories == 5
    assert trend.baseline == 0
    assert trend.score == pytest.approx(5.0)


def test_new_topic_outranks_a_busier_topic_that_merely_grew() -> None:
    """0 -> 5 reports outranks 2 a window -> 8: surges count against own normal."""
    mentions = steady("tariffs", 2, BASELINE_WINDOWS + 1, first_story=1000)
    mentions = [m for m in mentions if m.published <= AT - WINDOW]
    mentions += burst("tariffs", 8, 8, first_story=5000)
    mentions += burst("kessling-bridge", 5, 5, first_story=1)
    trends = trending_topics(mentions, at=AT)
    assert [t.topic for t in trends] == ["kessling-bridge", "tariffs"]
    assert trends[1].count == 8
    assert trends[1].baseline == pytest.approx(2.0)


def test_one_noisy_publisher_cannot_make_a_trend() -> None:
    """One publisher posting 20 stories about a topic in 6 hours is not a trend."""
    mentions = [
        Mention("miracle-diet", i, "clickfarm", AT - timedelta(minutes=5 * i))
        for i in range(20)
    ]
    assert trending_topics(mentions, at=AT) == []


def test_noisy_publisher_counts_only_up_to_the_cap() -> None:
    """With three real publishers, the noisy one adds at most two reports."""
    mentions = [
        Mention("miracle-diet", i, "clickfarm", AT - timedelta(minutes=5 * i))
        for i in range(20)
    ]
    mentions += [
        Mention("miracle-diet", 100 + i, f"paper{i}", AT - timedelta(hours=2))
        for i in range(2)
    ]
    (trend,) = trending_topics(mentions, at=AT)
    assert trend.count == 4
    assert trend.publishers == 3
    assert trend.stories == 22


def test_repeats_of_one_story_count_once() -> None:
    """The same publisher re-posting the same story is one report."""
    mentions = [
        Mention("eclipse", 7, f"pub{p}", AT - timedelta(minutes=m))
        for p in range(3)
        for m in range(0, 50, 10)
    ]
    (trend,) = trending_topics(mentions, at=AT)
    assert (trend.count, trend.stories, trend.publishers) == (3, 1, 3)


def test_mentions_after_at_are_ignored_and_history_replays() -> None:
    """Trends at a past time use only what was published by then."""
    mentions = burst("storm-ciara", 4, 5, first_story=1)
    earlier = AT - timedelta(hours=12)
    assert trending_topics(mentions, at=earlier) == []
    assert [t.topic for t in trending_topics(mentions, at=AT)] == ["storm-ciara"]


def test_limit_and_deterministic_order() -> None:
    """Equal scores are ordered by count then key; limit cuts the list."""
    mentions = []
    for n, topic in enumerate(["b-topic", "a-topic", "c-topic"]):
        mentions += burst(topic, 4, 4, first_story=100 * n)
    trends = trending_topics(mentions, at=AT, limit=2)
    assert [t.topic for t in trends] == ["a-topic", "b-topic"]


def test_mixing_naive_and_aware_times_is_refused() -> None:
    """A naive mention time with an aware 'at' raises a ValueError that says so."""
    naive = Mention("x", 1, "p", datetime(2026, 11, 25, 17, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        trending_topics([naive], at=AT)


def test_explain_says_the_numbers() -> None:
    """explain() names reports, stories, publishers, window, baseline and first seen."""
    trend = Trend(
        topic="storm-ciara",
        score=4.2,
        count=6,
        baseline=0.3,
        publishers=4,
        stories=5,
        first_seen=datetime(2026, 11, 25, 13, 5, tzinfo=UTC),
        window=WINDOW,
    )
    assert trend.explain() == (
        "Rising: 6 reports on 5 stories from 4 publishers in the last 6 hours, "
        "up from 0.3 per 6 hours before; first seen 25 Nov 13:05 UTC"
    )
    steady_trend = replace(trend, rising=False, baseline=5.5)
    assert steady_trend.explain() == (
        "In the news: 6 reports on 5 stories from 4 publishers in the last 6 hours "
        "(5.5 per 6 hours before)"
    )


def test_explain_of_computed_trend_matches_its_fields() -> None:
    """A computed trend's explanation carries its own count and baseline."""
    mentions = burst("storm-ciara", 4, 5, first_story=1)
    mentions += [Mention("storm-ciara", 90, "pub0", AT - timedelta(hours=30))]
    (trend,) = trending_topics(mentions, at=AT, window=timedelta(hours=3))
    text = trend.explain()
    assert text.startswith(
        "Rising: 5 reports on 5 stories from 4 publishers in the last 3 hours"
    )
    assert f"up from {trend.baseline:.1f} per 3 hours before" in text
    assert (
        replace(trend, baseline=0.0)
        .explain()
        .startswith(
            "Rising: 5 reports on 5 stories from 4 publishers in the last 3 hours, "
            "none before; first seen "
        )
    )
    assert trend.baseline == pytest.approx(0.1)


def test_coverage_series_counts_distinct_stories_per_bucket() -> None:
    """Oldest bucket first; repeats of a story count once; other topics ignored."""
    hour = timedelta(hours=1)
    mentions = [
        Mention("t", 1, "a", AT - timedelta(minutes=10)),
        Mention("t", 1, "b", AT - timedelta(minutes=20)),
        Mention("t", 2, "a", AT - timedelta(minutes=30)),
        Mention("t", 3, "a", AT - 2 * hour - timedelta(minutes=1)),
        Mention("t", 4, "a", AT + hour),
        Mention("other", 5, "a", AT - timedelta(minutes=5)),
    ]
    assert coverage_series(mentions, topic="t", at=AT, buckets=4, bucket=hour) == [
        0,
        1,
        0,
        2,
    ]


@pytest.mark.parametrize("values", [[0, 1, 5, 2, 7], [], [3], [0, 0, 0]])
def test_sparkline_is_wellformed_accessible_svg(values: list[int]) -> None:
    """The SVG parses as XML, has role=img and the (escaped) title, no script."""
    svg = sparkline_svg(values, title='Coverage of "Storm <Ciara>" & more')
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == 'Coverage of "Storm <Ciara>" & more'
    assert "script" not in svg.lower()
    line = root.find(f"{ns}polyline")
    if values:
        points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        assert all(0 <= x <= 120 and 0 <= y <= 24 for x, y in points)
    else:
        assert line is None


def test_sparkline_peak_is_highest_point() -> None:
    """The largest value is drawn at the top (smallest y)."""
    svg = sparkline_svg([1, 9, 2], title="t")
    root = ET.fromstring(svg)
    line = root.find("{http://www.w3.org/2000/svg}polyline")
    ys = [float(p.split(",")[1]) for p in line.get("points").split()]
    assert ys.index(min(ys)) == 1


def test_baseline_uses_only_windows_the_data_covers() -> None:
    """With 12 hours of data, a topic at 5 then 5 is steady, not a burst from 0."""
    mentions = steady("harbour", 5, 2, first_story=1)
    assert trending_topics(mentions, at=AT) == []
    rising = steady("harbour", 1, 2, first_story=1)
    rising += burst("harbour", 5, 6, first_story=100)
    (trend,) = trending_topics(rising, at=AT)
    assert trend.baseline == pytest.approx(1.0)


def test_data_start_sets_the_baseline_span_for_one_topic() -> None:
    """Given one topic's mentions, data_start keeps the quiet weeks in its baseline."""
    mentions = steady("harbour", 1, 1, first_story=1)
    mentions += [Mention("harbour", 50, "pub9", AT - 3 * WINDOW)]
    mentions += burst("harbour", 5, 6, first_story=100)
    (alone,) = trending_topics(mentions, at=AT)
    (full,) = trending_topics(mentions, at=AT, data_start=AT - 40 * WINDOW)
    assert alone.baseline == pytest.approx(1 / 3, abs=1e-3)
    assert full.baseline == pytest.approx(1 / BASELINE_WINDOWS, abs=1e-3)


def test_the_nav_fills_with_the_most_covered_topics_after_the_rising_ones() -> None:
    """Steady topics covered by several publishers fill the nav after the rising
    one, most covered first, each saying it is in the news as usual (issue #15:
    a sparse stream named one or two topics where the nav has room for ten)."""
    mentions = burst("storm-ciara", 4, 5, first_story=1)
    mentions += steady("migrant-crisis", 6, 12, first_story=100)
    mentions += steady("general-election", 4, 12, first_story=300)
    mentions += steady("one-outlet-only", 1, 12, first_story=500)

    shown = topics_in_the_news(mentions, at=AT)

    assert [t.topic for t in shown] == [
        "storm-ciara",
        "migrant-crisis",
        "general-election",
    ]
    assert [t.rising for t in shown] == [True, False, False]
    assert shown[1].explain().startswith("In the news: 6 reports on 6 stories")
    assert trending_topics(mentions, at=AT) == shown[:1]
    assert topics_in_the_news(mentions, at=AT, limit=2) == shown[:2]


def test_the_nav_names_one_story_once() -> None:
    """A topic whose stories are mostly a listed topic's stories is a facet of the
    same news and is left out; a topic sharing a word that is itself a topic of
    the window with a listed one is too ("Apple iPhone" after "Apple iOS")."""
    mentions = burst("justin-bieber", 6, 8, first_story=1)
    # Selena Gomez is named in five of Bieber's eight stories, and one of her own.
    mentions += [
        Mention("selena-gomez", story, f"pub{story}", AT - timedelta(hours=2))
        for story in (1, 2, 3, 4, 5, 900)
    ]
    mentions += burst("apple-ios", 5, 6, first_story=200)
    mentions += burst("apple", 5, 5, first_story=300)
    mentions += burst("apple-iphone", 4, 4, first_story=400)
    mentions += burst("lena-dunham", 4, 4, first_story=500)

    shown = [t.topic for t in topics_in_the_news(mentions, at=AT)]

    assert "selena-gomez" not in shown
    assert "justin-bieber" in shown
    assert "lena-dunham" in shown
    assert len([t for t in shown if t.startswith("apple")]) == 1


def test_a_fragment_gives_way_to_the_longer_name() -> None:
    """ "Berth" in a few headlines, "Berth 9" in most: the nav says "Berth 9"."""
    mentions = burst("berth", 3, 4, first_story=1)
    mentions += burst("berth-9", 5, 7, first_story=100)

    shown = topics_in_the_news(mentions, at=AT)

    assert [t.topic for t in shown] == ["berth-9"]


def test_a_sparse_window_fills_the_nav_from_the_last_days() -> None:
    """Too few topics in the last 6 hours: topics covered by several publishers
    over the last day then three days fill the nav, saying over what span."""
    mentions = burst("storm-ciara", 4, 5, first_story=1)
    mentions += [
        Mention("migrant-crisis", 100 + i, f"pub{i}", AT - timedelta(hours=10 + i))
        for i in range(4)
    ]
    mentions += [
        Mention("general-election", 200 + i, f"pub{i}", AT - timedelta(hours=40 + i))
        for i in range(3)
    ]
    mentions += [Mention("lone-item", 300, "pub1", AT - timedelta(hours=20))]

    shown = topics_in_the_news(mentions, at=AT)

    assert [t.topic for t in shown] == [
        "storm-ciara",
        "migrant-crisis",
        "general-election",
    ]
    assert shown[1].explain() == (
        "In the news: 4 reports on 4 stories from 4 publishers in the last day "
        "(none before)"
    )
    assert "in the last 3 days " in shown[2].explain()


def test_topics_named_in_the_same_articles_are_one_news() -> None:
    """ "Fannie, Freddie shares sink": two names in the same headlines, even where
    the articles fell into different stories, take one place in the nav."""
    mentions = []
    for i in range(6):
        for topic in ("fannie", "freddie"):
            mentions.append(
                Mention(topic, 10 + i, f"pub{i}", AT - timedelta(hours=1), 100 + i)
            )
    mentions += burst("lena-dunham", 4, 4, first_story=500)

    shown = [t.topic for t in topics_in_the_news(mentions, at=AT)]

    assert len({"fannie", "freddie"} & set(shown)) == 1
    assert "lena-dunham" in shown


def test_two_publishers_over_three_days_beat_an_empty_slot() -> None:
    """The last round of the fill takes news two publishers covered in the last
    three days; one publisher alone never fills a slot."""
    mentions = burst("storm-ciara", 4, 5, first_story=1)
    mentions += [
        Mention("lighthouse", 100 + i, f"pub{i}", AT - timedelta(hours=30))
        for i in range(2)
    ]
    mentions += [
        Mention("campaign", 200 + i, "pub9", AT - timedelta(hours=20 + i))
        for i in range(6)
    ]

    shown = topics_in_the_news(mentions, at=AT)

    assert [t.topic for t in shown] == ["storm-ciara", "lighthouse"]
    assert shown[1].explain().startswith("In the news: 2 reports on 2 stories")
    assert trending_topics(mentions, at=AT) == shown[:1]


def test_a_story_is_shown_under_the_name_most_reports_use() -> None:
    """A new name half the story's reports use rises and is listed first; the
    name all its reports use, covered as much before, takes the story's slot."""
    now = AT - timedelta(hours=1)
    mentions = [Mention("miley-cyrus", 7, f"pub{i}", now, 100 + i) for i in range(12)]
    mentions += [Mention("bangerz", 7, f"pub{i}", now, 100 + i) for i in range(6)]
    for w in range(1, 5):
        mentions += [
            Mention("miley-cyrus", 10 * w + i, f"pub{i}", now - w * WINDOW, 0)
            for i in range(10)
        ]

    shown = topics_in_the_news(mentions, at=AT)

    assert [t.topic for t in shown] == ["miley-cyrus"]
    # With its own numbers: covered as before, not rising.
    assert shown[0].explain().startswith("In the news: 12 reports on 1 story")
