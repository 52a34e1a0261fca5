"""Tests for cupure.cluster.bursts: trends against a topic's own baseline."""

from __future__ import annotations

import re
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
    assert [t.rising for t in shown] == [True, False, False]
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


# Issue #23: the rules below were found untested by mutation testing.


def reports(
    topic: str, count: int, *, window: int = 0, first_story: int, publisher: str = "p"
) -> list[Mention]:
    """``count`` reports of ``topic`` in window ``window`` before AT (0: the current
    one), each its own story from its own publisher."""
    return [
        Mention(
            topic,
            first_story + i,
            f"{publisher}{i}",
            AT - window * WINDOW - timedelta(minutes=10 + i),
        )
        for i in range(count)
    ]


def history(topic: str, counts: list[int], *, first_story: int) -> list[Mention]:
    """``counts[w - 1]`` reports in each past window ``w`` (1 is the one before AT)."""
    mentions = []
    for w, count in enumerate(counts, start=1):
        mentions += reports(topic, count, window=w, first_story=first_story + 100 * w)
    return mentions


def test_a_swinging_baseline_needs_a_bigger_rise() -> None:
    """Two topics at 4 a window on average rise to 12: the steady one trends, the
    one that swung between 8 and nothing does not (its own noise is larger), and
    its score says by how much: (12 - 4) / sqrt(448 / 27 + 1)."""
    mentions = history("tram-fares", [4] * BASELINE_WINDOWS, first_story=10_000)
    mentions += reports("tram-fares", 12, first_story=1)
    mentions += history(
        "ferry-strike", [8, 0] * (BASELINE_WINDOWS // 2), first_story=50_000
    )
    mentions += reports("ferry-strike", 12, first_story=100)

    (trend,) = trending_topics(mentions, at=AT)
    shown = topics_in_the_news(mentions, at=AT)

    assert (trend.topic, trend.score, trend.baseline) == ("tram-fares", 3.578, 4.0)
    assert [t.topic for t in shown] == ["tram-fares", "ferry-strike"]
    assert (shown[1].rising, shown[1].score, shown[1].baseline) == (False, 1.907, 4.0)


def test_a_rise_of_exactly_min_score_trends() -> None:
    """Two windows of history, 4 reports then none (mean 2, sample variance 8): 8
    reports now score exactly 2.0 and trend; 7 score 1.667 and do not."""
    data_start = AT - 2 * WINDOW - timedelta(hours=1)
    past = history("quay-works", [4, 0], first_story=1000)

    (trend,) = trending_topics(
        past + reports("quay-works", 8, first_story=1), at=AT, data_start=data_start
    )
    assert (trend.score, trend.baseline, trend.rising) == (2.0, 2.0, True)
    assert (
        trending_topics(
            past + reports("quay-works", 7, first_story=1),
            at=AT,
            data_start=data_start,
        )
        == []
    )
    (steady_trend,) = topics_in_the_news(
        past + reports("quay-works", 7, first_story=1), at=AT, data_start=data_start
    )
    assert (steady_trend.score, steady_trend.rising) == (1.667, False)


@pytest.mark.parametrize("data_start", [AT - WINDOW - timedelta(hours=1), AT])
def test_with_no_spread_to_measure_the_floor_alone_is_the_noise(
    data_start: datetime,
) -> None:
    """With one window of history (or none) there is no sample variance: a new name
    in four reports scores 4 / sqrt(0 + VARIANCE_FLOOR) = 4."""
    mentions = reports("quay-works", 4, first_story=1)
    (trend,) = trending_topics(mentions, at=AT, data_start=data_start)
    assert (trend.score, trend.baseline) == (4.0, 0.0)


def test_numbers_are_kept_to_three_decimals() -> None:
    """A baseline of one report in three windows is 0.333, and the score follows
    from it to three decimals too (what the snapshot stores and the tooltip reads)."""
    mentions = reports("harbour", 1, window=3, first_story=50)
    mentions += reports("harbour", 6, first_story=100)
    (trend,) = trending_topics(mentions, at=AT)
    # mean 1/3, sample variance 1/3: (6 - 1/3) / sqrt(1/3 + 1)
    assert (trend.baseline, trend.score) == (0.333, 4.907)


def test_equal_scores_rank_by_reports_then_stories() -> None:
    """A new name in 3 reports and a topic grown from 3 to 9 both score 3.0: the
    one with more reports ranks first. Two new names in 4 reports: the one told
    in four stories ranks before the one told in a single story."""
    mentions = reports("canal-reopening", 3, first_story=1)
    mentions += history("water-prices", [3] * BASELINE_WINDOWS, first_story=10_000)
    mentions += reports("water-prices", 9, first_story=100)
    mentions += [
        Mention("lantern-parade", 7, f"p{i}", AT - timedelta(hours=1)) for i in range(4)
    ]
    mentions += reports("marathon-route", 4, first_story=200)

    trends = trending_topics(mentions, at=AT)
    shown = topics_in_the_news(mentions, at=AT)

    assert [(t.topic, t.score) for t in trends] == [
        ("marathon-route", 4.0),
        ("lantern-parade", 4.0),
        ("water-prices", 3.0),
        ("canal-reopening", 3.0),
    ]
    assert [t.stories for t in trends[:2]] == [4, 1]
    # The nav: the clear rise first, the small rises by reports, then stories.
    assert [t.topic for t in shown] == [
        "water-prices",
        "marathon-route",
        "lantern-parade",
        "canal-reopening",
    ]


def test_the_order_of_the_mentions_does_not_matter() -> None:
    """Mentions after ``at``, older than the baseline, or of a topic one publisher
    alone covers may come first: the trend, and the time it was first seen, are
    the same in any order."""
    first = AT - timedelta(hours=5)
    news = [
        Mention("storm-ciara", 1, "pub1", AT - timedelta(hours=1)),
        Mention("storm-ciara", 2, "pub2", first),
        Mention("storm-ciara", 3, "pub3", AT - timedelta(hours=2)),
        Mention("storm-ciara", 4, "pub4", AT - timedelta(hours=3)),
    ]
    noise = [
        Mention("storm-ciara", 9, "pub9", AT + timedelta(minutes=5)),
        Mention("storm-ciara", 8, "pub8", AT - (BASELINE_WINDOWS + 2) * WINDOW),
        Mention("campaign", 7, "pub7", AT - timedelta(hours=1)),
    ]

    for mentions in (noise + news, news + noise, noise + news[::-1]):
        (trend,) = trending_topics(mentions, at=AT)
        assert (trend.topic, trend.count, trend.first_seen) == ("storm-ciara", 4, first)


def test_a_mention_exactly_at_at_is_in_the_window() -> None:
    """The window is (at - window, at]: published at ``at`` counts, published
    exactly one window before does not."""
    mentions = [Mention("eclipse", i, f"pub{i}", AT) for i in range(3)]
    (trend,) = trending_topics(mentions, at=AT)
    assert trend.count == 3
    shifted = [replace(m, published=AT - WINDOW) for m in mentions]
    assert trending_topics(shifted, at=AT) == []


@pytest.mark.parametrize("function", [trending_topics, topics_in_the_news])
def test_mixed_time_zones_are_refused_with_both_times(function) -> None:
    """The error names the two times that cannot be compared."""
    naive_time = datetime(2026, 11, 25, 17, 0)
    mentions = [*reports("x", 3, first_story=1), Mention("x", 9, "p9", naive_time)]
    message = (
        "Mention times and 'at' must all be timezone-aware (or all naive); "
        f"got at={AT!r} and published={naive_time!r}."
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        function(mentions, at=AT)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        coverage_series(mentions, topic="x", at=AT, buckets=4, bucket=WINDOW)


@pytest.mark.parametrize("window", [timedelta(0), -WINDOW])
def test_a_window_must_be_positive(window: timedelta) -> None:
    """A window or bucket of no length is refused, saying what was given."""
    mentions = reports("x", 3, first_story=1)
    for function in (trending_topics, topics_in_the_news):
        with pytest.raises(
            ValueError, match=rf"^The trend window must be positive, got {window}\.$"
        ):
            function(mentions, at=AT, window=window)
    with pytest.raises(
        ValueError, match=rf"^The bucket length must be positive, got {window}\.$"
    ):
        coverage_series(mentions, topic="x", at=AT, buckets=4, bucket=window)


def test_limits() -> None:
    """At most ten trends by default, ``limit`` when given, none for 0."""
    mentions = []
    for n in range(11):
        mentions += reports(f"topic-{n:02}", 3 + n, first_story=100 * n)

    assert [t.topic for t in trending_topics(mentions, at=AT)] == [
        f"topic-{n:02}" for n in range(10, 0, -1)
    ]
    assert [t.topic for t in trending_topics(mentions, at=AT, limit=1)] == ["topic-10"]
    assert [t.topic for t in topics_in_the_news(mentions, at=AT, limit=1)] == [
        "topic-10"
    ]
    for function in (trending_topics, topics_in_the_news):
        assert function(mentions, at=AT, limit=0) == []
        assert function(mentions, at=AT, limit=-1) == []


@pytest.mark.parametrize(
    ("window", "span"),
    [
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(minutes=1), "minute"),
        (timedelta(seconds=90), "90 seconds"),
        (timedelta(hours=1), "hour"),
        (timedelta(days=3), "3 days"),
    ],
)
def test_explain_names_the_window_in_its_largest_whole_unit(
    window: timedelta, span: str
) -> None:
    """90 minutes are "90 minutes", not 5400 seconds; an hour is "hour"."""
    trend = Trend("x", 3.0, 3, 0.5, 3, 3, AT - timedelta(minutes=5), window=window)
    assert trend.explain().startswith(
        f"Rising: 3 reports on 3 stories from 3 publishers in the last {span}, "
        f"up from 0.5 per {span} before"
    )


def test_explain_of_a_naive_time_names_no_zone() -> None:
    """A naive first-seen time is shown as it is, without a zone."""
    trend = Trend("x", 3.0, 3, 0.0, 3, 3, datetime(2026, 11, 25, 13, 5))
    assert trend.explain().endswith("none before; first seen 25 Nov 13:05")


def test_coverage_series_bounds() -> None:
    """A mention at ``at`` is in the last bucket, one exactly ``buckets`` buckets
    before is not; one bucket holds the whole span; no buckets, no values."""
    hour = timedelta(hours=1)
    mentions = [
        Mention("other", 5, "a", AT - timedelta(minutes=5)),
        Mention("t", 1, "a", AT),
        Mention("t", 2, "a", AT - 3 * hour - timedelta(minutes=59)),
        Mention("t", 3, "a", AT - 4 * hour),
    ]
    assert coverage_series(mentions, topic="t", at=AT, buckets=4, bucket=hour) == [
        1,
        0,
        0,
        1,
    ]
    assert coverage_series(mentions, topic="t", at=AT, buckets=1, bucket=5 * hour) == [
        3
    ]
    assert coverage_series(mentions, topic="t", at=AT, buckets=0, bucket=hour) == []


SVG = "{http://www.w3.org/2000/svg}"


def _points(svg: str) -> list[tuple[float, float]]:
    line = ET.fromstring(svg).find(f"{SVG}polyline")
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()]


