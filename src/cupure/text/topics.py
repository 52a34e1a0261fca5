"""Topics of an article: named entities and key phrases from its headline and lead.

A topic is a person, organisation, place or event named in the headline or lead, or a
key phrase that the headline and the lead both use ("interest rates"). Word frequency
is not topicality: headline-speak ("reveals"), generic nouns ("people", "police" alone)
and inflected duplicates ("Trump", "Trump's", "trumps") must never surface as topics
of their own (see :mod:`cupure.text.headline_words`).

How names are found, without a model or a gazetteer:

* Capitalisation in running text marks names, except where a convention capitalises
  words anyway: the first word of a sentence, a quote or a headline segment, and every
  word of a Title Case or ALL CAPS headline. Such positions are *weak* evidence. A
  Title Case headline is read word by word against its lead: a word counts as a name if
  the lead capitalises it mid-sentence, or if the dictionary does not know it.
* A capitalised run ("President Donald Trump", "Bank of England") becomes one
  candidate; honorifics are dropped ("Donald Trump", a person), generic words at a weak
  edge are dropped ("Star Harry Styles" gives "Harry Styles").
* Within one article, a lone surname merges into the full name ("Trump" into "Donald
  Trump"), an acronym into the name it abbreviates ("FBI"), and a plural or possessive
  into its base ("Trumps", "Trump's").
* A capitalised word seen only in a weak position ("Trump says ...", "Storm hits ...")
  is *tentative*: :class:`TopicResolver` keeps it only when it resolves to a topic the
  corpus already knows, so "Trump" at the start of a headline joins "Donald Trump" while
  "Storm" at the start of one never becomes a topic.

Key phrases are runs of one to three content words of the headline whose lemmas also
occur in the lead (simplemma lemmatises the head word, so "wildfires" and "wildfire"
are one key). A single word also needs a determiner before it in the lead ("a
heatwave"), which keeps verbs ("grips", "gripped") out. A headline with no lead (many
feeds give only a title) gives its noun phrases of two or three words ("gas prices")
unconfirmed: the resolver keeps them for the article but does not learn them, and a
trend needs several publishers to use the same one (issue #15).

Names as headlines write them (issue #15, real headlines): a short number stays with
its name ("Berth 9", not "Berth"); a descriptive word before a name is not part of it
("Charlotte-based Chiquita", "Disappointing China", "Cool Mark Carney"); and
:class:`TopicResolver` splits names run together from topics it knows ("Xbox One
Titanfall", "Bieber Selena Gomez") and reads "Libyan" as Libya.

Only English has the word lists; for other languages names are still found by
capitalisation and lemmas come from simplemma, but no key phrases are extracted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import simplemma

from cupure.text import headline_words as hw

KINDS: tuple[str, ...] = ("person", "organisation", "place", "event", "phrase")

# A headline is Title Case (its capitals say nothing about names) when no content
# word is in lower case and at least this many common words are capitalised.
TITLE_CASE_MIN_COMMON = 1
# Lower-case words this long or longer show sentence case ("of", "in", "the" stay
# lower case even in Title Case headlines).
TITLE_CASE_MIN_LETTERS = 4
# A headline is ALL CAPS when this share of its letters are capitals.
ALL_CAPS_SHARE = 0.8
# A capitalised run longer than this is several names run together ("Trump Putin
# Zelensky Talks"), not one name; it is dropped rather than guessed apart.
MAX_NAME_TOKENS = 5
# Key phrases are at most this many words: longer runs are clauses, not phrases.
MAX_PHRASE_WORDS = 3
# A one-word key phrase needs this many letters: shorter lower-case words are mostly
# function words and verbs the lists missed.
MIN_PHRASE_WORD_LETTERS = 4
# A headline's first word ending in -ing or -ed is a verb or adjective before a name
# ("Disappointing China") from this length on; shorter ones are often names ("Ted").
DESCRIPTOR_MIN_LETTERS = 5
# A Title Case guess spans at most this many words ("Bank of England"); longer runs
# are headlines, not names.
MAX_GUESS_WORDS = 4
# A number of at most this many digits after a name is part of it ("Berth 9",
# "Chapter 11"); four digits are mostly a year.
MAX_NAME_NUMBER_DIGITS = 3
# Acronyms are 2 to 6 capitals ("EU", "NATO", "UNESCO"); longer all-caps words are
# shouting.
ACRONYM_LETTERS = (2, 6)
# This many all-caps words in a row are shouting, not acronyms.
SHOUTING_RUN = 3
# Dotted abbreviations whose full stop does not end a sentence ("Sen. Warren").
ABBREVIATIONS = frozenset(
    "mr mrs ms dr sen rep gov gen col capt sgt lt prof rev st jr sr no vs".split(" ")  # noqa: SIM905
)
# Determiners before a noun: a one-word key phrase must follow one in the lead.
DETERMINERS = frozenset(
    "a an the this that these those its their his her our new another".split(" ")  # noqa: SIM905
)

_TOKEN_RE = re.compile(
    r"(?P<acronym>\b(?:[A-Z]\.){2,})"
    r"|(?P<word>[^\W_](?:[^\W_]|[-'’](?=[^\W_]))*['’]?)"
    r"|(?P<stop>[.!?:;…\"“”‘’'«»()\[\]|•—–\n]|\s-\s|-{2,})"
    r"|(?P<comma>,)"
)
_COMMON_WORDS = hw.STOPWORDS | hw.HEADLINE_SPEAK | hw.GENERIC_NOUNS
_CONTRACTION_RE = re.compile(r"['’](?:ve|d|ll|t|re|m)$", re.IGNORECASE)
_POSSESSIVE_RE = re.compile(r"['’]s$|['’]$", re.IGNORECASE)


@dataclass(frozen=True)
class TopicMention:
    """One topic named by one article.

    ``key`` is the canonical slug that inflections and variants share ("donald-trump");
    ``name`` is for display; ``kind`` is a hint (one of :data:`KINDS`; "phrase" also
    covers a lone name whose kind the text does not show). ``tentative`` marks a
    mention seen only where capitals are conventional (first word of a headline):
    :class:`TopicResolver` keeps it only if it resolves to a known topic. ``aliases``
    are the other surface forms merged into this mention within the article ("Trump",
    "FBI"); the resolver learns them.
    """

    key: str
    name: str
    kind: str
    tentative: bool = False
    aliases: tuple[str, ...] = ()
    # The first word is capitalised only by convention (a headline's first word):
    # "Weak China", where the resolver may know the name without it.
    weak_first: bool = False
    # A phrase from a headline with no lead to confirm it: the resolver keeps it
    # for the article (trends need several publishers to use it) but does not
    # learn it as a topic.
    unconfirmed: bool = False
    # Guesses from one run of Title Case words share a group (not 0): the resolver
    # keeps the longest it knows and none that overlaps it.
    group: int = 0


def topic_key(name: str) -> str:
    """The slug for a name: accents folded, lower case, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("&", " and ")
    return "-".join(re.findall(r"[^\W_]+", folded.lower()))


