"""Reader search text → a query every backend can run safely (no Django).

Whatever a reader types — quotes, brackets, ``AND``/``NEAR``/``NOT``, ``*``, ``:``,
SQL, control characters — is reduced to a list of terms made only of letters and
digits, and each backend's query string is built from those terms alone. A search box
therefore never raises a syntax error in FTS5 or ``to_tsquery``.

What a reader may use:

- words, all of which must match (``harbour bridge``);
- a phrase in double quotes (``"harbour bridge"``); an unclosed quote runs to the end;
- a word joined by punctuation (``dock-workers``, ``U.S.``, ``o'brien``) is a phrase
  of its parts, the way both databases' tokenizers split it in the text;
- ``OR`` (upper case) between alternatives, ``NOT word`` or ``-word`` to exclude;
- a trailing ``*`` for a prefix (``harb*``), on words of at least
  ``PREFIX_MIN_CHARS`` characters.

Other syntax (``NEAR``, brackets, column filters, ``^``) is read as plain words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

# Longer input is cut: a search box is not a document, and each term costs a lookup.
MAX_QUERY_CHARS = 300
# Terms past this many are dropped: every term is ANDed, so more only narrows to zero
# while each one adds an index scan.
MAX_TERMS = 12
# Words in one phrase past this many are dropped (same reason as MAX_TERMS).
MAX_PHRASE_WORDS = 8
# "a*" would expand to most of the vocabulary: prefixes must be this long to count.
PREFIX_MIN_CHARS = 3

# Letters and digits only: the one alphabet both FTS5 (unicode61) and PostgreSQL's
# parser read as word characters, and one that cannot spell any query syntax.
_WORD = re.compile(r"[^\W_]+")
# A run of non-space text, optionally ending in the prefix star.
_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One thing that must match: a word, or a phrase of consecutive words."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    """The reader's text reduced to safe terms.

    Every group must match (a group matches when any of its terms does), and no
    excluded term may. There is always at least one group when any term is left:
    a query of exclusions alone would scan everything, so it is read as empty.
    """

    text: str
    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def terms(self) -> tuple[Term, ...]:
        return tuple(term for group in self.groups for term in group)

    @property
    def words(self) -> tuple[str, ...]:
        terms = (*self.terms, *self.excluded)
        return tuple(word for term in terms for word in term.words)

    @property
    def required(self) -> ParsedQuery:
        """The query without its exclusions: what a headline must hold to count as
        a headline match (an excluded word counts wherever it appears)."""
        return replace(self, excluded=())


def _clean(text: str) -> str:
    """NFKC, control and format characters out, length capped."""
    text = unicodedata.normalize("NFKC", text)[:MAX_QUERY_CHARS]
    return "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in text
    ).strip()


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))[:MAX_PHRASE_WORDS]


def parse_query(text: str) -> ParsedQuery:
    """Turn any reader text into terms; never raises, may return no terms.

    Upper-case ``OR`` joins its neighbours as alternatives, ``NOT word`` and
    ``-word`` exclude, upper-case ``AND`` is dropped (all words are required
    anyway). Other operators of either database are plain words.
    """
    cleaned = _clean(text or "")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    seen: set[tuple[bool, Term]] = set()
    join_next = negate_next = False
    count = 0
    for match in _CHUNK.finditer(cleaned):
        quoted, bare = match.group(1), match.group(2)
        if bare in ("AND", "OR", "NOT"):
            join_next = bare == "OR" and bool(groups)
            negate_next = bare == "NOT"
            continue
        negate = negate_next
        if quoted is not None:
            term = Term(words=_words(quoted))
        else:
            if bare.startswith("-") and len(bare) > 1:
                negate, bare = True, bare[1:]
            words = _words(bare)
            prefix = bare.endswith("*") and len(words) == 1
            term = Term(
                words=words, prefix=prefix and len(words[0]) >= PREFIX_MIN_CHARS
            )
        join, join_next, negate_next = join_next, False, False
        if not term.words or (negate, term) in seen:
            continue
        seen.add((negate, term))
        if negate:
            excluded.append(term)
        elif join:
            groups[-1].append(term)
        else:
            groups.append([term])
        count += 1
        if count == MAX_TERMS:
            break
    if not groups:
        excluded = []
    return ParsedQuery(
        text=cleaned,
        groups=tuple(tuple(group) for group in groups),
        excluded=tuple(excluded),
    )


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + " *" if term.prefix else quoted


def to_fts5(query: ParsedQuery, *, column: str | None = None) -> str:
    """An FTS5 MATCH expression: every term a quoted string.

    Quoted strings are literal in FTS5 (``AND``, ``NEAR``, ``-`` lose their meaning);
    the words hold no double quote to escape, so none can close the string early.
    Only our own ``AND``/``OR``/``NOT`` and brackets join them.

    With ``column`` (a column name of the backend's, never reader text) the required
    terms must match in that column, through FTS5's column filter; an excluded term
    still excludes a row wherever it appears.
    """
    if not query:
        return ""
    groups = []
    for group in query.groups:
        alternatives = " OR ".join(_fts5_term(term) for term in group)
        groups.append(f"({alternatives})" if len(group) > 1 else alternatives)
    expression = " AND ".join(groups)
    if column is not None:
        expression = f"{{{column}}} : ({expression})"
    for term in query.excluded:
        expression = f"({expression}) NOT {_fts5_term(term)}"
    return expression


def _tsquery_term(term: Term, *, weight: str = "", in_order: bool = True) -> str:
    # A prefix term is one word: its star goes with the weight after the colon.
    labels = [weight] * len(term.words)
    if term.prefix:
        labels[-1] = f"*{weight}"
    joiner = " <-> " if in_order else " & "
    part = joiner.join(
        f"'{word}':{label}" if label else f"'{word}'"
        for word, label in zip(term.words, labels, strict=True)
    )
    return f"({part})" if term.is_phrase else part


def to_tsquery(query: ParsedQuery, *, weight: str = "", in_order: bool = True) -> str:
    """A ``to_tsquery`` input: quoted lexemes, ``<->`` in phrases, ``&``/``|``/``!``.

    Each lexeme is quoted and made of letters and digits only, so the text is valid
    tsquery syntax whatever the reader typed; ``to_tsquery`` still stems each one and
    drops stop words with the configuration it is given.

    ``weight`` (a label of the backend's, ``"A"`` for the headline) makes the
    required terms match only words of that label; an excluded term still excludes
    a row wherever it appears. With ``in_order=False`` a phrase's words need only
    all be there, which a GIN index answers without reading the row (word order it
    cannot answer).
    """
    if not query:
        return ""
    parts = []
    for group in query.groups:
        alternatives = " | ".join(
            _tsquery_term(term, weight=weight, in_order=in_order) for term in group
        )
        parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
    parts.extend(f"!{_tsquery_term(term)}" for term in query.excluded)
    return " & ".join(parts)
