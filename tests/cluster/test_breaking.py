"""The breaking-news rule at its limits (cupure.cluster.breaking; mutation testing,
issue #23): each condition from both sides, and the rate arithmetic exactly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cupure.cluster.breaking import (
    BREAKING_WINDOW,
    MIN_RATE_RATIO,
    MIN_RECENT_ARTICLES,
    MIN_RECENT_PUBLISHERS,
    Coverage,
    breaking_score,
)

HOURS = timedelta(hours=1)


def test_the_rule_is_the_documented_one() -> None:
    assert (MIN_RECENT_ARTICLES, MIN_RECENT_PUBLISHERS) == (3, 2)
    assert (BREAKING_WINDOW, MIN_RATE_RATIO) == (6 * HOURS, 2.0)


@pytest.mark.parametrize(
    ("coverage", "score"),
    [
        # A new story: three articles from two newsrooms, against one of prior belief.
        (Coverage(3, 2, 0, timedelta(0)), 3.0),
        (Coverage(2, 2, 0, timedelta(0)), 0.0),  # too few articles
        (Coverage(3, 1, 0, timedelta(0)), 0.0),  # one newsroom
        # Exactly twice the earlier pace is breaking; less is not.
        (Coverage(4, 2, 1, timedelta(0)), 2.0),
        (Coverage(3, 3, 1, timedelta(0)), 0.0),
        # The earlier pace is per window of the story's life before this one.
        (Coverage(4, 2, 3, 12 * HOURS), 2.0),
        (Coverage(5, 2, 5, 18 * HOURS), 2.5),
        (Coverage(4, 2, 5, 12 * HOURS), 0.0),
        (Coverage(4, 2, 5, 18 * HOURS), 2.0),
        # Less than one window before counts as one window.
        (Coverage(4, 2, 1, 3 * HOURS), 2.0),
        (Coverage(6, 3, 2, 3 * HOURS), 2.0),
    ],
)
def test_breaking_score(coverage: Coverage, score: float) -> None:
    assert breaking_score(coverage) == pytest.approx(score)
