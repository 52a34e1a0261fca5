"""COPY_THRESHOLD pinned from both sides (issue #23): it could be set anywhere from
0.05 to 0.64 without a failing test, since tests compared scores against the same
constant and only from above. Now a copy just above and a non-copy just below it
fail as soon as the threshold moves, so retuning is a deliberate, visible change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.text.fingerprint import (
    SIGNATURE_SIZE,
    CopyIndex,
    signature_similarity,
    text_signature,
)
from tests.text.test_fingerprint import ORIGINAL

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
WORDS = ORIGINAL.split()
# A republisher that cut the wire story after its third sentence and four words:
# estimated Jaccard 0.523, a copy. One that cut it after the third sentence: 0.484,
# not one. (The estimates are fixed: the hash seeds are.)
JUST_ABOVE = " ".join(WORDS[:68])
JUST_BELOW = " ".join(WORDS[:64])


def find(text: str, index: CopyIndex | None = None) -> tuple[int, float] | None:
    index = CopyIndex() if index is None else index
    index.add(1, text_signature(ORIGINAL), T0)
    return index.find_original(text_signature(text), published=T0 + timedelta(hours=1))


def test_fixtures_sit_either_side_of_one_half() -> None:
    original = text_signature(ORIGINAL)
    assert signature_similarity(original, text_signature(JUST_ABOVE)) == 67 / 128
    assert signature_similarity(original, text_signature(JUST_BELOW)) == 62 / 128
    assert JUST_BELOW.endswith("on Wednesday evening.")


def test_a_copy_just_above_the_threshold_is_found() -> None:
    assert find(JUST_ABOVE) == (1, 67 / 128)


def test_a_text_just_below_the_threshold_is_not_a_copy() -> None:
    assert find(JUST_BELOW) is None


def test_an_index_with_its_own_threshold_uses_it() -> None:
    """A lower bar makes the trimmed text a copy; a higher one refuses both."""
    assert find(JUST_BELOW, CopyIndex(threshold=0.45)) == (1, 62 / 128)
    assert find(JUST_ABOVE, CopyIndex(threshold=0.55)) is None


def signature_agreeing_in(positions: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two signatures equal in their first ``positions`` values, different after
    (agreeing bands make the pair an LSH candidate)."""
    first = tuple(range(1, SIGNATURE_SIZE + 1))
    second = first[:positions] + tuple(
        v + 1_000_000 for v in first[positions:SIGNATURE_SIZE]
    )
    return first, second


@pytest.mark.parametrize(("agreeing", "copy"), [(63, False), (64, True), (65, True)])
def test_exactly_one_half_is_a_copy(agreeing: int, copy: bool) -> None:
    """The threshold is 0.5 and inclusive: 64 of 128 agreeing values is a copy, 63
    is not."""
    stored, query = signature_agreeing_in(agreeing)
    index = CopyIndex()
    index.add(7, stored, T0)
    found = index.find_original(query, published=T0)
    assert (found is not None) is copy
    if copy:
        assert found == (7, agreeing / 128)
