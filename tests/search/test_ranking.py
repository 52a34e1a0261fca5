"""The blend of relevance and recency behaves as its docstring says."""

from __future__ import annotations

import pytest

from cupure.search.ranking import (
    RECENCY_FLOOR,
    RECENCY_HALF_LIFE_DAYS,
    blend,
    recency_factor,
)


def test_recency_factor_shape() -> None:
    """1 now, halfway to the floor after the half-life, tending to the floor."""
    assert recency_factor(0) == 1.0
    assert recency_factor(-3) == 1.0
    halfway = RECENCY_FLOOR + (1 - RECENCY_FLOOR) / 2
    assert recency_factor(RECENCY_HALF_LIFE_DAYS) == pytest.approx(halfway)
    assert recency_factor(10_000) == pytest.approx(RECENCY_FLOOR, abs=1e-3)
    assert recency_factor(1) > recency_factor(2) > recency_factor(30)


def test_strong_old_match_beats_weak_new_one() -> None:
    """A match three times stronger from a year ago beats one from today."""
    assert blend(3.0, 365) > blend(1.0, 0)
    assert blend(1.0, 1) > blend(1.0, 100)