@dataclass(slots=True)
class _Token:
    text: str  # surface form, possessive removed
    lower: str
    cap: bool  # reads as capitalised (after Title Case / ALL CAPS correction)
    acronym: bool
    initial: bool  # first word of a sentence, quote or headline segment
    possessive: bool
    boundary_before: bool  # punctuation between this token and the previous one
    source: str  # "title" or "lead"
    position: int
    strong: bool = False  # capitalised where capitals are not conventional


@dataclass
class _Candidate:
    tokens: list[_Token]
    kind: str
    strong: bool
    position: int
    aliases: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return " ".join(t.text for t in self.tokens)

    @property
    def key(self) -> str:
        return topic_key(self.name)


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    low, high = ACRONYM_LETTERS
    return (
        low <= len(letters) <= high
        and letters.isalpha()
        and letters.isupper()
        and letters.lower() not in hw.GENERIC_ACRONYMS
    )


def _tokenize(text: str, source: str, offset: int) -> list[_Token]:
    """Split text into word tokens that remember sentence starts and punctuation."""
    tokens: list[_Token] = []
    initial = True
    boundary = True
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "stop":
            previous = tokens[-1] if tokens else None
            is_abbreviation = (
                value == "."
                and previous is not None
                and not previous.boundary_before
                and (previous.lower in ABBREVIATIONS or len(previous.text) == 1)
                and match.start() > 0
                and not text[match.start() - 1].isspace()
            )
            if not is_abbreviation:
                initial = True
                boundary = True
            continue
        if kind == "comma":
            boundary = True
            continue
        if kind == "acronym":
            word = value.replace(".", "")
            possessive = False
        else:
            possessive = bool(_POSSESSIVE_RE.search(value)) and len(value) > 2
            word = _POSSESSIVE_RE.sub("", value) if possessive else value
        if not word:
            continue
        # "iPhone", "eBay": a capital inside a lower-case start marks a name too.
        camel = word[0].islower() and word.isalpha() and not word.islower()
        # "I've", "Don't": contractions are never names, whatever their capitals.
        contraction = _CONTRACTION_RE.search(word) is not None
        tokens.append(
            _Token(
                text=word,
                lower=word.lower(),
                cap=(word[0].isupper() or camel) and not contraction,
                acronym=_is_acronym(word),
                initial=initial,
                possessive=possessive,
                boundary_before=boundary,
                source=source,
                position=offset + len(tokens),
            )
        )
        initial = False
        boundary = False
    return tokens


@lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    try:
        return str(simplemma.lemmatize(word, lang=language)).lower()
    except ValueError:
        return word.lower()


@lru_cache(maxsize=65536)
def load_word_lists(language: str = "en") -> None:
    """Load the language's dictionary now (about a second, once per process) rather
    than inside the first article's topic extraction."""
    _known_word("the", language)


def _known_word(word: str, language: str) -> bool:
    try:
        return bool(simplemma.is_known(word.lower(), lang=language))
    except ValueError:
        return False


def _mark_strong(tokens: list[_Token]) -> None:
    """Capitals mid-sentence are names; at a sentence start they are convention."""
    for token in tokens:
        token.strong = token.cap and (not token.initial or token.acronym)


def _title_style(tokens: list[_Token], lang: str) -> str:
    """ "sentence", "title" (Title Case) or "caps" (ALL CAPS) for a headline."""
    letters = [c for t in tokens for c in t.text if c.isalpha()]
    if len(tokens) >= 3 and letters:
        upper = sum(1 for c in letters if c.isupper())
        if upper / len(letters) >= ALL_CAPS_SHARE:
            return "caps"
    # Names are capitalised in any style, so they prove little; common words decide.
    # One lower-case content word ("greets") means sentence case; capitalised common
    # or dictionary words ("Reveals", "Matter", "With") with none in lower case mean
    # Title Case. (Names the dictionary knows, "Trump", count too: harmless, as the
    # lead and the resolver still recognise them.)
    lower_content = 0
    capital_common = 0
    for t in tokens:
        if t.initial or not t.text.isalpha():
            continue
        if not t.cap:
            if len(t.text) >= TITLE_CASE_MIN_LETTERS and t.lower not in hw.STOPWORDS:
                lower_content += 1
        elif (t.lower in _COMMON_WORDS or _known_word(t.text, lang)) and not t.acronym:
            capital_common += 1
    if capital_common >= TITLE_CASE_MIN_COMMON and lower_content == 0:
        return "title"
    return "sentence"


def _confirmed_words(lead: list[_Token]) -> dict[str, str]:
    """Lead words that are surely capitalised as names: lower form -> lead's form.

    Strong words, and a sentence's first word when a strong capital follows it in the
    same name ("Northern Energy Regulator said ..." confirms "Northern").
    """
    confirmed = {t.lower: t.text for t in lead if t.strong}
    for token, following in pairwise(lead):
        if token.cap and following.strong and not following.boundary_before:
            confirmed.setdefault(token.lower, token.text)
    return confirmed


