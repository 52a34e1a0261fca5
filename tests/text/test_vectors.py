"""Tests for cupure.text.vectors."""

from __future__ import annotations

import math

import pytest

from cupure.text.vectors import (
    MAX_VOCABULARY,
    TermStatistics,
    add_scaled,
    cosine,
    dot,
    l2_norm,
    top_terms,
)


def stats_with(*documents: str) -> TermStatistics:
    stats = TermStatistics()
    for doc in documents:
        stats.add_document(doc.split())
    return stats


def test_idf_is_higher_for_rarer_terms() -> None:
    """A term in every document weighs least, an unseen term most, all positive."""
    stats = stats_with("flood dinant", "flood namur", "flood liege")
    assert stats.document_frequency("flood") == 3
    assert 0 < stats.idf("flood") < stats.idf("dinant") < stats.idf("unseen")


def test_add_document_counts_a_term_once_per_document() -> None:
    """Repeating a term in one document (list or mapping) adds 1 to its df."""
    stats = TermStatistics()
    stats.add_document(["flood", "flood", "flood"])
    stats.add_document({"flood": 3.0, "dinant": 1.0})
    assert stats.documents == 2
    assert stats.document_frequency("flood") == 2
    assert stats.document_frequency("dinant") == 1


def test_vector_is_unit_length_ordered_and_capped() -> None:
    """Vectors have unit norm, heaviest term first, and at most max_terms terms."""
    stats = stats_with("a b", "a c", "a d")
    vector = stats.vector({"a": 1, "b": 1, "zebra": 4}, max_terms=2)
    assert list(vector) == ["zebra", "b"]
    assert l2_norm(vector) == pytest.approx(1.0)
    assert stats.vector({}) == {}


def test_vocabulary_is_bounded() -> None:
    """Past MAX_VOCABULARY distinct terms, terms seen once are forgotten."""
    stats = TermStatistics()
    stats.add_document(["common"])
    stats.add_document(["common"] + [f"t{i}" for i in range(MAX_VOCABULARY)])
    assert len(stats) == 1
    assert stats.document_frequency("common") == 2


def test_cosine_dot_and_helpers() -> None:
    """cosine is 1 for parallel vectors, 0 for disjoint ones or an empty one."""
    a = {"x": 3.0, "y": 4.0}
    assert cosine(a, {"x": 6.0, "y": 8.0}) == pytest.approx(1.0)
    assert cosine(a, {"z": 1.0}) == 0.0
    assert cosine(a, {}) == 0.0
    assert dot(a, {"x": 2.0}) == 6.0
    assert l2_norm(a) == 5.0
    target = {"x": 1.0}
    add_scaled(target, a, 2.0)
    assert target == {"x": 7.0, "y": 8.0}
    assert top_terms({"a": 1.0, "b": 3.0, "c": 2.0}, 2) == [("b", 3.0), ("c", 2.0)]
    assert math.isclose(sum(w for _, w in top_terms(a, 5)), 7.0)
