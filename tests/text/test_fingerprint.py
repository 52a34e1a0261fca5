"""Tests for cupure.text.fingerprint.

Fixtures: ORIGINAL is a wire story we wrote; EDITED_COPY is its republication
with a new headline and one sentence rewritten (must be found as a copy);
OTHER_REPORT covers the same event in other words (must not be).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.text.fingerprint import (
    COPY_THRESHOLD,
    SIGNATURE_SIZE,
    CopyIndex,
    is_empty_signature,
    signature_similarity,
    text_signature,
)

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)

ORIGINAL = (
    "Flood waters rose overnight along the Meuse river in the town of Dinant, "
    "forcing the evacuation of about four hundred residents from low-lying streets. "
    "The regional governor said the river had reached its highest level since 1995 "
    "and that the crest was expected late on Thursday afternoon. Firefighters used "
    "boats to reach elderly people who had refused to leave their homes on "
    "Wednesday evening. The national railway company suspended trains between "
    "Namur and Dinant after water covered the tracks near the station. Schools in "
    "the lower town will stay closed until Monday, the mayor's office announced in "
    "a statement published on its website. Meteorologists warned that another band "
    "of heavy rain would reach the Ardennes at the weekend, with up to sixty "
    "millimetres expected in places."
)
EDITED_COPY = "Belgium floods: hundreds flee Dinant. " + ORIGINAL.replace(
    "The national railway company suspended trains between Namur and Dinant "
    "after water covered the tracks near the station.",
    "Rail services to Namur were cancelled for the rest of the day.",
)
OTHER_REPORT = (
    "Hundreds of people had to leave their homes in Dinant as the Meuse burst its "
    "banks, in the worst flooding the Belgian town has seen in three decades. "
    "Rescue crews in boats went from door to door in the old quarter, where the "
    "water stood a metre deep on Wednesday night. Rail traffic towards Namur was "
    "halted and local schools were shut. Forecasters expect more rain over the "
    "Ardennes this weekend."
)


def test_signature_is_fixed_size_and_deterministic() -> None:
    """Signatures have SIGNATURE_SIZE ints and do not depend on the process
    (fixed seeds and CRC-32): the same text gives the same tuple."""
    signature = text_signature(ORIGINAL)
    assert len(signature) == SIGNATURE_SIZE
    assert all(isinstance(v, int) for v in signature)
    assert signature == text_signature(ORIGINAL)


def test_typography_and_case_do_not_change_the_signature() -> None:
    """Curly quotes, dashes, case and line breaks are normalised away."""
    styled = ORIGINAL.replace("'", "\u2019").upper().replace(". ", ".\n\n")
    assert text_signature(styled) == text_signature(ORIGINAL)


def test_edited_copy_is_similar_and_other_report_is_not() -> None:
    """A copy with a new headline and one changed sentence stays well above the
    copy threshold; independent coverage of the same event stays far below."""
    original = text_signature(ORIGINAL)
    assert signature_similarity(original, text_signature(EDITED_COPY)) >= 0.6
    assert signature_similarity(original, text_signature(OTHER_REPORT)) < 0.1
    assert signature_similarity(original, original) == 1.0


def test_copy_with_new_headline_and_changed_sentence_is_found() -> None:
    """find_original returns the original's id and its similarity."""
    index = CopyIndex()
    index.add(1, text_signature(ORIGINAL), T0)
    index.add(2, text_signature(OTHER_REPORT), T0 + timedelta(minutes=5))
    found = index.find_original(
        text_signature(EDITED_COPY), published=T0 + timedelta(hours=2)
    )
    assert found is not None
    doc_id, similarity = found
    assert doc_id == 1
    assert similarity >= COPY_THRESHOLD


def test_other_report_of_the_same_event_is_not_a_copy() -> None:
    index = CopyIndex()
    index.add(1, text_signature(ORIGINAL), T0)
    found = index.find_original(
        text_signature(OTHER_REPORT), published=T0 + timedelta(hours=1)
    )
    assert found is None


def test_earliest_of_several_copies_is_the_original() -> None:
    """When the original and an earlier-indexed-later-published copy both match,
    the earliest published wins, whatever the order they were added in."""
    index = CopyIndex()
    index.add(7, text_signature(EDITED_COPY), T0 + timedelta(hours=1))
    index.add(3, text_signature(ORIGINAL), T0)
    found = index.find_original(
        text_signature(ORIGINAL), published=T0 + timedelta(hours=3)
    )
    assert found is not None
    assert found[0] == 3
    assert [m.doc_id for m in index.matches(text_signature(ORIGINAL))] == [3, 7]


def test_later_published_match_is_not_an_original() -> None:
    """An indexed article published after the query is listed by matches() but
    not returned as its original."""
    index = CopyIndex()
    index.add(5, text_signature(EDITED_COPY), T0 + timedelta(hours=1))
    assert index.find_original(text_signature(ORIGINAL), published=T0) is None
    assert [m.doc_id for m in index.matches(text_signature(ORIGINAL))] == [5]


def test_empty_text_matches_nothing() -> None:
    """A text without words gets the empty signature: never indexed, never found,
    similar to nothing."""
    empty = text_signature(" \n -- ")
    assert is_empty_signature(empty)
    assert signature_similarity(empty, empty) == 0.0
    index = CopyIndex()
    index.add(1, empty, T0)
    assert len(index) == 0
    assert index.find_original(empty, published=T0) is None


def test_short_text_is_one_shingle() -> None:
    """A text shorter than a shingle is still fingerprinted (one shingle)."""
    assert text_signature("Dinant floods") == text_signature("DINANT floods")
    assert not is_empty_signature(text_signature("Dinant floods"))


def test_remove_readd_and_prune() -> None:
    """remove forgets an article; re-adding replaces; prune drops old ones."""
    index = CopyIndex()
    index.add(1, text_signature(ORIGINAL), T0)
    index.add(2, text_signature(OTHER_REPORT), T0 + timedelta(days=2))
    index.add(2, text_signature(OTHER_REPORT), T0 + timedelta(days=2))
    assert len(index) == 2
    assert index.prune(T0 + timedelta(days=1)) == 1
    assert 1 not in index
    assert 2 in index
    assert index.find_original(text_signature(ORIGINAL), published=T0) is None
    index.remove(2)
    index.remove(2)
    assert len(index) == 0


def test_wrong_signature_size_is_refused() -> None:
    """Signatures from another configuration fail loudly, naming the fix."""
    with pytest.raises(ValueError, match="text_signature"):
        signature_similarity((1, 2, 3), text_signature(ORIGINAL))
    with pytest.raises(ValueError, match="text_signature"):
        CopyIndex().add(1, (1, 2, 3), T0)
    with pytest.raises(ValueError, match="threshold"):
        CopyIndex(threshold=0.0)
