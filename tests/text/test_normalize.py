"""Tests for cupure.text.normalize."""

from __future__ import annotations

import pytest

from cupure.text.normalize import (
    STOPWORDS,
    content_form,
    content_terms,
    content_tokens,
    light_stem,
    normalize_text,
    word_tokens,
)


def test_normalize_text_folds_typography_and_whitespace() -> None:
    """Curly quotes, guillemets, dashes, soft hyphens, NFKC compatibility forms
    and runs of whitespace all come out as plain ASCII equivalents."""
    raw = (
        "  \u201cTrump\u2019s\u201d \u2014 \u00abfin\u00bb\u00a0 "
        "co\u00adoperate\n\n\ufb01le \uff21 "
    )
    assert normalize_text(raw) == '"Trump\'s" - "fin" cooperate file A'


def test_normalize_text_ascii_fast_path_folds_grave_quotes() -> None:
    """ASCII text keeps its content; ``like this'' quoting becomes apostrophes."""
    assert normalize_text("``American Pie''\tstar") == "''American Pie'' star"


def test_word_tokens_keep_case_and_inner_apostrophes() -> None:
    """Hyphens and punctuation split words; apostrophes inside a word do not."""
    assert word_tokens("Don't stop: court-mandated O\u2019Neill_x 2013!") == [
        "Don't",
        "stop",
        "court",
        "mandated",
        "O'Neill",
        "x",
        "2013",
    ]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("trumps", "trump"),
        ("trump's", "trump"),
        ("players'", "player"),
        ("cities", "city"),
        ("churches", "church"),
        ("boxes", "box"),
        ("houses", "house"),
        ("days", "day"),
        ("business", "business"),
        ("virus", "virus"),
        ("crisis", "crisis"),
        ("texas", "texas"),
        ("bus", "bus"),
        ("news", "new"),
    ],
)
def test_light_stem(word: str, stem: str) -> None:
    """Regular plurals and possessives fold; -ss/-us/-is/-as words and short words
    stay. ("news" folds to "new": a known limit of a rule-based stemmer.)"""
    assert light_stem(word) == stem


def test_content_tokens_drop_stopwords_and_fold_inflections() -> None:
    """Stopwords, reporting verbs and one-letter words go; numbers stay."""
    text = "The police said Trump's cities were flooded in 2013, a U.S. report told."
    assert content_tokens(text) == [
        "police",
        "trump",
        "city",
        "flooded",
        "2013",
        "report",
    ]
    assert "said" in STOPWORDS


def test_content_form_is_none_for_stopwords() -> None:
    """content_form maps one word; stopwords and single letters give None."""
    assert content_form("Cities") == "city"
    assert content_form("the") is None
    assert content_form("s") is None


def test_content_terms_flag_names_and_figures() -> None:
    """Words starting upper-case or with a digit are flagged as names/figures."""
    assert content_terms("Chiefs beat the colts 20-13 in Q4") == [
        ("chief", True),
        ("beat", False),
        ("colt", False),
        ("20", True),
        ("13", True),
        ("q4", True),
    ]