def test_sparkline_geometry() -> None:
    """120 by 24 by default with a 2px margin: values spread evenly from x = 2 to
    118, zero at the bottom (y = 22), the largest at the top (y = 2), to two
    decimals; the dot marks the last value; one value is a flat line across."""
    svg = sparkline_svg([0, 2, 4], title="t")
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("120", "24")
    assert root.get("viewBox") == "0 0 120 24"
    assert _points(svg) == [(2, 22), (60, 12), (118, 2)]
    dot = root.find(f"{SVG}circle")
    assert (dot.get("cx"), dot.get("cy")) == ("118.0", "2.0")

    assert _points(sparkline_svg([0, 1], title="t")) == [(2, 22), (118, 2)]
    assert _points(sparkline_svg(list(range(7)), title="t"))[1] == (21.33, 18.67)
    assert _points(sparkline_svg([0], title="t")) == [(2, 22), (118, 22)]
    assert _points(sparkline_svg([5], title="t", width=50, height=10)) == [
        (2, 2),
        (48, 2),
    ]


def test_sparkline_has_no_text_outside_its_title() -> None:
    """Nothing between the elements: a screen reader reads the title alone."""
    root = ET.fromstring(sparkline_svg([1, 2], title="Coverage"))
    assert root.text is None
    assert all(element.tail is None for element in root.iter())