def _recase_title(
    tokens: list[_Token], style: str, lead: list[_Token], lang: str
) -> None:
    """Re-read a Title Case or ALL CAPS headline's capitals against its lead.

    A word stays capitalised (and counts as strong evidence) when the lead capitalises
    it mid-sentence, or when the dictionary does not know it ("Starmer"); known words
    ("Meets", "Plan") read as lower case.
    """
    confirmed = _confirmed_words(lead)
    for token in tokens:
        if token.lower in confirmed:
            token.cap = True
            token.strong = True
            token.text = confirmed[token.lower]
            continue
        if style == "title" and token.acronym:
            token.strong = True
            continue
        unknown = (
            token.cap
            and token.text.isalpha()
            and token.lower not in hw.NEVER_A_TOPIC
            and not _known_word(token.text, lang)
        )
        token.cap = unknown
        token.strong = unknown
        if style == "caps":
            token.acronym = False
            token.text = token.text.capitalize()
    # "Marta Wells Warns ...": a dictionary word right after a name is part of it when
    # the lead capitalises it too, even at a sentence start ("Wells said ...").
    in_lead = {t.lower: t.text for t in lead if t.cap}
    for before, token in pairwise(tokens):
        if (
            before.cap
            and not token.cap
            and not token.boundary_before
            and token.lower in in_lead
            and token.lower not in _COMMON_WORDS
        ):
            token.cap = token.strong = True
            token.text = in_lead[token.lower]


def _recase_shouting(
    tokens: list[_Token], confirmed: dict[str, str], lang: str
) -> None:
    """Re-read words shouted in capitals inside a sentence-case headline.

    "FERRANTE THE HERO!" or "EMPTY SHELVES WARNING": a run of all-caps words that
    holds a dictionary word is shouting, not acronyms. Each word of it reads as in a
    Title Case headline (a name if the lead confirms it or the dictionary does not
    know it). Two-letter acronyms ("US", "EU") stay. Leads shout too, in datelines
    ("NEW JERSEY (WABC) --").
    """

    def shouted(token: _Token) -> bool:
        letters = token.text.replace("-", "")
        return len(letters) >= 2 and letters.isalpha() and letters.isupper()

    i = 0
    while i < len(tokens):
        if not shouted(tokens[i]):
            i += 1
            continue
        j = i
        while j < len(tokens) and shouted(tokens[j]):
            if j > i and tokens[j].boundary_before:
                break
            j += 1
        run = tokens[i:j]
        # Three capitalised words in a row are shouting ("ELENA DUNVIK IN talks");
        # so are fewer if one is a dictionary word ("EDDA'S FURY") or too long for an
        # acronym; "NATO, US" is not.
        is_shouting = (
            len(run) >= SHOUTING_RUN
            or any(not t.acronym for t in run)  # "SALMOND": too long for an acronym
            or any(
                confirmed.get(t.lower, t.text) != t.text for t in run
            )  # lead: "Arvid"
            or any(
                len(t.text) >= 3
                and (t.lower in _COMMON_WORDS or _known_word(t.text, lang))
                for t in run
            )
        )
        if is_shouting:
            for token in run:
                if len(token.text) == 2 and token.lower not in _COMMON_WORDS:
                    continue
                token.acronym = False
                if token.lower in confirmed:
                    token.text = confirmed[token.lower]
                    token.cap = token.strong = True
                elif token.lower not in _COMMON_WORDS and not _known_word(
                    token.text, lang
                ):
                    token.text = token.text.capitalize()
                    token.cap = token.strong = True
                else:
                    token.text = token.lower
                    token.cap = token.strong = False
        i = j


def _runs(tokens: list[_Token]) -> Iterable[list[_Token]]:
    """Maximal runs of capitalised tokens, joined by name connectors ("of", "de")."""
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if not token.cap or token.text.isdigit():
            i += 1
            continue
        run = [token]
        j = i + 1
        while j < n and not run[-1].possessive:
            nxt = tokens[j]
            if nxt.boundary_before or nxt.source != token.source:
                break
            if nxt.cap and not nxt.text.isdigit():
                run.append(nxt)
                j += 1
                continue
            if _is_name_number(nxt):
                # "Berth 9", "Apollo 11", "Chapter 11": the number is part of the
                # name (issue #15: the nav showed "Berth"); it ends the name.
                run.append(nxt)
                j += 1
                break
            is_connector = (
                nxt.lower in hw.NAME_CONNECTORS
                and j + 1 < n
                and tokens[j + 1].cap
                and not tokens[j + 1].boundary_before
            )
            if is_connector:
                run.extend([nxt, tokens[j + 1]])
                j += 2
                continue
            break
        yield run
        i = j


def _is_name_number(token: _Token) -> bool:
    """A short number right after a name is part of it ("Berth 9"); a year is not
    ("Sochi 2014" is Sochi in 2014)."""
    return token.text.isdigit() and len(token.text) <= MAX_NAME_NUMBER_DIGITS


def _is_descriptor(token: _Token, lang: str) -> bool:
    """A word before a name that describes it: "Charlotte-based", "Pizza-maker"
    (a hyphenated compound ending in a common word), or a headline's first word
    that is an inflected verb or adjective ("Disappointing China", "Buying Jos").
    """
    if "-" in token.text:
        last = token.text.rsplit("-", 1)[1]
        return last.lower() in hw.DESCRIPTOR_ENDINGS or (
            last.islower() and _known_word(last, lang)
        )
    if token.strong or not token.initial:
        return False
    word = token.lower
    if not word.endswith(("ing", "ed")) or len(word) < DESCRIPTOR_MIN_LETTERS:
        return False
    stem = word[: -3 if word.endswith("ing") else -2]
    # "Disappointing" (disappoint), "Buying" (buy), "Persisting" (persist).
    return _known_word(word, lang) and any(
        _known_word(form, lang) for form in (stem, stem + "e", stem[:-1])
    )


# Connectors that join organisations ("Bank of England"), not people ("Nick van Mead").
_NOT_IN_PERSON_NAMES = frozenset({"of", "for", "&", "y"})


