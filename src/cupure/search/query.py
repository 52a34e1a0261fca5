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
- a trailing ``*`` for a prefix (``harb*``), on words of at least
  ``PREFIX_MIN_CHARS`` characters.

Everything else (operators, brackets, column filters) is read as plain words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
    """The reader's text reduced to safe terms (all must match)."""

    text: str
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(word for term in self.terms for word in term.words)


def _clean(text: str) -> str:
    """NFKC, control and format characters out, length capped."""
    text = unicodedata.normalize("NFKC", text)[:MAX_QUERY_CHARS]
    return "".join(
        ch if unicodedata.category(ch)[0] != "C" else " " for ch in text
    ).strip()


def parse_query(text: str) -> ParsedQuery:
    """Turn any reader text into terms; never raises, may return no terms."""
    cleaned = _clean(text or "")
    terms: list[Term] = []
    seen: set[Term] = set()
    for match in _CHUNK.finditer(cleaned):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            words = tuple(w.lower() for w in _WORD.findall(quoted))[:MAX_PHRASE_WORDS]
            term = Term(words=words)
        else:
            prefix = bare.endswith("*")
            words = tuple(w.lower() for w in _WORD.findall(bare))[:MAX_PHRASE_WORDS]
            prefix = prefix and len(words) == 1 and len(words[0]) >= PREFIX_MIN_CHARS
            term = Term(words=words, prefix=prefix)
        if term.words and term not in seen:
            seen.add(term)
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return ParsedQuery(text=cleaned, terms=tuple(terms))


def to_fts5(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every term a quoted string, implicitly ANDed.

    Quoted strings are literal in FTS5 (``AND``, ``NEAR``, ``-`` lose their meaning);
    the words hold no double quote to escape, so none can close the string early.
    """
    parts = []
    for term in query.terms:
        quoted = '"' + " ".join(term.words) + '"'
        parts.append(quoted + " *" if term.prefix else quoted)
    return " ".join(parts)


def to_tsquery(query: ParsedQuery) -> str:
    """A ``to_tsquery`` input: quoted lexemes joined by ``&``, phrases by ``<->``.

    Each lexeme is quoted and made of letters and digits only, so the text is valid
    tsquery syntax whatever the reader typed; ``to_tsquery`` still stems each one and
    drops stop words with the configuration it is given.
    """
    parts = []
    for term in query.terms:
        lexemes = [f"'{word}'" for word in term.words]
        part = " <-> ".join(lexemes)
        if term.prefix:
            part += ":*"
        parts.append(f"({part})" if term.is_phrase else part)
    return " & ".join(parts)