@pytest.mark.parametrize(("width", "height"), [(4, 24), (120, 4), (4, 4)])
def test_sparkline_too_small_to_draw_is_refused(width: int, height: int) -> None:
    """The margins take 4px each way: a sparkline needs more."""
    with pytest.raises(
        ValueError,
        match=rf"^A sparkline needs more than 4px each way; got {width}x{height}\.$",
    ):
        sparkline_svg([1], title="t", width=width, height=height)


def test_sparkline_just_large_enough() -> None:
    """5 by 5 leaves one pixel to draw in."""
    assert _points(sparkline_svg([0, 1], title="t", width=5, height=5)) == [
        (2, 3),
        (3, 2),
    ]


def test_the_nav_orders_clear_rises_then_the_rest_by_reports() -> None:
    """Clear rises lead (by score, capped at CLEAR_RISE, then reports); the news
    covered now follows by reports, whether it rose a little or not at all: 10 a
    window as always beats 4 -> 6, and 3 -> 4 beats a new name in 3 reports."""
    mentions = reports("port-closure", 9, first_story=1)
    mentions += reports("storm-ciara", 5, first_story=100)
    mentions += history("rail-strike", [4] * BASELINE_WINDOWS, first_story=10_000)
    mentions += reports("rail-strike", 9, first_story=200)
    mentions += history("police", [10] * BASELINE_WINDOWS, first_story=20_000)
    mentions += reports("police", 10, first_story=300)
    mentions += history("bus-fares", [4] * BASELINE_WINDOWS, first_story=30_000)
    mentions += reports("bus-fares", 6, first_story=400)
    mentions += history("tram-fares", [3] * BASELINE_WINDOWS, first_story=40_000)
    mentions += reports("tram-fares", 4, first_story=500)
    mentions += reports("canal-reopening", 3, first_story=600)

    shown = topics_in_the_news(mentions, at=AT)

    assert [(t.topic, t.rising) for t in shown] == [
        ("port-closure", True),  # 9.0
        ("storm-ciara", True),  # 5.0
        ("rail-strike", True),  # 2.236, 9 reports
        ("police", False),  # 10 reports
        ("bus-fares", False),  # 6 reports, 0.894
        ("tram-fares", False),  # 4 reports, 0.5
        ("canal-reopening", True),  # 3 reports, 3.0: a small rise
    ]
    assert [t.topic for t in trending_topics(mentions, at=AT)] == [
        "port-closure",
        "storm-ciara",
        "canal-reopening",
        "rail-strike",
    ]


