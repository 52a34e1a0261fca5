"""Sparse TF-IDF vectors with streaming document frequencies.

Articles arrive one at a time, so inverse document frequencies are learned as they
come (:class:`TermStatistics`): a vector is weighted with the statistics of the
moment it is made and never re-weighted, which keeps story centroids cheap to
maintain and the result independent of later arrivals (replaying the same articles
in the same order gives the same vectors). Vectors are plain ``dict[str, float]``
with unit L2 norm. Pure, no Django.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import repeat
from operator import itemgetter, mul

__all__ = [
    "MAX_VOCABULARY",
    "SparseVector",
    "TermStatistics",
    "add_scaled",
    "cosine",
    "dot",
    "l2_norm",
    "term_counts",
    "top_terms",
]

SparseVector = dict[str, float]
_weight = itemgetter(1)

# Distinct terms remembered with their document frequency. News vocabulary grows
# without end (names, typos, numbers); above this size the terms seen in one
# document only are forgotten, which changes no weight that matters (they are rare
# either way) and keeps a long-running process bounded.
MAX_VOCABULARY = 500_000


class TermStatistics:
    """Document frequencies of terms over the documents seen so far."""

    def __init__(self) -> None:
        self.documents = 0
        self._df: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._df)

    def document_frequency(self, term: str) -> int:
        """How many added documents contained ``term``."""
        return self._df.get(term, 0)

    def add_document(self, terms: Iterable[str]) -> None:
        """Count one document containing ``terms`` (duplicates count once; a
        mapping counts its keys)."""
        self.documents += 1
        df = self._df
        # Counter.update over a non-mapping iterable counts in C.
        df.update(terms.keys() if isinstance(terms, Mapping) else set(terms))
        if len(df) > MAX_VOCABULARY:
            self._df = Counter({t: n for t, n in df.items() if n > 1})

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1``:
        positive for every term, highest for terms never seen."""
        return math.log((1 + self.documents) / (1 + self._df.get(term, 0))) + 1.0

    def vector(
        self, counts: Mapping[str, float], *, max_terms: int | None = None
    ) -> SparseVector:
        """Return the unit TF-IDF vector of term ``counts``: sublinear term
        frequency ``1 + ln(tf)`` times :meth:`idf`, keeping the ``max_terms``
        heaviest terms (all when None). The dict is ordered heaviest term first
        (equal weights in ``counts`` order), so its first items are its top terms.
        Empty ``counts`` give an empty vector."""
        get = self._df.get
        log = math.log
        log_n = log(1 + self.documents) + 1.0
        ranked = [
            (term, (1.0 + log(tf)) * (log_n - log(1 + get(term, 0))))
            for term, tf in counts.items()
            if tf > 0
        ]
        ranked.sort(key=_weight, reverse=True)  # stable: ties keep counts order
        if max_terms is not None:
            del ranked[max_terms:]
        norm = math.sqrt(sum(w * w for _, w in ranked))
        if norm == 0.0:
            return {}
        return {term: w / norm for term, w in ranked}


def term_counts(tokens: Iterable[str], *, weight: float = 1.0) -> dict[str, float]:
    """Count ``tokens``, each occurrence adding ``weight``."""
    counts: dict[str, float] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0.0) + weight
    return counts


def top_terms(vector: Mapping[str, float], n: int) -> list[tuple[str, float]]:
    """The ``n`` heaviest ``(term, weight)`` pairs, heaviest first; equal weights
    keep the mapping's order (deterministic for dicts built the same way)."""
    if n * 4 >= len(vector):  # sorting beats a heap unless n is a small share
        return sorted(vector.items(), key=_weight, reverse=True)[:n]
    return heapq.nlargest(n, vector.items(), key=_weight)


def l2_norm(vector: Mapping[str, float]) -> float:
    """Euclidean length of ``vector``."""
    return math.sqrt(sum(w * w for w in vector.values()))


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (iterates the smaller one)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(map(mul, a.values(), map(b.get, a.keys(), repeat(0.0))))


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse vectors (0.0 when either is empty)."""
    product = dot(a, b)
    if product == 0.0:
        return 0.0
    return product / (l2_norm(a) * l2_norm(b))


def add_scaled(
    target: dict[str, float], vector: Mapping[str, float], scale: float
) -> None:
    """``target += scale * vector``, in place."""
    for term, w in vector.items():
        target[term] = target.get(term, 0.0) + scale * w