def _looks_like_person(tokens: list[_Token]) -> bool:
    words = [t for t in tokens if len(t.text) > 1]
    return (
        2 <= len(words) <= 3
        and all(t.text.isalpha() or "-" in t.text or "'" in t.text for t in words)
        and not any(t.acronym for t in words)
        and not any(t.lower in _NOT_IN_PERSON_NAMES for t in tokens)
        and not any(
            t.lower in hw.ORGANISATION_WORDS
            or t.lower in hw.PLACE_WORDS
            or t.lower in hw.EVENT_WORDS
            for t in tokens
        )
    )


def _classify(tokens: list[_Token], *, honorific: bool, before: str, after: str) -> str:
    lowers = {t.lower for t in tokens}
    if len(tokens) > 1:
        if lowers & hw.EVENT_WORDS:
            return "event"
        if lowers & hw.ORGANISATION_WORDS:
            return "organisation"
        if lowers & hw.PLACE_WORDS:
            return "place"
    if honorific:
        return "person"
    if len(tokens) == 1 and tokens[0].acronym:
        return "organisation"
    if before in hw.LOCATIVE_PREPOSITIONS:
        return "place"
    if _looks_like_person(tokens):
        return "person"
    if after in hw.SPEECH_VERBS:
        return "person"
    return "phrase"


def _is_generic(token: _Token) -> bool:
    if token.acronym:
        return False  # "US" is a country even though "us" is a pronoun
    return token.lower in hw.NEVER_A_TOPIC or token.lower in hw.NAME_CONNECTORS


def _candidate(
    run: list[_Token], tokens: list[_Token], lang: str = "en"
) -> _Candidate | None:
    """Turn one capitalised run into a name candidate, or None if nothing is left."""
    first_index = run[0].position - tokens[0].position
    before = tokens[first_index - 1].lower if first_index > 0 else ""
    last_index = first_index + len(run) - 1
    after = tokens[last_index + 1].lower if last_index + 1 < len(tokens) else ""
    words = list(run)
    honorific = False
    while len(words) > 1:
        word, rest = words[0], words[1:]
        if word.lower in hw.HONORIFICS:
            # "President Donald Trump" is Donald Trump; "General Motors" stays.
            if any(
                t.lower in hw.ORGANISATION_WORDS or t.lower in hw.PLACE_WORDS
                for t in rest
            ):
                break
            honorific = honorific or word.lower not in hw.GENERIC_NOUNS
        elif word.lower in hw.DEMONYMS and rest[0].lower in hw.HONORIFICS:
            pass  # "Russian President Vladimir Putin" (but "British Airways" stays)
        elif word.acronym and rest[0].lower in hw.HONORIFICS:
            pass  # "US President Donald Trump"
        elif (
            not word.strong
            and _is_generic(word)
            and word.lower not in hw.EVENT_WORDS
            and word.lower not in hw.DEMONYMS
            and not (
                word.lower in hw.ORGANISATION_WORDS | hw.PLACE_WORDS
                and rest[0].lower in hw.NAME_CONNECTORS
            )
        ):
            # "Star Harry Styles reveals": capitals only by convention; but "Bank
            # of England" and "University of Kessel" keep their head word.
            pass
        elif _is_descriptor(word, lang) and not _is_name_number(rest[0]):
            pass  # "Charlotte-based Chiquita": the name is Chiquita (issue #15)
        elif (
            not word.strong
            and word.text.isalpha()
            and len(rest) == 2
            and _looks_like_person(rest)
            and all(t.strong and t.lower not in hw.STOPWORDS for t in rest)
            and _known_word(word.lower, lang)
            and word.lower not in hw.NAME_CONNECTORS
            and word.lower not in hw.NAME_ADJECTIVES
        ):
            pass  # "Cool Mark Carney chills out": a headline's adjective, not a name
        else:
            break
        words = rest
    # A trailing "Monday" is a date; a trailing weak "Says" is headline-speak; but a
    # mid-sentence "Hope" in "Hugo Hope" is a surname.
    while words and (
        words[-1].lower in hw.CALENDAR_WORDS
        or words[-1].lower in hw.NAME_CONNECTORS
        or (
            not words[-1].strong
            and (
                words[-1].lower in hw.STOPWORDS or words[-1].lower in hw.HEADLINE_SPEAK
            )
        )
    ):
        words = words[:-1]
    while words and words[0].lower in hw.NAME_CONNECTORS:
        words = words[1:]
    if not words or len(words) > MAX_NAME_TOKENS:
        return None
    if all(_is_generic(t) for t in words):
        return None
    if len(words) == 1:
        word = words[0]
        if len(word.text) < 2 or not any(c.isalpha() for c in word.text):
            return None
    kind = _classify(words, honorific=honorific, before=before, after=after)
    if kind == "person":
        # Middle initials vary between outlets ("Donald J. Trump"): not part of the key.
        kept = [words[0], *[t for t in words[1:-1] if len(t.text) > 1], words[-1]]
        words = kept if len(words) > 1 else words
    return _Candidate(
        tokens=words,
        kind=kind,
        strong=any(t.strong for t in words) or honorific,
        position=words[0].position,
    )


def _surname_like(candidate: _Candidate) -> bool:
    """Whether the last word alone can stand for the whole name.

    True for people ("Trump" for Donald Trump) and named storms and the like ("Ciara"
    for Storm Ciara); not for "Bank of England" ("England" is another topic).
    """
    tokens = candidate.tokens
    if len(tokens) < 2:
        return False
    if candidate.kind == "person":
        return True
    return (
        candidate.kind == "event"
        and len(tokens) == 2
        and tokens[0].lower in hw.EVENT_WORDS
    )


def _initials(candidate: _Candidate) -> str:
    return "".join(
        t.text[0].upper() for t in candidate.tokens if t.lower not in hw.NAME_CONNECTORS
    )


