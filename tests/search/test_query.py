"""Reader text becomes safe FTS5 and tsquery strings, whatever was typed."""

from __future__ import annotations

import pytest

from cupure.search.query import (
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Term,
    parse_query,
    to_fts5,
    to_tsquery,
)


def test_words_are_lowercased_terms_all_required() -> None:
    """Plain words become one term each, lowercased, in order, duplicates dropped."""
    parsed = parse_query("Harbour BRIDGE harbour")
    assert parsed.terms == (Term(("harbour",)), Term(("bridge",)))
    assert to_fts5(parsed) == '"harbour" AND "bridge"'
    assert to_tsquery(parsed) == "'harbour' & 'bridge'"


def test_quoted_phrase_and_unclosed_quote() -> None:
    """A quoted phrase is one term; an unclosed quote runs to the end of the text."""
    parsed = parse_query('"harbour bridge" reopens "night train')
    assert parsed.terms == (
        Term(("harbour", "bridge")),
        Term(("reopens",)),
        Term(("night", "train")),
    )
    assert to_fts5(parsed) == '"harbour bridge" AND "reopens" AND "night train"'
    assert to_tsquery(parsed) == (
        "('harbour' <-> 'bridge') & 'reopens' & ('night' <-> 'train')"
    )


def test_punctuated_word_is_a_phrase_of_its_parts() -> None:
    """dock-workers and U.S. are phrases, as the tokenizers split them in text."""
    parsed = parse_query("dock-workers U.S.")
    assert parsed.terms == (Term(("dock", "workers")), Term(("u", "s")))


def test_prefix_needs_three_characters() -> None:
    """harb* is a prefix term; a* is only the word "a"."""
    parsed = parse_query("harb* a*")
    assert parsed.terms == (Term(("harb",), prefix=True), Term(("a",)))
    assert to_fts5(parsed) == '"harb" * AND "a"'
    assert to_tsquery(parsed) == "'harb':* & 'a'"


@pytest.mark.parametrize(
    "hostile",
    [
        'title:bridge OR body:"x',
        "bridge AND NOT (strike NEAR/2 port)",
        "'; DROP TABLE articles_article; --",
        "a & b | !c <-> d:* 'e'",
        '"""',
        "***",
        "^bridge + -strike",
        "\x00\x1b[31mred\u200b\ue000mark\ue001",
        "NEAR(",
    ],
)
def test_hostile_text_yields_only_letters_and_digits(hostile: str) -> None:
    """Whatever the syntax, every word is letters and digits only."""
    parsed = parse_query(hostile)
    for word in parsed.words:
        assert word.isalnum(), word
    fts = to_fts5(parsed)
    # Only our own quotes, stars, brackets and operators remain as syntax.
    syntax = fts
    for operator in (" AND ", " OR ", " NOT "):
        syntax = syntax.replace(operator, " ")
    assert set(syntax) - set(' "*()') <= set("".join(parsed.words))


def test_no_words_no_terms() -> None:
    """Punctuation alone, blank or None-like input parse to an empty query."""
    for text in ["", "   ", "!!! ??? ---", '""']:
        parsed = parse_query(text)
        assert not parsed
        assert to_fts5(parsed) == ""


def test_length_and_term_caps() -> None:
    """Long input is cut to MAX_QUERY_CHARS and to MAX_TERMS terms."""
    parsed = parse_query(" ".join(f"w{i}" for i in range(100)))
    assert len(parsed.terms) == MAX_TERMS
    assert len(parse_query("x" * 10_000).text) == MAX_QUERY_CHARS


def test_or_not_and_minus() -> None:
    """OR joins alternatives, NOT and a leading minus exclude, AND is dropped."""
    parsed = parse_query("bridge OR tunnel AND reopens NOT strike -delay")
    assert parsed.groups == (
        (Term(("bridge",)), Term(("tunnel",))),
        (Term(("reopens",)),),
    )
    assert parsed.excluded == (Term(("strike",)), Term(("delay",)))
    assert to_fts5(parsed) == (
        '((("bridge" OR "tunnel") AND "reopens") NOT "strike") NOT "delay"'
    )
    assert to_tsquery(parsed) == (
        "('bridge' | 'tunnel') & 'reopens' & !'strike' & !'delay'"
    )


def test_exclusions_alone_are_no_query() -> None:
    """-strike alone would scan every article: it is read as an empty query."""
    parsed = parse_query("-strike NOT delay OR")
    assert not parsed
    assert to_fts5(parsed) == to_tsquery(parsed) == ""


def test_lowercase_operators_are_words() -> None:
    """Lower-case "or" and "not" are ordinary words."""
    parsed = parse_query("war or peace")
    assert parsed.groups == ((Term(("war",)),), (Term(("or",)),), (Term(("peace",)),))


def test_tsquery_for_the_headline_and_for_an_index() -> None:
    """weight="A" labels every required lexeme (a prefix keeps its star), never an
    excluded one; in_order=False turns a phrase into its words ANDed."""
    parsed = parse_query('"harbour bridge" OR harb* -closed')
    assert to_tsquery(parsed, weight="A") == (
        "(('harbour':A <-> 'bridge':A) | 'harb':*A) & !'closed'"
    )
    assert to_tsquery(parsed.required, in_order=False) == (
        "(('harbour' & 'bridge') | 'harb':*)"
    )


def test_control_characters_separate_words() -> None:
    """A control character is a space: two words, not a phrase of the two."""
    parsed = parse_query("storm\x00flood\x1fwarning")
    assert parsed.terms == (Term(("storm",)), Term(("flood",)), Term(("warning",)))


def test_minus_excludes_even_a_one_letter_word() -> None:
    parsed = parse_query("storm -x -")
    assert parsed.terms == (Term(("storm",)),)
    assert parsed.excluded == (Term(("x",)),)


def test_prefix_of_exactly_three_characters() -> None:
    assert parse_query("sto*").terms == (Term(("sto",), prefix=True),)
    assert parse_query("st*").terms == (Term(("st",)),)


def test_a_repeated_or_empty_term_is_skipped_not_the_end() -> None:
    parsed = parse_query("storm storm !!! flood")
    assert parsed.terms == (Term(("storm",)), Term(("flood",)))


def test_column_filter_and_excluded_phrase() -> None:
    """The required terms are filtered to the column; an excluded phrase keeps its
    word order in tsquery too."""
    parsed = parse_query('storm NOT "night train"')
    assert to_fts5(parsed, column="title") == (
        '({title} : ("storm")) NOT "night train"'
    )
    assert to_fts5(parse_query("storm"), column="title") == '{title} : ("storm")'
    assert to_tsquery(parsed, weight="A", in_order=False) == (
        "'storm':A & !('night' <-> 'train')"
    )
