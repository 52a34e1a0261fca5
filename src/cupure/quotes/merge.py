"""One quote reported by several publishers, shown once (pure: no Django).

Publishers quote the same sentence with different marks, a word trimmed or a
sentence more, and name the speaker in full or by surname. Quotes are compared by
their quoted words (lower case, no punctuation): two are the same when most of the
shorter one's word pairs are in the longer one. Speakers are the same when their
names are ("Jane Doe", "Ms Doe", "Doe": a surname joins the one full name it ends).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .extract import NAMING_CUE

# Two quotes are one when this share of the shorter one's word pairs is in the other.
SAME_QUOTE_OVERLAP = 0.6
QUOTED = re.compile(r"[“\"«„‘]([^“”\"«»„]*)[”\"»’]?")
TITLE = re.compile(
    r"^(?:mr|mrs|ms|miss|dr|prof|gov|sen|rep|sir|dame|lord|lady|president|mayor)\.?$"
)


# Cues whose addressee stands between them and the words ("told councillors that
# …"): the statement leaves the addressee out, so the cue cannot lead it.
ADDRESSED_CUES = {"told", "tells", "tell", "telling"}


@dataclass(frozen=True)
class QuoteItem:
    """One stored quote with what the page needs to credit and link it."""

    text: str
    speaker: str
    role: str
    kind: str
    publisher: str
    published: datetime
    url: str  # the article page, with the paragraph's anchor
    article_id: int = 0
    cue: str = ""


@dataclass
class MergedQuote:
    """A quote once: the first publisher's words, credited to it, and the others
    that reported it."""

    first: QuoteItem
    others: list[QuoteItem] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The first publisher's words, a sentence's comma before the closing mark
        (“…,” she said) shown as the full stop it stands for."""
        return re.sub(r",([”\"’]?)$", r".\1", self.first.text.rstrip())

    @property
    def lead(self) -> str:
        """The verb that introduces a partial statement ("calling" it “a small
        miracle”), so that words cut from mid-sentence read as what the speaker
        did; empty for a whole quote. A verb that names its object ("called" Doe
        “Little Eddie”) always comes before it; otherwise a statement that starts
        in lower case starts after its verb, while one that starts a sentence
        ("The plan is “dead,” Lee said") or hangs on "according to" has its cue
        after it."""
        text = self.first.text.lstrip()
        cue = self.first.cue
        if not text or not text[0].isalnum() or not cue.replace(" ", "").isalpha():
            # A whole quote, or a cue that is no word (a transcript's "Doe: …").
            return ""
        if cue.lower() in ADDRESSED_CUES:
            # "told that …" without whom she told reads wrong; the words alone.
            return ""
        if NAMING_CUE.match(cue) or (text[0].islower() and " " not in cue):
            return cue
        return ""

    @property
    def publishers(self) -> list[str]:
        return list(
            dict.fromkeys([self.first.publisher, *(o.publisher for o in self.others)])
        )


@dataclass
class SpeakerQuotes:
    """A speaker and what they said in a story, most reported first."""

    name: str
    role: str
    kind: str
    quotes: list[MergedQuote] = field(default_factory=list)

    @property
    def weight(self) -> tuple[int, int, float]:
        """How much the speaker matters to the story: publishers quoting them,
        quotes, then who was quoted first."""
        publishers = {p for q in self.quotes for p in q.publishers}
        reports = sum(1 + len(q.others) for q in self.quotes)
        first = min(q.first.published for q in self.quotes)
        return (len(publishers), reports, -first.timestamp())


def name_key(name: str) -> str:
    """A speaker's name for comparison: lower case, no accents, no titles or
    punctuation ("Ms. Jane Doe" → "jane doe")."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = re.findall(r"[\w'-]+", folded.replace("’", "'"))
    words = [w for w in words if not TITLE.match(w)]
    return " ".join(words)


def quoted_words(text: str) -> list[str]:
    """The words inside the quotation marks of ``text`` (all of it if it has none),
    lower case, punctuation dropped."""
    inside = QUOTED.findall(text)
    source = " ".join(inside) if inside else text
    return re.findall(r"\w+", source.casefold())


def _pairs(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 2:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 2]) for i in range(len(words) - 1)}


def same_quote(a: str, b: str) -> bool:
    """Whether two reported quotes are the same words (give or take trimming)."""
    left, right = _pairs(quoted_words(a)), _pairs(quoted_words(b))
    if not left or not right:
        return False
    shared = len(left & right)
    return shared / min(len(left), len(right)) >= SAME_QUOTE_OVERLAP


def speaker_groups(names: Iterable[str]) -> dict[str, str]:
    """Each name's group key: its own key, or the full name a surname or a shorter
    form belongs to when exactly one known full name ends with it."""
    keys = {name: name_key(name) for name in names}
    full = {k for k in keys.values() if len(k.split()) >= 2}
    groups = {}
    for name, key in keys.items():
        if key in full:
            groups[name] = key
            continue
        words = key.split()
        matches = [
            f for f in full if f.split()[-len(words) :] == words and len(words) >= 1
        ]
        groups[name] = matches[0] if len(matches) == 1 else key
    return groups


def merge_quotes(items: list[QuoteItem]) -> list[SpeakerQuotes]:
    """The story's quotes grouped by speaker, each quote once (earliest publisher
    first, the others listed), speakers ordered by how much they matter."""
    named = [i for i in items if i.speaker]
    groups = speaker_groups(i.speaker for i in named)
    by_group: dict[str, list[QuoteItem]] = {}
    for item in sorted(named, key=lambda i: (i.published, i.article_id)):
        by_group.setdefault(groups[item.speaker], []).append(item)
    speakers = []
    for group in by_group.values():
        merged: list[MergedQuote] = []
        for item in group:
            same = next(
                (m for m in merged if same_quote(m.first.text, item.text)), None
            )
            if same is None:
                merged.append(MergedQuote(first=item))
            elif item.publisher != same.first.publisher and all(
                o.publisher != item.publisher for o in same.others
            ):
                same.others.append(item)
        speakers.append(
            SpeakerQuotes(
                name=max(
                    (i.speaker for i in group), key=lambda s: (len(s.split()), len(s))
                ),
                role=_common([i.role for i in group]),
                kind=_common([i.kind for i in group]),
                quotes=merged,
            )
        )
    speakers.sort(key=lambda s: (s.kind != "other", s.weight), reverse=True)
    return speakers


def _common(values: list[str]) -> str:
    """The value given most often, ignoring blanks (ties: the first given)."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else ""