@pytest.mark.parametrize(
    ("fragment", "longer"), [("berth", "berth-9"), ("ciara", "storm-ciara")]
)
def test_a_more_reported_fragment_still_gives_way(fragment: str, longer: str) -> None:
    """The fragment ranks first (6 reports) and the longer name has 5 of its
    reports' worth: the nav says the longer name, wherever the fragment stands
    in it, and goes on to the next news."""
    mentions = reports(fragment, 6, first_story=1)
    mentions += reports(longer, 5, first_story=100)
    mentions += reports("lighthouse-auction", 3, first_story=200)
    assert [t.topic for t in topics_in_the_news(mentions, at=AT)] == [
        longer,
        "lighthouse-auction",
    ]


@pytest.mark.parametrize(("longer_reports", "shown"), [(4, "berth-9"), (3, "berth")])
def test_a_fragment_gives_way_from_fragment_share_on(
    longer_reports: int, shown: str
) -> None:
    """ "Berth" in 5 reports: "Berth 9" in 4 (80%) takes its place, in 3 it does
    not (and is left out, sharing the listed topic's word)."""
    mentions = reports("berth", 5, first_story=1)
    mentions += reports("berth-9", longer_reports, first_story=100)
    assert [t.topic for t in topics_in_the_news(mentions, at=AT)] == [shown]


def test_the_longer_name_with_enough_reports_wins_over_one_ranked_before() -> None:
    """ "Berth closure" rises but has 5 of the fragment's 10 reports; "Berth 9",
    not rising, has 9: the nav says "Berth 9"."""
    mentions = reports("berth", 10, first_story=1)
    mentions += reports("berth-closure", 5, first_story=100)
    mentions += history("berth-9", [6] * BASELINE_WINDOWS, first_story=10_000)
    mentions += reports("berth-9", 9, first_story=200)
    assert [t.topic for t in topics_in_the_news(mentions, at=AT)] == ["berth-9"]