def _merge_names(candidates: list[_Candidate]) -> list[_Candidate]:
    """Merge variants within one article: surnames, acronyms, plurals, repeats."""
    by_key: dict[str, _Candidate] = {}
    for cand in candidates:
        existing = by_key.get(cand.key)
        if existing is None:
            by_key[cand.key] = cand
            continue
        existing.strong = existing.strong or cand.strong
        if existing.kind == "phrase" and cand.kind != "phrase":
            existing.kind = cand.kind
    multi = [c for c in by_key.values() if len(c.tokens) > 1]
    merged: dict[str, _Candidate] = {}
    for key, cand in by_key.items():
        target = None
        if len(cand.tokens) == 1:
            word = cand.tokens[0]
            base = word.lower[:-1] if word.lower.endswith("s") else None
            for other in multi:
                last = other.tokens[-1].lower
                if _surname_like(other) and word.lower in {last, last + "s"}:
                    target = other
                    break
                if (
                    word.acronym
                    and len(other.tokens) > 1
                    and _initials(other) == (word.text)
                ):
                    target = other
                    break
            if target is None and base and base in by_key and base != key:
                target = by_key[base]
        if target is not None and target is not cand:
            target.strong = target.strong or cand.strong
            target.aliases.add(cand.name)
            target.position = min(target.position, cand.position)
            continue
        merged[key] = cand
    return sorted(merged.values(), key=lambda c: c.position)


def _same_word_class(
    head: str, lemmas: list[str], lead_lemmas: list[str], lead: list[_Token]
) -> bool:
    """Whether the lead uses the phrase's last word in a form a noun could share.

    "lighthouse shines" / "lighthouse shone" share lemmas but not a noun's forms, so
    the headline used a verb; "interest rates" / "interest rate" differ by a plural.
    """
    n = len(lemmas)
    for k in range(len(lead_lemmas) - n + 1):
        if lead_lemmas[k : k + n] != lemmas:
            continue
        other = lead[k + n - 1].lower
        if other == head or other.rstrip("s") == head.rstrip("s"):
            return True
        if other + "es" == head or head + "es" == other:
            return True
    return False


def _headline_phrase(words: list[_Token], lemmas: list[str]) -> bool:
    """Whether a headline's run of words reads as a noun phrase ("gas prices",
    "medical marijuana") with no lead to confirm it: two or three dictionary words
    (names are names), none but the last a plural or a verb in "-s" ("farmers
    wait", "divides ministers"), and none a verb form in "-ing" or "-ed".
    """
    if len(words) < 2:
        return False
    for token in words:
        # Names are names; a capital only by convention ("Medical marijuana ...")
        # is no name if the dictionary knows the word.
        if token.cap and not (token.initial and _known_word(token.lower, "en")):
            return False
    for token in words:
        if token.lower.endswith(("ing", "ed", "ly")):
            return False
    for token in words[:-1]:
        word = token.lower
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            return False
    last, lemma = words[-1].lower, lemmas[-1]
    return not (last.endswith("s") and not last.endswith("ss") and lemma == last)


def _is_superlative(word: str, lemma: str) -> bool:
    """'tightest', 'biggest': a comparison, not the start of a name for a topic."""
    return word != lemma and word.endswith(("est", "er"))


def _phrases(
    title: list[_Token],
    lead: list[_Token],
    language: str,
    names: set[str],
    *,
    title_case: bool = False,
) -> list[TopicMention]:
    """Key phrases: headline word runs whose lemmas recur in the lead; with no
    lead, the headline's noun phrases, unless it is in Title Case or capitals
    (there, "American Eagle Outfitters" reads as "eagle outfitters")."""
    lead_lemmas = [_lemma(t.lower, language) for t in lead]
    after_determiner = {
        lead_lemmas[i]
        for i in range(1, len(lead))
        if lead[i - 1].lower in DETERMINERS and not lead[i].boundary_before
    }
    lead_text = " " + " ".join(lead_lemmas) + " "

    def content(token: _Token) -> bool:
        lower = token.lower
        return (
            (not token.cap or (token.initial and not token.strong))
            and token.text.isalpha()
            and len(lower) >= 3
            and lower not in hw.STOPWORDS
            and lower not in hw.HEADLINE_SPEAK
            and lower not in hw.CALENDAR_WORDS
            and lower not in hw.DEMONYMS
        )

    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for token in title:
        if token.boundary_before or not content(token):
            if current:
                runs.append(current)
            current = [token] if content(token) else []
            continue
        current.append(token)
    if current:
        runs.append(current)

    found: list[TopicMention] = []
    seen: set[str] = set()
    for run in runs:
        # Longest first, so "interest rates" wins over "rates".
        spans = sorted(
            (
                (i, j)
                for i in range(len(run))
                for j in range(i + 1, min(len(run), i + MAX_PHRASE_WORDS) + 1)
            ),
            key=lambda s: (s[0] - s[1], s[0]),
        )
        covered: set[int] = set()
        for i, j in spans:
            if covered & set(range(i, j)):
                continue
            words = run[i:j]
            lemmas = [_lemma(t.lower, language) for t in words]
            headline_only = not lead
            if headline_only and title_case:
                continue
            if headline_only:
                # A headline alone (many feeds give no more): a run of two or
                # three lower-case content words that reads as a noun phrase is
                # a phrase of its own; trends then need several publishers to
                # use the same one.
                if not _headline_phrase(words, lemmas):
                    continue
            elif f" {' '.join(lemmas)} " not in lead_text or not _same_word_class(
                words[-1].lower, lemmas, lead_lemmas, lead
            ):
                continue
            if _is_superlative(words[0].lower, lemmas[0]):
                continue
            if all(
                t.lower in hw.NEVER_A_TOPIC or lem in hw.NEVER_A_TOPIC
                for t, lem in zip(words, lemmas, strict=True)
            ):
                continue
            if len(words) == 1 and (
                len(lemmas[0]) < MIN_PHRASE_WORD_LETTERS
                or lemmas[0] not in after_determiner
            ):
                continue
            # The key uses the head word's lemma so "interest rate" and "interest
            # rates" meet; the name keeps the headline's words.
            key = topic_key(" ".join([*(t.lower for t in words[:-1]), lemmas[-1]]))
            name = " ".join(t.lower for t in words)
            if key in names or key in seen:
                covered |= set(range(i, j))
                continue
            seen.add(key)
            covered |= set(range(i, j))
            found.append(
                TopicMention(
                    key=key,
                    name=name,
                    kind="phrase",
                    tentative=headline_only,
                    unconfirmed=headline_only,
                )
            )
    return found


