"""Near-verbatim copy detection: MinHash signatures over word shingles, and an LSH
index that finds the earliest indexed article a new one copies.

A syndicated wire story or a republication keeps long runs of the original wording
even when the headline, the first paragraph or a sentence is changed; two
independent reports of one event share almost no five-word runs. Comparing sets of
word shingles (their Jaccard similarity) therefore separates copies from mere
coverage of the same event, and MinHash estimates that Jaccard similarity from a
fixed-size signature (Broder 1997). Banded LSH retrieves the candidates with
similar signatures without comparing against every stored article.

Pure, no Django. Signatures are plain tuples of ints and are stable across
processes and machines (fixed seeds, CRC-32 shingle hashes), so they can be stored.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from cupure.text.normalize import word_tokens

__all__ = [
    "COPY_THRESHOLD",
    "LSH_BANDS",
    "LSH_ROWS",
    "SHINGLE_WORDS",
    "SIGNATURE_SIZE",
    "CopyIndex",
    "CopyMatch",
    "is_empty_signature",
    "signature_similarity",
    "text_signature",
]

# Five-word runs: long enough that independent reports of one event rarely share
# them (beyond a quoted phrase), short enough that one edited sentence only breaks
# the shingles that overlap it.
SHINGLE_WORDS = 5
# 128 hash functions give a Jaccard estimate with a standard error of at most
# 0.044 (sqrt(0.25/128)), ample to tell copies (>= 0.5) from coverage (< 0.1).
SIGNATURE_SIZE = 128
# 32 bands of 4 rows: a pair with Jaccard 0.5 becomes a candidate with probability
# 1 - (1 - 0.5**4)**32 = 0.87, with Jaccard 0.6 with 0.99, with Jaccard 0.1 with
# only 0.003, so few non-copies need to be verified.
LSH_ROWS = 4
LSH_BANDS = SIGNATURE_SIZE // LSH_ROWS
# A republisher that trims the original to its first half, or rewrites the headline
# and a few sentences of a ten-sentence story, stays above 0.5; independent reports
# of the same event measured below 0.1 on our fixtures (tests/text/test_fingerprint).
COPY_THRESHOLD = 0.5

# Universal hashing h(x) = (a*x + b) mod p over 32-bit shingle hashes, p the
# smallest prime above 2**32. a, b < 2**31 keep a*x + b inside uint64 (no overflow).
_PRIME = 4_294_967_311
_EMPTY = _PRIME  # larger than any hash value: the signature of a text with no words
_rng = np.random.default_rng(20_140_526)  # fixed: stored signatures must stay valid
_A = _rng.integers(1, 2**31, size=SIGNATURE_SIZE, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=SIGNATURE_SIZE, dtype=np.uint64)

Signature = tuple[int, ...]


def _shingle_hashes(text: str) -> np.ndarray:
    words = [w.lower() for w in word_tokens(text)]
    if not words:
        return np.empty(0, dtype=np.uint64)
    if len(words) <= SHINGLE_WORDS:
        shingles: Iterable[str] = [" ".join(words)]
    else:
        shingles = (
            " ".join(words[i : i + SHINGLE_WORDS])
            for i in range(len(words) - SHINGLE_WORDS + 1)
        )
    hashes = {zlib.crc32(s.encode("utf-8")) for s in shingles}
    return np.fromiter(hashes, dtype=np.uint64, count=len(hashes))


def text_signature(text: str) -> Signature:
    """Return the MinHash signature (``SIGNATURE_SIZE`` ints) of the set of
    ``SHINGLE_WORDS``-word shingles of ``text``.

    Words come from :func:`cupure.text.normalize.word_tokens`, lower-cased, so
    typography, case and punctuation do not matter. A text shorter than one shingle
    is one shingle; a text with no words gets the empty signature, which matches
    nothing (see :func:`is_empty_signature`).
    """
    hashes = _shingle_hashes(text)
    if hashes.size == 0:
        return (_EMPTY,) * SIGNATURE_SIZE
    values = (_A[:, None] * hashes[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return tuple(int(v) for v in values.min(axis=1))


def is_empty_signature(signature: Sequence[int]) -> bool:
    """True for the signature of a text with no words."""
    return all(v == _EMPTY for v in signature)


def signature_similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures: the
    share of positions where they agree. Empty signatures are similar to nothing
    (0.0). Raises ``ValueError`` when the lengths differ (signatures made with
    another ``SIGNATURE_SIZE`` must be recomputed)."""
    if len(a) != len(b):
        raise ValueError(
            f"signatures have different sizes ({len(a)} and {len(b)}); "
            "recompute the stored ones with text_signature()"
        )
    if not a or is_empty_signature(a) or is_empty_signature(b):
        return 0.0
    same = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    return same / len(a)