def test_names_sharing_a_first_word_are_two_news() -> None:
    """ "Harbour strike" and "harbour fire crews": neither contains the other and
    "harbour" is no topic of its own, so both are listed."""
    mentions = reports("harbour-strike", 5, first_story=1)
    mentions += reports("harbour-fire-crews", 4, first_story=100)
    assert [t.topic for t in topics_in_the_news(mentions, at=AT)] == [
        "harbour-strike",
        "harbour-fire-crews",
    ]


def one_story(
    topic: str, articles: range, *, story: int = 7, publisher: str = "p"
) -> list[Mention]:
    """``topic`` named in ``articles`` of ``story``, each from its own publisher."""
    return [
        Mention(topic, story, f"{publisher}{n}", AT - timedelta(hours=1), n)
        for n in articles
    ]


@pytest.mark.parametrize(("named_in", "facet_listed"), [(6, False), (5, True)])
def test_a_topic_is_a_subject_of_a_story_from_core_share_of_its_articles(
    named_in: int, facet_listed: bool
) -> None:
    """A story of 20 articles: the topic named in 6 (30%) is its subject, and a
    smaller topic told in the same story is a facet of it, left out; named in 5,
    it is not, and the other topic has a place of its own. The news after it is
    listed either way."""
    mentions = one_story("ship-launch", range(1, 1 + named_in))
    mentions += one_story("shipyard-jobs", range(101, 105), publisher="q")
    # The rest of the story's 20 articles name a topic one publisher alone covers.
    mentions += [
        Mention("wire-copy", 7, "wire", AT - timedelta(hours=1), 200 + n)
        for n in range(20 - named_in - 4)
    ]
    mentions += reports("lighthouse-auction", 3, first_story=500)

    shown = [t.topic for t in topics_in_the_news(mentions, at=AT)]

    assert shown == ["ship-launch"] + ["shipyard-jobs"] * facet_listed + [
        "lighthouse-auction"
    ]


@pytest.mark.parametrize(("own_stories", "facet_listed"), [(2, False), (3, True)])
def test_a_facet_is_half_its_reports_in_listed_stories(
    own_stories: int, facet_listed: bool
) -> None:
    """A topic with 2 of its 4 articles in a listed topic's story is a facet of
    it; with 2 of 5 it has a place of its own."""
    mentions = one_story("ship-launch", range(1, 7))
    mentions += one_story("shipyard-jobs", range(101, 103), publisher="q")
    mentions += [
        Mention("shipyard-jobs", 300 + n, f"r{n}", AT - timedelta(hours=2), 300 + n)
        for n in range(own_stories)
    ]

    shown = [t.topic for t in topics_in_the_news(mentions, at=AT)]

    assert shown == ["ship-launch"] + ["shipyard-jobs"] * facet_listed


@pytest.mark.parametrize(("shared", "listed"), [(2, False), (1, True)])
def test_named_in_half_its_articles_with_a_listed_topic_is_the_same_news(
    shared: int, listed: bool
) -> None:
    """ "Freddie" named in 2 of its 4 articles beside "Fannie" (in a story neither
    is the subject of) is the same news; in 1 of 4 it is news of its own. The
    news after it is listed either way."""
    late = AT - timedelta(hours=1)
    mentions = [Mention("fannie", 10 + n, f"p{n}", late, 100 + n) for n in range(6)]
    # Story 30: ten wire articles, two of which name Fannie.
    mentions += [Mention("wire-copy", 30, "wire", late, 900 + n) for n in range(10)]
    mentions += [Mention("fannie", 30, f"p{n}", late, 300 + n) for n in (6, 7)]
    mentions += [
        Mention("freddie", 30, f"p{n}", late, 300 + n) for n in range(6, 6 + shared)
    ]
    mentions += [
        Mention("freddie", 40 + n, f"r{n}", late, 400 + n) for n in range(4 - shared)
    ]
    mentions += reports("harbour-lights", 3, first_story=500)

    shown = [t.topic for t in topics_in_the_news(mentions, at=AT)]

    assert shown == ["fannie"] + ["freddie"] * listed + ["harbour-lights"]


