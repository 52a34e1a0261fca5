"""Text normalisation and tokenisation shared by fingerprints, vectors and topics.

Pure functions, no Django, no downloads: everything here works offline from the
word lists in this module. The tokeniser is deliberately simple (Unicode word
characters joined by inner apostrophes) so that it is fast, deterministic and the
same in every process.

Interface for other modules (``cupure.text.topics`` uses it too):

- :func:`normalize_text` — NFKC, quotes/dashes folded, whitespace collapsed.
- :func:`word_tokens` — words of normalised text, case kept (for name detection).
- :func:`content_tokens` — lower-case content words, stopwords dropped, light stems.
- :func:`content_terms` — the same with a flag for words written like names.
- :func:`content_form` — the content token of one word (memoised), or None.
- :func:`light_stem` — the plural/possessive folding used by ``content_tokens``.
- :data:`STOPWORDS` — the English function words ``content_tokens`` drops.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "STOPWORDS",
    "content_form",
    "content_terms",
    "content_tokens",
    "is_content_token",
    "light_stem",
    "normalize_text",
    "word_tokens",
]

# Typographic variants that publishers (and CMSs) use interchangeably: folding them
# keeps "Trump’s" and "Trump's", or "2–1" and "2-1", the same text for shingles.
_CHAR_FOLDS = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / typographic apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u0060": "'",  # grave accent used as an opening quote (``like this'')
        "\u00b4": "'",  # acute accent used as an apostrophe
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u00ab": '"',  # left guillemet
        "\u00bb": '"',  # right guillemet
        "\u2033": '"',  # double prime
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u00ad": "",  # soft hyphen: invisible, splits words when kept
        "\u200b": "",  # zero-width space
        "\u200c": "",  # zero-width non-joiner
        "\u200d": "",  # zero-width joiner
        "\ufeff": "",  # byte order mark pasted into text
    }
)

# A word is a run of letters/digits, optionally joined by inner apostrophes
# ("don't", "o'neill"); underscores are not word characters in prose.
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# The same pattern for ASCII text, about a third faster (most feeds are ASCII).
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*")

# English function words plus the reporting verbs every news article uses ("said",
# "told"): they carry no information about which event an article covers. Our own
# list, kept short on purpose; topic-specific "headline-speak" belongs to topics.py.
_STOPWORD_TEXT = """
    a about above across after afterwards again against all almost alone along already
    also although always am among amongst an and another any anyhow anyone anything
    anyway anywhere are around as at be became because become becomes becoming been
    before beforehand behind being below beside besides between beyond both but by can
    cannot could couldn't did didn't do does doesn't doing don't done down during each
    either else elsewhere enough even ever every everyone everything everywhere except
    few for former formerly from further had hadn't has hasn't have haven't having he
    he'd he'll he's hence her here hereafter hereby herein hers herself him himself his
    how however i i'd i'll i'm i've if in indeed into is isn't it it's its itself just
    last latter latterly least less many may me meanwhile might mine more moreover most
    mostly much must my myself namely neither never nevertheless next no nobody none
    noone nor not nothing now nowhere of off often on once one only onto or other others
    otherwise our ours ourselves out over own per perhaps please quite rather re really
    same say says said saying she she'd she'll she's should shouldn't since so some
    somehow someone something sometime sometimes somewhere still such than that that's
    the their theirs them themselves then thence there thereafter thereby therefore
    therein thereupon these they they'd they'll they're they've this those though
    through throughout thru thus to together too told toward towards under until up upon
    us very via was wasn't we we'd we'll we're we've well were weren't what whatever
    when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will with within
    without won't would wouldn't yet you you'd you'll you're you've your yours yourself
    yourselves
    according also told tell tells telling reported reports reporting added adds
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# Word endings whose final "s" is not a plural marker ("business", "virus", "crisis",
# "texas"): stripping it would merge unrelated words or mangle names.
_KEEP_FINAL_S = ("ss", "us", "is", "as")
# Shorter words are left alone: "bus", "gas", "its" are not plurals.
_MIN_STEM_LENGTH = 4
# "churches", "boxes", "crashes": the plural added "es" after a sibilant.
_SIBILANT_ES = ("ches", "shes", "sses", "xes", "zes")