@dataclass(frozen=True)
class CopyMatch:
    """An indexed article whose signature is similar to a query signature."""

    doc_id: int
    similarity: float
    published: datetime


class CopyIndex:
    """LSH over signatures; finds earlier articles a new one copies.

    Keeps every added signature in memory (``SIGNATURE_SIZE`` ints each, plus one
    bucket entry per band); :meth:`prune` drops articles older than a cut-off so a
    long-running process stays bounded. Datetimes must all be aware or all naive.
    """

    def __init__(self, *, threshold: float = COPY_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._signatures: dict[int, np.ndarray] = {}
        self._published: dict[int, datetime] = {}
        self._buckets: dict[tuple[int, tuple[int, ...]], list[int]] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._signatures

    @staticmethod
    def _bands(signature: Sequence[int]) -> list[tuple[int, tuple[int, ...]]]:
        return [
            (band, tuple(signature[band * LSH_ROWS : (band + 1) * LSH_ROWS]))
            for band in range(LSH_BANDS)
        ]

    @staticmethod
    def _check(signature: Sequence[int]) -> None:
        if len(signature) != SIGNATURE_SIZE:
            raise ValueError(
                f"signature has {len(signature)} values, expected {SIGNATURE_SIZE}; "
                "recompute it with text_signature()"
            )

    def add(self, doc_id: int, signature: Sequence[int], published: datetime) -> None:
        """Index ``doc_id``. Re-adding an id replaces its signature. Articles with
        the empty signature (no words) are not indexed: they copy nothing."""
        self._check(signature)
        if doc_id in self._signatures:
            self.remove(doc_id)
        if is_empty_signature(signature):
            return
        self._signatures[doc_id] = np.asarray(signature, dtype=np.uint64)
        self._published[doc_id] = published
        for key in self._bands(signature):
            self._buckets.setdefault(key, []).append(doc_id)

    def remove(self, doc_id: int) -> None:
        """Forget ``doc_id`` (no error when it is not indexed)."""
        stored = self._signatures.pop(doc_id, None)
        if stored is None:
            return
        del self._published[doc_id]
        for key in self._bands([int(v) for v in stored]):
            bucket = self._buckets.get(key)
            if bucket is None:
                continue
            bucket.remove(doc_id)
            if not bucket:
                del self._buckets[key]

    def prune(self, before: datetime) -> int:
        """Forget every article published before ``before``; return how many."""
        old = [d for d, p in self._published.items() if p < before]
        for doc_id in old:
            self.remove(doc_id)
        return len(old)

    def matches(self, signature: Sequence[int]) -> list[CopyMatch]:
        """Every indexed article with estimated similarity >= ``threshold``,
        earliest first (ties by ``doc_id``). LSH may miss a pair near the threshold
        (13% at Jaccard 0.5, 1% at 0.6; see ``LSH_ROWS``)."""
        self._check(signature)
        if is_empty_signature(signature):
            return []
        candidates: set[int] = set()
        for key in self._bands(signature):
            bucket = self._buckets.get(key)
            if bucket:
                candidates.update(bucket)
        if not candidates:
            return []
        query = np.asarray(signature, dtype=np.uint64)
        found = []
        for doc_id in candidates:
            similarity = float(np.count_nonzero(self._signatures[doc_id] == query))
            similarity /= SIGNATURE_SIZE
            if similarity >= self.threshold:
                found.append(CopyMatch(doc_id, similarity, self._published[doc_id]))
        found.sort(key=lambda m: (m.published, m.doc_id))
        return found

    def find_original(
        self, signature: Sequence[int], *, published: datetime
    ) -> tuple[int, float] | None:
        """Return ``(doc_id, similarity)`` of the earliest indexed article published
        at or before ``published`` whose estimated similarity is at least
        ``threshold``, or None. Later-published matches are not originals of this
        article (use :meth:`matches` to see them)."""
        found = self.matches(signature)
        if found and found[0].published <= published:
            return found[0].doc_id, found[0].similarity
        return None