def test_an_unknown_article_is_not_taken_for_an_article_of_that_number() -> None:
    """Mentions without an article (0) stand for their story: story 5 is not
    article 5, so the topic told in stories 5-8 is not a facet of the one named
    in articles 5-8."""
    late = AT - timedelta(hours=1)
    mentions = [Mention("tram-fares", 100 + n, f"p{n}", late, n) for n in range(5, 9)]
    mentions += [Mention("bus-lanes", n, f"q{n}", late) for n in range(5, 9)]

    shown = [t.topic for t in topics_in_the_news(mentions, at=AT)]

    assert sorted(shown) == ["bus-lanes", "tram-fares"]


@pytest.mark.parametrize(("reports_now", "shown"), [(9, "miley-cyrus"), (8, "bangerz")])
def test_a_facet_takes_the_slot_from_name_swap_ratio_times_the_reports(
    reports_now: int, shown: str
) -> None:
    """ "Bangerz", new in 6 reports, holds the story's slot; "Miley Cyrus", named in
    the same story as often as usual, takes it with 9 reports (1.5 times), not
    with 8."""
    mentions = one_story("bangerz", range(6))
    mentions += one_story("miley-cyrus", range(reports_now))
    for w in range(1, 5):
        mentions += reports("miley-cyrus", 5, window=w, first_story=100 * w)

    assert [t.topic for t in topics_in_the_news(mentions, at=AT)] == [shown]


def test_a_name_sharing_a_word_with_a_listed_topic_stays_out_in_later_rounds() -> None:
    """ "Apple" is in the news now; "Apple iPhone", in the news earlier today, is
    not listed beside it in the fill."""
    mentions = reports("apple", 3, first_story=1)
    mentions += reports("apple-iphone", 4, first_story=100, window=1)
    mentions += reports("night-trains", 3, first_story=200, window=1)

    shown = topics_in_the_news(mentions, at=AT)

    assert [(t.topic, t.rising) for t in shown] == [
        ("apple", True),
        ("night-trains", False),
    ]


@pytest.mark.parametrize(("limit", "shown"), [(1, "tour-dates"), (10, "miley-cyrus")])
def test_once_the_window_fills_the_nav_the_wider_windows_are_not_read(
    limit: int, shown: str
) -> None:
    """With room, the name the story's reports used earlier today (5 of them
    against 3 now) takes the story's slot; when the window's own topics fill
    the nav, the fill is not read and the slot keeps the window's name."""
    mentions = one_story("tour-dates", range(3))
    mentions += [
        Mention("miley-cyrus", 7, f"q{n}", AT - timedelta(hours=10), 10 + n)
        for n in range(5)
    ]
    assert [t.topic for t in topics_in_the_news(mentions, at=AT, limit=limit)] == [
        shown
    ]


def test_the_nav_takes_data_start_for_the_baseline() -> None:
    """As trending_topics does: given one topic's mentions, data_start keeps the
    quiet weeks in the baseline."""
    mentions = steady("harbour", 1, 1, first_story=1)
    mentions += [Mention("harbour", 50, "pub9", AT - 3 * WINDOW)]
    mentions += burst("harbour", 5, 6, first_story=100)
    data_start = AT - 40 * WINDOW
    (trend,) = trending_topics(mentions, at=AT, data_start=data_start)
    (shown,) = topics_in_the_news(mentions, at=AT, data_start=data_start)
    assert shown == trend
    assert shown.baseline == round(1 / BASELINE_WINDOWS, 3)


def test_a_full_nav_can_still_rename_a_slot() -> None:
    """The nav has room for one: "Bangerz" (new, 5 reports) takes it, "rail
    strike" (9, as usual) finds it full, and "Miley Cyrus" (8 in Bangerz's story,
    as usual) still renames the story's slot."""
    mentions = one_story("bangerz", range(5))
    mentions += one_story("miley-cyrus", range(8))
    mentions += reports("rail-strike", 9, first_story=500, publisher="r")
    for w in range(1, 5):
        mentions += reports("miley-cyrus", 5, window=w, first_story=100 * w)
        mentions += reports("rail-strike", 9, window=w, first_story=1000 * w)

    assert [t.topic for t in topics_in_the_news(mentions, at=AT, limit=1)] == [
        "miley-cyrus"
    ]