def extract_topics(
    title: str, lead: str = "", *, language: str = "en", keep_tentative: bool = False
) -> list[TopicMention]:
    """The topics one article names in its headline and lead, headline order first.

    Each topic comes once, with variants within the article merged ("Donald Trump" and
    "Trump's" give one mention, "Trump's" listed in ``aliases``). Generic words and
    headline-speak never come out. With ``keep_tentative`` the result also holds names
    seen only where capitals are conventional, flagged ``tentative=True``, for
    :meth:`TopicResolver.resolve` to keep or drop against the corpus; without it they
    are left out.
    """
    language = (language or "en").split("-")[0].lower()
    title_tokens = _tokenize(title or "", "title", 0)
    lead_tokens = _tokenize(lead or "", "lead", len(title_tokens))
    _mark_strong(title_tokens)
    _mark_strong(lead_tokens)
    _recase_shouting(
        lead_tokens,
        {t.lower: t.text for t in lead_tokens if t.strong and not t.text.isupper()},
        language,
    )
    style = _title_style(title_tokens, language) if language == "en" else "sentence"
    # Title Case and capitals hide which words are names: the words capitalised as
    # written, kept to ask the resolver which of them it knows as topics.
    written = [(t.text, t.cap, t.boundary_before) for t in title_tokens]
    if style == "caps":
        _recase_title(title_tokens, style, lead_tokens, language)
    else:
        _recase_shouting(title_tokens, _confirmed_words(lead_tokens), language)
        style = _title_style(title_tokens, language) if language == "en" else style
        if style == "title":
            _recase_title(title_tokens, style, lead_tokens, language)
    # A capitalised word at a sentence start is a name if the article capitalises it
    # mid-sentence too ("Trump says ..." followed by "... Donald Trump").
    strong_words = {t.lower for t in (*title_tokens, *lead_tokens) if t.strong}
    for token in (*title_tokens, *lead_tokens):
        if token.cap and not token.strong and token.lower in strong_words:
            token.strong = True

    candidates: list[_Candidate] = []
    for tokens in (title_tokens, lead_tokens):
        for run in _runs(tokens):
            cand = _candidate(run, tokens, language)
            if cand is not None:
                candidates.append(cand)
    names = _merge_names(candidates)

    mentions: list[TopicMention] = []
    name_keys: set[str] = set()
    for cand in names:
        if cand.strong:
            name_keys.add(cand.key)
        mentions.append(
            TopicMention(
                key=cand.key,
                name=cand.name,
                kind=cand.kind,
                tentative=not cand.strong,
                aliases=tuple(sorted(cand.aliases)),
                weak_first=len(cand.tokens) > 1 and not cand.tokens[0].strong,
            )
        )
    phrases = (
        _phrases(
            title_tokens,
            lead_tokens,
            language,
            name_keys,
            title_case=style != "sentence",
        )
        if language == "en"
        else []
    )
    phrase_keys = {p.key for p in phrases}
    # A sentence-initial "Heatwave" that the lead confirms is the phrase, not a name.
    mentions = [
        m for m in mentions if not (m.tentative and m.key in phrase_keys)
    ] + phrases
    if style != "sentence":
        # A guess never repeats part of a name already found ("Corton" inside
        # "Corton Motors"); one that extends it may be the fuller name.
        found_words = [set(m.key.split("-")) for m in mentions]
        mentions += [
            m
            for m in _title_case_guesses(written, title_tokens)
            if not any(set(m.key.split("-")) <= words for words in found_words)
        ]
    if not keep_tentative:
        mentions = [m for m in mentions if not m.tentative]
    return mentions


def _title_case_guesses(
    written: list[tuple[str, bool, bool]], tokens: list[_Token]
) -> list[TopicMention]:
    """Names a Title Case headline may hold among the words it had to read as
    common ("Bank Of England Overhauls ..."): every span of up to
    :data:`MAX_GUESS_WORDS` words capitalised as written, longest first, as
    tentative mentions of one group. :meth:`TopicResolver.resolve` keeps the longest
    it knows as topics ("Bank of England" from other headlines) and drops the rest.
    """
    found: list[TopicMention] = []
    run: list[int] = []
    runs: list[list[int]] = []
    for i, (text, cap, boundary) in enumerate(written):
        name_word = cap and text[:1].isalpha()
        connector = text.lower() in hw.NAME_CONNECTORS and run and not boundary
        if (name_word or connector) and not (boundary and run):
            run.append(i)
            continue
        if run:
            runs.append(run)
        run = [i] if name_word else []
    if run:
        runs.append(run)
    seen: set[str] = set()
    for run in runs:
        # Only runs where Title Case took a capital away (names it kept are found
        # as names already).
        if all(tokens[i].cap for i in run):
            continue
        spans = [
            (a, b)
            for a in range(len(run))
            for b in range(a + 1, min(len(run), a + MAX_GUESS_WORDS) + 1)
        ]
        spans.sort(key=lambda span: (span[0] - span[1], span[0]))
        for a, b in spans:
            words = [written[run[k]][0] for k in range(a, b)]
            edges = {words[0].lower(), words[-1].lower()}
            if edges & (hw.NAME_CONNECTORS | hw.STOPWORDS):
                continue  # "Of England", "Cars In": no name ends on these
            name = " ".join(
                w.lower() if w.lower() in hw.NAME_CONNECTORS else w for w in words
            )
            key = topic_key(name)
            if not key or key in seen:
                continue
            seen.add(key)
            found.append(
                TopicMention(
                    key=key,
                    name=name,
                    kind="phrase",
                    tentative=True,
                    group=run[0] + 1,
                )
            )
    return found


def _contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """Whether ``short`` occurs in ``long`` as consecutive words."""
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


