"""Tests for cupure.text.semantic: the numpy MiniLM, its tokeniser, distillation
into a static table, and text vectors from that table (real model package)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from cupure.text.semantic import (
    MiniLM,
    WordPiece,
    distil_token_table,
    semantic_vectors,
)


@pytest.fixture(scope="module")
def minilm() -> MiniLM:
    return MiniLM()


def test_minilm_matches_the_published_similarity(minilm: MiniLM) -> None:
    """The sentence-transformers documentation gives 0.755 for this pair."""
    a, b = minilm.encode(["A man is eating food.", "A man is eating a piece of bread."])
    assert float(a @ b) == pytest.approx(0.755, abs=0.002)


def test_wordpiece_splits_like_bert(minilm: MiniLM) -> None:
    """Greedy longest match: "dockworkers" is dock ##work ##ers; accents are
    stripped and case folded; punctuation splits."""
    tokenizer = minilm.tokenizer
    vocab = tokenizer.vocab
    expected = [vocab["dock"], vocab["##work"], vocab["##ers"]]
    assert tokenizer.ids("dockworkers") == expected
    assert tokenizer.ids("Café, DOCKERS") == tokenizer.ids("cafe , dockers")
    assert tokenizer.word_ids("dockworkers", max_pieces=2) == []


def test_distillation_is_deterministic_and_centred() -> None:
    """A stand-in model (one fixed vector per token): the table has one row per
    token, zero rows for special tokens, centred columns, components ordered by
    variance with a fixed sign, and the same table twice."""
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e"]
    rng = np.random.default_rng(5)
    outputs = rng.normal(size=(len(vocab), 6)).astype(np.float32)

    def encode_ids(ids, batch):
        return np.stack([outputs[seq[1]] for seq in ids])

    model = SimpleNamespace(tokenizer=WordPiece(vocab), encode_ids=encode_ids)
    table = distil_token_table(model, dimensions=3)  # type: ignore[arg-type]
    assert table.shape == (len(vocab), 3)
    special = [0, 2, 3, 4]
    assert not table[special].any()
    kept = table[[1, 5, 6, 7, 8, 9]]
    assert np.allclose(kept.mean(axis=0), 0.0, atol=1e-5)
    variances = kept.var(axis=0)
    assert list(variances) == sorted(variances, reverse=True)
    assert np.array_equal(table, distil_token_table(model, dimensions=3))  # type: ignore[arg-type]


def test_text_vectors_put_related_words_closer() -> None:
    """From the installed package's distilled table: a flood headline is nearer
    another flood headline in other words than an election headline; weights
    and unknown words are handled."""
    vectors = semantic_vectors()
    flood = vectors.encode(["river", "floods", "town"])
    rain = vectors.encode(["heavy", "rain", "flooding", "homes"])
    vote = vectors.encode(["parliament", "election", "vote"])
    assert float(flood @ rain) > float(flood @ vote) + 0.1
    assert np.linalg.norm(flood) == pytest.approx(1.0, abs=1e-5)
    assert not vectors.encode(["qqqzzzxxyy"]).any()
    assert not vectors.encode([]).any()
    weighted = vectors.encode({"river": 1.0, "election": 0.01})
    assert float(weighted @ vectors.encode(["river"])) > 0.99