# Bounded memo for content_form: news vocabulary is Zipfian, so a few
# hundred thousand entries cover nearly every lookup; clearing keeps memory bounded.
_CACHE_LIMIT = 300_000
_content_cache: dict[str, str | None] = {}


def normalize_text(text: str) -> str:
    """Return ``text`` in NFKC form with typographic quotes and dashes folded to
    ASCII, invisible characters removed and every run of whitespace made one space
    (leading/trailing whitespace stripped)."""
    if text.isascii():
        # ASCII is already NFKC and its only fold is the grave accent: skip the
        # two slow passes (most feeds are ASCII; this is the hot path).
        folded = text.replace("`", "'")
    else:
        folded = unicodedata.normalize("NFKC", text).translate(_CHAR_FOLDS)
    return " ".join(folded.split())


def word_tokens(text: str) -> list[str]:
    """Return the words of ``normalize_text(text)`` in order, case kept.

    Punctuation and hyphens split words ("court-mandated" gives two words); inner
    apostrophes do not ("don't" is one word).
    """
    text = normalize_text(text)
    return (_ASCII_WORD if text.isascii() else _WORD).findall(text)


def light_stem(word: str) -> str:
    """Fold possessives and regular English plurals of a lower-case ``word``.

    "trump's" and "trumps" become "trump", "cities" "city", "churches" "church",
    "houses" "house"; words ending in -ss/-us/-is/-as and words shorter than
    four letters are kept as they are. Readable output on purpose (no Porter
    stems), so topic labels can show it.
    """
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    if len(word) < _MIN_STEM_LENGTH or not word.endswith("s"):
        return word
    if word.endswith(_KEEP_FINAL_S):
        return word
    if word.endswith("ies") and len(word) > _MIN_STEM_LENGTH:
        return word[:-3] + "y"
    if word.endswith(_SIBILANT_ES):
        return word[:-2]
    return word[:-1]


def is_content_token(token: str) -> bool:
    """True when a lower-case token carries meaning: at least two characters and
    not a stopword (so "2013" and "q10" are content, "a" and "the" are not)."""
    return len(token) >= 2 and token not in STOPWORDS


def content_form(word: str) -> str | None:
    """The content token for one word as :func:`word_tokens` returns it
    (lower-cased, :func:`light_stem` applied), or None for a stopword or a
    one-character word. Memoised: call it per distinct word in hot loops."""
    form = _content_cache.get(word)
    if form is not None or word in _content_cache:
        return form
    lower = word.lower()
    stem = light_stem(lower) if is_content_token(lower) else ""
    result = stem if stem and is_content_token(stem) else None
    if len(_content_cache) >= _CACHE_LIMIT:
        _content_cache.clear()
    _content_cache[word] = result
    return result


def content_tokens(text: str) -> list[str]:
    """Return the content words of ``text`` in order: lower-cased, stopwords and
    one-character tokens dropped, possessives and plurals folded by
    :func:`light_stem`. Deterministic and offline."""
    forms = map(content_form, _WORD.findall(normalize_text(text)))
    return [form for form in forms if form is not None]


def content_terms(text: str) -> list[tuple[str, bool]]:
    """Like :func:`content_tokens`, each token paired with whether the word was
    written like a name or a figure (first character upper-case or a digit):
    "Chiefs", "Q10", "2013" are; "chiefs" is not. Names and figures are what tell
    two similar events apart."""
    out: list[tuple[str, bool]] = []
    append = out.append
    for word in _WORD.findall(normalize_text(text)):
        form = content_form(word)
        if form is not None:
            first = word[0]
            append((form, first.isupper() or first.isdigit()))
    return out