RESOLVER_STATE_VERSION = 1
# A word of this many letters ending in "-an" resolves to the known place without the
# "n" ("Libyan" to Libya); shorter ones are too often names of their own ("Iran").
DEMONYM_MIN_LETTERS = 6
# A run-together name is split into topics seen at least this often on their own:
# one earlier headline is not enough to know a name.
SPLIT_MIN_COUNT = 3


class TopicResolver:
    """Corpus-level alias merging for topic mentions.

    Once "Donald Trump" is known, "Trump", "Trump's" and "Trumps" (as the name) resolve
    to ``donald-trump``; once "Federal Bureau of Investigation" has been seen beside
    "FBI", "FBI" resolves to it. A surname shared by several known people goes to the
    one mentioned most (ties: the smaller key), so resolution is deterministic for a
    given history. Tentative mentions are kept only when they resolve to a known topic.
    The state is plain JSON (:meth:`to_json`, :meth:`from_json`).
    """

    def __init__(self) -> None:
        # key -> {"name": str, "kind": str, "count": int}
        self._topics: dict[str, dict[str, Any]] = {}
        # alias key -> {topic key: times the alias was learned for it}
        self._aliases: dict[str, dict[str, int]] = {}

    def extract(
        self, title: str, lead: str = "", *, language: str = "en"
    ) -> list[TopicMention]:
        """:func:`extract_topics` with tentative names, then :meth:`resolve`."""
        return self.resolve(
            extract_topics(title, lead, language=language, keep_tentative=True)
        )

    def _learn(self, mention: TopicMention) -> None:
        key = mention.key
        words = key.split("-")
        if len(words) == 1 and self._lookup(key) not in (None, key):
            return
        record = self._topics.get(key)
        if record is None:
            record = {"name": mention.name, "kind": mention.kind, "count": 0}
            self._topics[key] = record
        record["count"] += 1
        if record["kind"] == "phrase" and mention.kind != "phrase":
            record["kind"] = mention.kind
        acronym = _is_acronym(mention.name)
        if record["name"].islower() and not mention.name.islower():
            record["name"] = mention.name  # "Taylor Swift", seen as a phrase first
        elif acronym and record["name"] == mention.name.capitalize():
            record["name"] = mention.name  # "SXSW", not "Sxsw" from a shouted headline
        elif (
            record["name"].isupper()
            and not _is_acronym(record["name"])
            and not mention.name.isupper()
        ):
            record["name"] = mention.name  # "Arvid Garley" reads better than shouted
        learned = {topic_key(alias) for alias in mention.aliases}
        if len(words) > 1 and (
            mention.kind == "person"
            or (
                mention.kind == "event"
                and len(words) == 2
                and words[0] in hw.EVENT_WORDS
            )
        ):
            learned.add(words[-1])
        for alias in learned:
            if alias and alias != key:
                targets = self._aliases.setdefault(alias, {})
                targets[key] = targets.get(key, 0) + 1

    def _alias_target(self, key: str) -> str | None:
        targets = [k for k in self._aliases.get(key, ()) if k in self._topics]
        if not targets:
            return None
        return min(targets, key=lambda k: (-self._topics[k]["count"], k))

    def _lookup(self, key: str) -> str | None:
        forms = [key]
        if "-" not in key and key.endswith("s") and not key.endswith("ss"):
            forms.append(key[:-1])
        if "-" not in key and key.endswith("an") and len(key) >= DEMONYM_MIN_LETTERS:
            forms.append(key[:-1])  # "Libyan" is about Libya, "Kenyan" Kenya
        for form in forms:
            target = self._alias_target(form)
            if target is not None:
                return target
            if form in self._topics:
                return form
        return None

    def resolve(self, mentions: list[TopicMention]) -> list[TopicMention]:
        """Map mentions to canonical topics, learning from the confident ones.

        Returns one mention per canonical key, in input order, with the canonical
        name and kind; tentative mentions that resolve to nothing known are dropped.
        """
        mentions = [part for m in mentions for part in self._split(m)]
        for mention in mentions:
            if not mention.tentative:
                self._learn(mention)
        resolved: dict[str, TopicMention] = {}
        # Words of each Title Case group already resolved: a shorter guess inside
        # a longer one is the same name ("England" in "Bank of England").
        group_words: dict[int, set[str]] = {}
        guessed: set[str] = set()
        for mention in mentions:
            if mention.group:
                words = set(mention.key.split("-"))
                if words & group_words.get(mention.group, set()):
                    continue
            key = self._lookup(mention.key)
            if mention.group and key is not None:
                group_words.setdefault(mention.group, set()).update(
                    mention.key.split("-")
                )
            if key is None and mention.unconfirmed:
                resolved.setdefault(
                    mention.key,
                    TopicMention(key=mention.key, name=mention.name, kind="phrase"),
                )
                continue
            if key is None:
                continue
            if key in resolved:
                continue
            record = self._topics[key]
            if mention.tentative or key != mention.key:
                record["count"] += 1
            resolved[key] = TopicMention(
                key=key, name=record["name"], kind=record["kind"]
            )
            if mention.group:
                guessed.add(key)
        # A known name guessed from a Title Case headline replaces the part of it
        # found alone ("Vellmark Motors" over "Vellmark").
        return [
            m
            for m in resolved.values()
            if not any(
                other != m.key
                and _contains(tuple(other.split("-")), tuple(m.key.split("-")))
                for other in guessed
            )
        ]

    def _known(self, key: str) -> bool:
        record = self._topics.get(key)
        return record is not None and record["count"] >= SPLIT_MIN_COUNT

    def _part(self, key: str, *, alone: bool) -> str | None:
        """The known topic a part of a run-together name stands for, or None.

        A surname stands for its person ("Bieber" for Justin Bieber); a one-word
        person topic of its own (a first name, a lone surname: ``alone``) does not
        split a name off, so "Mara Quist" stays whole.
        """
        target = self._lookup(key)
        if target is None or not self._known(target):
            return None
        if alone and target == key and self._topics[key]["kind"] == "person":
            return None
        return target

    def _mention_of(self, key: str, tentative: bool) -> TopicMention:
        record = self._topics[key]
        return TopicMention(
            key=key, name=record["name"], kind=record["kind"], tentative=tentative
        )

    def _split(self, mention: TopicMention) -> list[TopicMention]:
        """A name run together from known topics, as headlines write them, is those
        topics: "Xbox One Titanfall" (two known names), "Bieber Selena Gomez" (a
        surname and a name), "Miley Cyrus Bangerz" (a known name and a word); a
        known name after a headline's first word or a dictionary word ("Weak
        China", "Cool Mark Carney") is that name (issue #15).

        Only topics seen :data:`SPLIT_MIN_COUNT` times or more count as known.
        """
        words = mention.key.split("-")
        if len(words) < 2 or self._known(mention.key) or mention.group:
            return [mention]  # a Title Case guess comes with all its parts already
        names = mention.name.split()
        if len(names) != len(words):
            return [mention]
        tentative = mention.tentative
        for cut in range(1, len(words)):
            left, right = "-".join(words[:cut]), "-".join(words[cut:])
            right_target = self._part(right, alone=cut == len(words) - 1)
            left_target = self._part(left, alone=cut == 1)
            if left_target and right_target and left_target != right_target:
                return [
                    self._mention_of(left_target, tentative),
                    self._mention_of(right_target, tentative),
                ]
            if (
                right_target
                and cut == 1
                and (mention.weak_first or len(words) >= 3)
                and _known_word(names[0].lower(), "en")
            ):
                return [self._mention_of(right_target, tentative)]
            if left_target and cut >= 2 and cut == len(words) - 1:
                # "Miley Cyrus Bangerz": the name, and a word kept only if known.
                rest = TopicMention(
                    key=right, name=names[-1], kind="phrase", tentative=True
                )
                return [self._mention_of(left_target, tentative), rest]
        return [mention]

    def canonical(self, key: str) -> str:
        """The canonical key for a stored key (keys stored before an alias was learned
        move to their topic: "trump" becomes "donald-trump"); unknown keys map to
        themselves."""
        found = self._lookup(key) or key
        if (
            "-" not in found
            and found.endswith("an")
            and len(found) >= DEMONYM_MIN_LETTERS
            and self._known(found[:-1])
        ):
            return found[:-1]  # "Libyan", learned before Libya was known
        words = found.split("-")
        record = self._topics.get(found)
        if record is not None and len(words) >= 3:
            # "Cool Mark Carney", stored before Mark Carney was known: the name is
            # Mark Carney (a dictionary word before a better-known name).
            rest = "-".join(words[1:])
            first = record["name"].split()[0]
            if (
                self._known(rest)
                and self._topics[rest]["count"] * 2 >= record["count"]
                and first.isalpha()
                and _known_word(first.lower(), "en")
            ):
                return rest
        return found

    def name_of(self, key: str) -> str | None:
        """The display name of a known topic key, or None."""
        record = self._topics.get(key)
        return None if record is None else str(record["name"])

    def copy(self) -> TopicResolver:
        """An independent copy of this resolver's state."""
        twin = TopicResolver()
        twin._topics = {k: dict(v) for k, v in self._topics.items()}
        twin._aliases = {k: dict(v) for k, v in self._aliases.items()}
        return twin

    def rebased(self, base: TopicResolver, onto: TopicResolver) -> TopicResolver:
        """``onto`` plus what this resolver learned since it was a copy of ``base``.

        Processes that learn side by side (Celery workers, poll processes) each start
        from the saved state; saving ``rebased`` instead of their own state keeps what
        the others saved meanwhile, and the counts add up.
        """
        merged = onto.copy()
        for key, record in self._topics.items():
            before = base._topics.get(key)
            gained = record["count"] - (before["count"] if before else 0)
            target = merged._topics.setdefault(key, dict(record, count=0))
            target["count"] += gained
            if before is None or record["name"] != before["name"]:
                target["name"] = record["name"]
            if before is None or record["kind"] != before["kind"]:
                target["kind"] = record["kind"]
        for alias, targets in self._aliases.items():
            before_targets = base._aliases.get(alias, {})
            merged_targets = merged._aliases.setdefault(alias, {})
            for key, count in targets.items():
                gained = count - before_targets.get(key, 0)
                if gained:
                    merged_targets[key] = merged_targets.get(key, 0) + gained
        return merged

    def to_json(self) -> dict[str, Any]:
        """The resolver's state as JSON-serialisable data."""
        return {
            "version": RESOLVER_STATE_VERSION,
            "topics": {k: dict(v) for k, v in sorted(self._topics.items())},
            "aliases": {
                k: dict(sorted(v.items())) for k, v in sorted(self._aliases.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TopicResolver:
        """Rebuild a resolver from :meth:`to_json` output.

        Raises ValueError naming the problem when the data is not such output.
        """
        if not isinstance(data, dict) or data.get("version") != RESOLVER_STATE_VERSION:
            raise ValueError(
                "Topic resolver state has an unknown version "
                f"(expected {RESOLVER_STATE_VERSION}); rebuild it from the articles."
            )
        topics = data.get("topics")
        aliases = data.get("aliases")
        if not isinstance(topics, dict) or not isinstance(aliases, dict):
            raise ValueError(
                "Topic resolver state lacks 'topics' or 'aliases' objects; "
                "rebuild it from the articles."
            )
        resolver = cls()
        for key, record in topics.items():
            if not (
                isinstance(record, dict)
                and isinstance(record.get("name"), str)
                and record.get("kind") in KINDS
                and isinstance(record.get("count"), int)
            ):
                raise ValueError(f"Topic resolver state has a malformed topic {key!r}.")
            resolver._topics[str(key)] = {
                "name": record["name"],
                "kind": record["kind"],
                "count": record["count"],
            }
        for alias, targets in aliases.items():
            if not isinstance(targets, dict) or not all(
                isinstance(n, int) for n in targets.values()
            ):
                raise ValueError(
                    f"Topic resolver state has a malformed alias {alias!r}."
                )
            resolver._aliases[str(alias)] = {str(k): n for k, n in targets.items()}
        return resolver
