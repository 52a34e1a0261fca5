"""CopyIndex and signatures at their edges (mutation testing, issue #23): stored
signatures stay comparable across versions, the LSH banding, re-adding, removing
and pruning keep the index consistent, and the messages name the fix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.text.fingerprint import (
    SIGNATURE_SIZE,
    CopyIndex,
    signature_similarity,
    text_signature,
)

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def test_signatures_are_the_stored_ones() -> None:
    """Signatures are stored in the database: the same text must give the same
    values in every version (change them only with a recompute of the stored ones).
    A short text is one shingle of its words joined by spaces."""
    assert text_signature("Dinant floods")[:4] == (
        1509847035,
        3613428503,
        1516025978,
        1640150417,
    )
    long = "Flood waters rose overnight along the Meuse river in Dinant"
    assert text_signature(long)[:4] == (1288207944, 68748118, 566041272, 226853295)
    assert all(isinstance(v, int) for v in text_signature(long))


def signatures(agree: list[bool]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    first = tuple(range(1, SIGNATURE_SIZE + 1))
    pairs = zip(first, agree, strict=True)
    second = tuple(v if same else v + 1_000_000 for v, same in pairs)
    return first, second


def test_a_pair_sharing_no_whole_band_is_never_a_candidate() -> None:
    """LSH compares only pairs equal in one band of four rows: agreeing in three
    rows of every four (0.75) but in no whole band, the pair is not verified (the
    documented miss, rare for real texts)."""
    stored, query = signatures([i % 4 != 3 for i in range(SIGNATURE_SIZE)])
    assert signature_similarity(stored, query) == 0.75
    index = CopyIndex()
    index.add(1, stored, T0)
    assert index.matches(query) == []
    # One whole band in common makes it a candidate, found at its similarity.
    _, banded = signatures([i % 4 != 3 or i < 4 for i in range(SIGNATURE_SIZE)])
    assert [m.similarity for m in index.matches(banded)] == [97 / 128]


def test_re_adding_replaces_the_old_signature_everywhere() -> None:
    """After re-adding with another text and removing, nothing of either remains
    (a stale bucket entry would point at a forgotten article)."""
    first, second = text_signature("Dinant floods"), text_signature("Namur burns")
    index = CopyIndex()
    index.add(1, first, T0)
    index.add(1, second, T0)
    assert index.matches(first) == []
    assert [m.doc_id for m in index.matches(second)] == [1]
    index.remove(1)
    assert index.matches(first) == [] and index.matches(second) == []


def test_removing_one_of_two_copies_keeps_the_other_findable() -> None:
    signature = text_signature("Dinant floods")
    index = CopyIndex()
    index.add(1, signature, T0)
    index.add(2, signature, T0 + timedelta(minutes=1))
    index.remove(1)
    assert [m.doc_id for m in index.matches(signature)] == [2]


def test_prune_keeps_what_was_published_at_the_cut_off() -> None:
    index = CopyIndex()
    index.add(1, text_signature("Dinant floods"), T0)
    assert index.prune(T0) == 0
    assert 1 in index
    assert index.prune(T0 + timedelta(seconds=1)) == 1


def test_threshold_range_is_above_zero_up_to_one() -> None:
    assert CopyIndex(threshold=1.0).threshold == 1.0
    for bad in (1.5, 0.0, -0.1):
        with pytest.raises(
            ValueError, match=rf"threshold must be in \(0, 1\], got {bad}"
        ):
            CopyIndex(threshold=bad)


def test_messages_name_the_fix() -> None:
    with pytest.raises(ValueError, match="different sizes") as caught:
        signature_similarity((1, 2, 3), (1, 2))
    assert str(caught.value) == (
        "signatures have different sizes (3 and 2); recompute the stored ones with "
        "text_signature()"
    )
    with pytest.raises(ValueError, match="expected 128") as caught:
        CopyIndex().add(1, (1, 2, 3), T0)
    assert str(caught.value) == (
        "signature has 3 values, expected 128; recompute it with text_signature()"
    )
