"""Direct quotes and who said them, from an article's text (pure: no Django).

A news article quotes people in a handful of shapes, and the words around the
quotation marks say who spoke:

    “We will not move,” said Jane Doe, the port's chief executive.
    Doe told reporters: “We will not move.”
    “We will not move,” she said, “not this week.”        (one quote, split)
    The union called the offer “an insult” on Tuesday.   (a partial quote)
    Doe Says Port ‘Will Not Move’                         (a headline)
    Lee agreed. “We will not move.”                       (introduced before)

The extractor finds the quoted spans (curly or straight marks; a paragraph that opens
a quote without closing it continues into the next one), then reads the non-quoted
words of the same sentence for a cue ("said", "told", "according to" …) and the
speaker next to it. A pronoun or a description ("he", "the mayor", "the
43-year-old") is resolved to a person named earlier in the article; a role is the one
the article gives that person ("port chief executive"). Quotation marks that are not
quotes are left alone: inch marks (a 55" screen), scare quotes (so-called
"reforms"), titles of works and quoted headlines.

Everything here is plain string work: fast enough to run on every ingested article.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

# --- the quoted spans --------------------------------------------------------------

OPENING = "“„«"
CLOSING = "”»"
DOUBLE = OPENING + CLOSING + '"'

PARAGRAPH_SEPARATOR = "\n\n"
# Quotes are read from a stored article's first 200,000 characters (about 30,000
# words; real news runs far shorter). The reader is linear but not cheap on text
# written to stall it (about 13 s for 100,000 characters of short quotes and words),
# and a 15 MB page could hold megabytes of such text: one article must not hold a
# worker for minutes.
QUOTES_MAX_CHARS = 200_000
# Paragraphs are separated by a blank line (optionally holding spaces).
PARAGRAPH_BREAK = re.compile(
    r"\r?\n[ \t]*(?:\r?\n[ \t]*)+|(?<=[.!?:”\"’)\]])[ \t]*\r?\n[ \t]*(?=[“\"‘A-Z(])"
)


@dataclass(frozen=True)
class Quote:
    """One direct quote: what was said, by whom, where in the text.

    ``start``/``end`` cover the quote's content as the article gives it: the quoted
    words and, for a partial quote, the words of the same statement around them
    ("that the port is “closed for business”"); ``parts`` are its pieces when the
    attribution splits it (“…,” she said, “…”). ``text`` is the parts joined.
    """

    text: str
    start: int
    end: int
    speaker: str
    role: str
    cue: str
    paragraph: int
    parts: tuple[tuple[int, int], ...] = ()
    # "person", "organisation" or "other" (a description no name was found for).
    speaker_kind: str = ""

    def to_json(self) -> dict[str, object]:
        """The CLI's quote object."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "role": self.role,
            "cue": self.cue,
            "paragraph": self.paragraph,
            "parts": [list(p) for p in self.parts],
        }


@dataclass
class _Span:
    """Quoted words between ``open`` (after the opening mark) and ``close`` (before
    the closing mark) in the whole text; ``closed`` is False when the quote runs to
    the end of its last paragraph without a closing mark."""

    open: int
    close: int
    paragraph: int
    closed: bool = True


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank paragraph of ``text``."""
    spans = []
    position = 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        spans.append((position, brk.start()))
        position = brk.end()
    spans.append((position, len(text)))
    result = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            result.append((start + lead, start + lead + len(stripped)))
    return result


def _is_inch_mark(text: str, i: int) -> bool:
    """A straight or closing double mark right after a number (55" screen, 6'2")."""
    return i > 0 and text[i - 1].isdigit() and not _opens_quote_after(text, i)


def _closes_after_number(text: str, i: int, marks: list[tuple[int, str]]) -> bool:
    """Whether a mark after a number closes the open quote ("accepted “about
    $200,000” from …", "the “Fight for 15” movement"): a quote is open and the
    number is not a height in feet and inches (“he’s like 6’2”,” …)."""
    feet = re.search(r"[’'][\d.,]+$", text[max(0, i - 12) : i])
    return bool(marks) and marks[-1][1] == "open" and feet is None


def _opens_quote_after(text: str, i: int) -> bool:
    """Whether the mark at ``i`` is followed by words and preceded by a space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    # An invisible formatting mark (a direction mark pasted with a social media
    # post) stands where nothing does: ‪”Sorry …” opens a quote.
    invisible = unicodedata.category(before) == "Cf"
    return (
        before.isspace() or before in "([{—–-/:" or invisible
    ) and not after.isspace()


def _typed_for_closing(text: str, i: int, marks: list[tuple[int, str]]) -> bool:
    """Whether the opening mark at ``i`` stands where a closing one belongs: a
    quote is open, a word or punctuation comes right before it and a space, a
    punctuation mark or the end right after it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (
        bool(marks)
        and marks[-1][1] == "open"
        and not before.isspace()
        and before not in OPENING
        and (after.isspace() or after in ".,;:!?)")
    )


MARK_CHARACTER = re.compile("[" + DOUBLE + "’]")


def _marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """The double quotation marks of one paragraph as ``(position, "open"|"close")``.

    Curly marks say which they are; a straight mark opens when a space (or the
    paragraph start) comes before it and a word after it, and closes otherwise.
    """
    marks: list[tuple[int, str]] = []
    for found in MARK_CHARACTER.finditer(text, start, end):
        i = found.start()
        ch = text[i]
        if ch == "’" and text.startswith("’’", i) and marks and marks[-1][1] == "open":
            # “question’’: two single marks typed for a closing double one.
            marks.append((i + 1, "close"))
            continue
        if ch not in DOUBLE:
            continue
        if (
            ch in '"”'
            and _is_inch_mark(text, i)
            and not _closes_after_number(text, i, marks)
        ):
            continue
        if ch in OPENING and _typed_for_closing(text, i, marks):
            # “We are closed,“ said Doe: an opening mark typed where a closing one
            # belongs (after a word, before a space) closes the open quote.
            marks.append((i, "close"))
        elif ch in OPENING:
            marks.append((i, "open"))
        elif ch in CLOSING and ch != "”":
            marks.append((i, "close"))
        else:
            # '"' and '”' (some sites type ” for both).
            kind = "open" if (i == start or _opens_quote_after(text, i)) else "close"
            marks.append((i, kind))
    return marks


def _single_marks(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Single curly marks used as quotation marks (‘…’), apostrophes left out: ‘
    opens at a word start; ’ closes only when no letter follows it."""
    marks: list[tuple[int, str]] = []
    if text.find("‘", start, end) < 0:
        return marks  # no opening single mark: apostrophes only
    for i in range(start, end):
        ch = text[i]
        if ch == "‘" and (i == start or _opens_quote_after(text, i)):
            marks.append((i, "open"))
        elif ch == "’" and marks and marks[-1][1] == "open":
            after = text[i + 1] if i + 1 < end else " "
            if not after.isalpha() and not text[i - 1].isspace():
                marks.append((i, "close"))
    return marks


def _quoted_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[_Span]:
    """Every quoted span, paragraph by paragraph. A quote left open at a paragraph's
    end runs to that end; when the next paragraph opens with a mark, the newspaper
    convention says the quote goes on there, and the extractor joins the two as
    one statement (``extract_quotes``) unless that paragraph names its own speaker."""
    spans: list[_Span] = []
    for index, (start, end) in enumerate(paragraphs):
        marks = _marks(text, start, end)
        if not marks:
            marks = _single_marks(text, start, end)
        current: _Span | None = None
        nested = 0
        for k, (position, kind) in enumerate(marks):
            if kind == "open":
                if current is not None:
                    # Two openings in a row: a quote inside the quote when two
                    # closings follow (“He called it “a farce” and left.”), else
                    # the first was never closed; either way the quote goes on
                    # (a stray mark inside a quote is not a new quote).
                    # (Two marks side by side, "“, are one opening typed twice.)
                    nested += position > current.open and _pairs_inside(marks, k)
                    continue
                current = _Span(open=position + 1, close=position + 1, paragraph=index)
            elif nested:
                nested -= 1  # the inner quote's closing mark
            elif current is not None:
                current.close = position
                current.closed = True
                spans.append(current)
                current = None
        if current is not None:
            current.close = end
            current.closed = False
            spans.append(current)
    return spans


def _pairs_inside(marks: list[tuple[int, str]], k: int) -> bool:
    """Whether the opening mark ``marks[k]``, inside an open quote, opens a quote
    within it: the next two marks close the inner quote and then the outer one."""
    return (
        k + 2 < len(marks) and marks[k + 1][1] == "close" and marks[k + 2][1] == "close"
    )


# --- sentences ---------------------------------------------------------------------

# A sentence ends at . ! ? (after any closing marks) followed by a space and a
# capital or an opening mark. Abbreviations before a name do not end one.
SENTENCE_END = re.compile(r"[.!?][”\"’)]*\s+(?=[“\"‘(A-Z0-9])")
ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Col|Lt|Sgt|Capt|Rev|St|Jr|Sr|Mt|"
    r"No|Co|Inc|Ltd|Corp|vs|U\.S|U\.K|U\.N|a\.m|p\.m|Jan|Feb|Mar|Apr|Aug|Sept|Sep|"
    r"Oct|Nov|Dec)|\b[A-Z])\.$"
)


# An abbreviation ends a sentence when a word follows that opens sentences and
# never continues a name ("… in Washington, D.C. He recalled …", "at 7 p.m. The
# polls …"), or, after a place's initials, a quoted sentence ("Lee said at a
# rally in Binghamton, N.Y. “The port …”": initials of a name are never followed
# by a quotation mark; "C.L. “Butch” Otter" is no sentence).
SENTENCE_OPENER_NEXT = re.compile(
    r"\s+(?:He|She|They|It|We|I|The|This|That|These|Those|There|But|And|His|Her|"
    r"Their|Its)\s"
)
PLACE_INITIALS = re.compile(r"\b[A-Z]\.[A-Z]\.$")
QUOTED_SENTENCE_NEXT = re.compile(r"\s+[“\"][A-Z][^”\"\n]*?\s")


# The longest abbreviation ABBREVIATIONS knows, with its full stop: the patterns
# anchored at a full stop are searched in this many characters before it only, so
# a paragraph full of full stops costs linear time, not quadratic.
ABBREVIATION_REACH = 8


def _abbreviation_at(text: str, start: int, stop: int) -> bool:
    """Whether an abbreviation ends at ``stop`` (just after its full stop)."""
    reach = max(start, stop - ABBREVIATION_REACH)
    return ABBREVIATIONS.search(text, reach, stop) is not None


def _abbreviation_ends_sentence(text: str, start: int, stop: int) -> bool:
    """Whether the abbreviation ending at ``stop`` also closes its sentence."""
    reach = max(start, stop - ABBREVIATION_REACH)
    return bool(SENTENCE_OPENER_NEXT.match(text, stop)) or bool(
        PLACE_INITIALS.search(text, reach, stop)
        and QUOTED_SENTENCE_NEXT.match(text, stop)
    )


def _sentences(
    text: str, start: int, end: int, quoted: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``(start, end)`` of the sentences of one paragraph; a sentence never ends
    inside a quotation (“I came. I saw,” he said — one sentence)."""
    result = []
    position = start
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.start()
        gap = match.end() - 1
        if any(a <= gap < b for a, b in quoted):
            continue
        if (
            text[match.start()] == "."
            and _abbreviation_at(text, start, stop + 1)
            and not _abbreviation_ends_sentence(text, start, stop + 1)
        ):
            continue
        attribution = (
            ATTRIBUTION_NEXT.match(text, match.end())
            if text[match.start() + 1] in '”"’'
            else None
        )
        if attribution is not None and (
            text[match.start()] in "?!"
            or (
                ATTRIBUTION_ENDS.match(text, attribution.end())
                and not REPORTS_MORE.match(text, attribution.end(), end)
            )
        ):
            # “Is that all there is?” Trump said. — the attribution goes on; but
            # after a full stop, “…” He said the plan … is a new sentence (#19).
            continue
        result.append((position, match.start() + 1))
        position = match.end()
    if position < end:
        result.append((position, end))
    return result


# --- cues and speakers -------------------------------------------------------------

CUE_VERBS = (
    "said|says|say|told|tells|tell|wrote|writes|added|adds|explained|explains|"
    "stated|states|noted|notes|argued|argues|claimed|claims|insisted|insists|"
    "asked|asks|replied|replies|responded|responds|continued|continues|warned|"
    "warns|recalled|recalls|declared|declares|announced|announces|acknowledged|"
    "acknowledges|admitted|admits|conceded|concedes|suggested|suggests|tweeted|"
    "tweets|posted|predicted|predicts|urged|urges|vowed|vows|promised|promises|"
    "complained|complains|countered|counters|remarked|observed|commented|"
    "comments|concluded|concludes|emphasi[sz]ed|emphasi[sz]es|stressed|stresses|"
    "maintained|maintains|contended|contends|charged|alleged|agreed|agrees|joked|"
    "jokes|quipped|shouted|yelled|cautioned|boasted|boasts|lamented|laments|mused|"
    "muses|testified|confirmed|confirms|denied|insisted|pointed out|points out|"
    "went on|told reporters|assured|assures|reiterated|reiterates|summed up|"
    "described|describes|called|calls|labell?ed|branded|dubbed|thinks|believes|"
    "believed|thought|hopes|hoped|worries|worried|fears|feared|pleaded|begged|"
    "demanded|demands|implored|proclaimed|proclaims|exclaimed|whispered|"
    "repeated|repeats|read|reads|tweeted|wrote in|declared|answered|answers|"
    "saying|telling|writing|adding|noting|arguing|explaining|asking|insisting|"
    "warning|declaring|stating|claiming|tweeting|posting|describing|calling|"
    "recalling|urging|vowing|promising|predicting|suggesting|complaining|"
    "acknowledging|admitting|responding|replying|stressing|concluding|"
    "mocked|mocks|touted|touts|denounced|denounces|scolded|fired back|blasted|"
    "blasts|slammed|slams|praised|praises|critici[sz]ed|critici[sz]es|attacked|"
    "attacks|accused|accuses|dismissed|dismisses|rejected|rejects|defended|"
    "defends|pledged|pledges|shot back|went after|interjected|retorted|"
    "chimed in|lashed out|hit back|took aim|joked|quipped|wondered|wonders|"
    "argued|mused|announced|insisted|bragged|brags|cried|screamed|chanted|"
    "sang|sings|yelled|scoffed|sniped|snapped|recounted|recounts|remembered|"
    "remembers|observed|observes|explained|clarified|estimated|reckoned|"
    "reckons|conceded|acknowledged|advised|advises|cautioned|counseled|"
    "counselled|reported|reports|revealed|reveals|disclosed|insisted|signalled|"
    "signaled|hinted|hints|complained|lamented|griped|grumbled|raved|gushed|"
    "marvel(?:l)?ed|boasted|bragged|declared|proclaimed|questioned|questions|"
    "challenged|challenges|demanded|pressed|presses|implored|begged|pleaded|"
    "apologi[sz]ed|apologi[sz]es|thanked|thanks|congratulated|welcomed|"
    "welcomes|hailed|hails|lauded|applauded|condemned|condemns|decried|decries|"
    "deplored|warned|vowed|swore|threatened|threatens|promised|assured|"
    "reassured|reminded|reminds|told|informed|instructed|ordered|texted|"
    "emailed|messaged|posted|wrote|typed|captioned|shared|retweeted|surmised|"
    "exhorted|riffed|opined|interrupted|cut in|deadpanned|intoned|ventured|"
    "chided|sneered|teased|taunted|protested|objected|confided|confessed|"
    "enthused|groaned|sighed|laughed|hollered|bellowed|muttered|murmured|"
    "stammered|asserted|asserts|posited|reasoned|theori[sz]ed|speculated|"
    "speculates|surmises|recalls|insists|maintains|contends|charges|writes|"
    "barked|growled|fumed|raged|ranted|cheered|crowed|gloated|vented|"
    "elaborated|elaborates|elaborating|beamed|reacted|quips|interjecting|echoed|"
    r"echoing|mouthed|mouthing|puts\s+it|put\s+it|"
    # The participles of the reporting verbs above ("…, accusing him of …"), and
    # the verbs of saying missing from them (#19).
    "asserting|accusing|attacking|questioning|condemning|criticizing|"
    "criticising|praising|mocking|blasting|slamming|dismissing|rejecting|"
    "defending|pledging|touting|denying|confirming|announcing|acknowledging|"
    "conceding|lamenting|boasting|bragging|joking|quipping|pointing out|"
    "alleges|alleging|implied|implies|implying|bemoaned|bemoans|decrying|"
    "characterized|characterizes|characterised|characterises|recounting|"
    "reiterating|emphasizing|emphasising|repeating|demanding|pleading|"
    "threatening|reminding|revealing|predicting|hinting|cautioning|"
    # Naming what someone calls a thing ("referred to Lee as “…”"): a cue only
    # with a speaker, like "called", and only with its "as" ("referred to her
    # “…”" mentions the words rather than says them).
    r"(?:referred|refers|referring)\s+to(?=\s[^#“”\"‘.;]{1,60}?\sas\b)|"
    # Verbs that present their object as something ("portrayed Lee as “…”",
    # "heralded the deal as a “…”"): a cue only with their "as".
    r"(?:portray(?:s|ed|ing)?|herald(?:s|ed|ing)|hail(?:s|ed|ing)|"
    r"identif(?:y|ies|ied|ying)|cast(?:s|ing)|paint(?:s|ed|ing)|"
    r"present(?:s|ed|ing)|address(?:es|ed|ing))"
    r"(?=\s[^#“”\"‘.;]{1,60}?\sas\b)"
)
CUE = re.compile(
    r"(?<![\w-])(?:(?:has|have|had|was|were|is|are|will|would|also|later|then|"
    r"once|previously|recently|again|further|has\s+since)\s+)*"
    r"(?P<verb>" + CUE_VERBS + r")(?![\w-])",
    re.IGNORECASE,
)
# After a quote that ends with ? or !, a name or pronoun and a cue continue the
# sentence.
ATTRIBUTION_NEXT = re.compile(
    r"(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}|he|she|they|I|we)\s+"
    r"(?:\w+\s+)?(?i:" + CUE_VERBS + r")\b"
    # … but not when the cue introduces a quote of its own ("He adds, “…”",
    # "Lee writes back, “…”").
    r"(?!(?:\s+(?:back|out|in|on|up|again))?\s*[,:]\s*[“\"‘])"
)
# What may follow the cue of an attribution that closes a quoted sentence ("Doe
# said." / "Doe said on Tuesday."): a new clause ("He said the plan …", "Doe also
# claimed that …") starts a new sentence instead.
ATTRIBUTION_ENDS = re.compile(
    r"\s*(?:[.,;!?]|$|(?:in|on|at|during|after|before|about|of|from|with|while|"
    r"when|last|this|to\s+(?:reporters|journalists|[A-Z]))\b)"
)
# An attribution that goes on to report words of its own ("She also said, on the
# radio, that …"): a new sentence, not the close of the quote before it.
REPORTS_MORE = re.compile(r"[^.!?“\"]*?(?:\bthat\b|[“\"])")
ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)
# Verbs that name or describe their object ("called the plan “a disgrace”").
NAMING_CUE = re.compile(r"call|dub|label|brand|describ|characteri|refer", re.IGNORECASE)
# Verbs that also introduce titles and scare quotes: a cue only with a speaker.
NAMING_VERBS = {
    "called",
    "calls",
    "dubbed",
    "labelled",
    "labeled",
    "branded",
    "referred to",
    "refers to",
    "referring to",
}
# A quote introduced by these is a name, a title or a term, not something said.
SCARE_BEFORE = re.compile(
    r"(?:so-called|so called|dubbed|nicknamed|titled|entitled|headlined|named|"
    r"known\s+as|the\s+word|the\s+term|the\s+phrase|the\s+words|a\s+sign\s+reading|"
    r"hashtag|slogan|headline|the\s+book|the\s+film|the\s+movie|the\s+show|"
    r"the\s+song|the\s+album|the\s+series|the\s+programme|the\s+program|"
    r"the\s+article|the\s+column|the\s+essay|the\s+report|the\s+play|the\s+poem|"
    r"the\s+documentary|the\s+podcast|episode\s+of|read\s+a\s+sign)\s*[,:]?\s*$",
    re.IGNORECASE,
)

PRONOUNS = {
    "he": "m",
    "she": "f",
    "they": "",
    "i": "",
    "we": "",
    "it": "",
}
TITLES = (
    "Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Gov|Governor|Sen|Senator|Rep|"
    "Representative|President|Vice President|Prime Minister|Minister|Mayor|Judge|"
    "Justice|Gen|General|Col|Colonel|Lt|Capt|Captain|Sgt|Rev|Reverend|Sir|Dame|"
    "Lord|Lady|Chancellor|Secretary|Commissioner|Chief|Inspector|Detective|"
    "Officer|Sheriff|Pope|King|Queen|Prince|Princess|Speaker|Councillor|"
    "Councilman|Councilwoman|Assemblyman|Assemblywoman|Ambassador|Bishop|Father"
)
# Capitalised role words that come before a name ("Spokeswoman Haley Morris").
ROLE_NOUNS = {
    "Former",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Director",
    "CEO",
    "Executive",
    "Leader",
    "Candidate",
    "Nominee",
    "Host",
    "Author",
    "Adviser",
    "Advisor",
    "Aide",
    "Manager",
    "Strategist",
    "Analyst",
    "Attorney",
    "Lawyer",
    "Economist",
    "Founder",
    "Editor",
    "Correspondent",
    "Reporter",
    "Columnist",
    "Democrat",
    "Republican",
    "Democratic",
    "Activist",
    "Actor",
    "Actress",
    "Singer",
    "Coach",
    "Star",
    "Businessman",
    "Businesswoman",
    "Billionaire",
    "Pollster",
    "Boss",
    "Chief",
    "Head",
    "Keeper",
    "Teacher",
    "Driver",
    "Nurse",
    "Doctor",
    "Engineer",
    "Farmer",
    "Owner",
    "Resident",
    "Student",
    "Worker",
    "Witness",
    "Veteran",
    "Volunteer",
    "Mother",
    "Organiser",
    "Organizer",
    "Researcher",
    "Scientist",
    "Expert",
    "Official",
    "Historian",
    "Chef",
    "Pilot",
    "Captain",
    "Skipper",
    "Midfielder",
    "Striker",
    "Goalkeeper",
    "Defender",
    "Forward",
    "Winger",
}
TITLE_WORD = re.compile(r"^(?:" + TITLES + r")\.?$")
MALE_TITLES = {"Mr", "Sir", "Lord", "King", "Prince", "Father", "Councilman"}
FEMALE_TITLES = {"Mrs", "Ms", "Miss", "Dame", "Lady", "Queen", "Princess"}
# A capitalised word of a name; lower-case particles may sit between two of them.
# A word ends at a full stop (a run never crosses a sentence's end: "… said Lee
# Park. Holm then …" names two people) unless the word is an initial ("W."), a
# title that comes before a name ("Mr.", "Sen.", "St. Louis") or dotted
# initials ("U.S.", "J.K."). No two alternatives match the same characters (a
# title or an initial without its full stop is another's, one character shorter),
# so a run of words that fails after the run backtracks in linear time.
NAME_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Col|Lt|Sgt|Capt|Rev|St|Mt|Ft)\."
    r"|[A-Z]\.(?![\w'’-])|[A-Z][\w'’-]*(?:(?:\.[\w'’-]+)+\.?)?)"
)
PARTICLE = r"(?:de|da|del|della|der|van|von|bin|al|el|la|le|du|dos|di|ter|ten)"
NAME = re.compile(
    r"(?<![\w’'])"
    + NAME_WORD
    + r"(?:[ \u00a0](?:"
    + PARTICLE
    + r"[ \u00a0])?"
    + NAME_WORD
    + r")*"
)
# Words that are capitalised but never part of a speaker's name (with the names
# of days and months, below).
NOT_NAMES = {
    "The",
    "A",
    "An",
    "And",
    "But",
    "Or",
    "In",
    "On",
    "At",
    "For",
    "With",
    "As",
    "By",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Its",
    "This",
    "That",
    "These",
    "Those",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Also",
    "Later",
    "Then",
    "Still",
    "Yet",
    "So",
    "Now",
    "There",
    "Here",
    "What",
    "Why",
    "How",
    "Who",
    "Asked",
    "Speaking",
    "According",
    "Meanwhile",
    "However",
    "Instead",
    "Earlier",
    "Last",
    "Next",
    "Twitter",
    "Facebook",
}
NOT_NAMES |= set(calendar.day_name) | set(calendar.month_name[1:])
# Conjunctions opening a subordinate clause ("Although Doe says …").
NOT_NAMES |= {"Although", "Though", "Whereas", "Because", "Since", "Unless", "Until"}
# Capitalised words that open an introductory phrase, not a name.
INTRO_WORDS = {
    "During", "Since", "Despite", "Following", "Responding", "Writing",
    "Addressing", "Without", "Under", "Over", "From", "Through", "Throughout",
    "Amid", "Unlike", "Like", "Although", "Though", "Because", "Once", "Until",
    "Within", "Outside", "Inside", "Across", "Around", "Near", "Before", "After",
    "Early", "Late", "Shortly", "Hours", "Days", "Weeks", "Months", "Moments",
    "Minutes", "Moreover", "Specifically", "Furthermore", "Indeed", "Finally",
    "Similarly", "Separately", "Elsewhere", "Afterward", "Afterwards", "Wait",
}  # fmt: skip
# Places a name may be: the US states and the countries most in the news. A place
# is no person: a pronoun never refers to it, and "a woman in Worcester,
# Massachusetts, told him" is the woman speaking. ("Washington" is left out: a
# name too, and the government's metonym.)
US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|"
    "Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|"
    "Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|"
    "Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
    "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
    "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|West Virginia|Wisconsin|"
    "Wyoming"
)
COUNTRIES = (
    "America|United States|Canada|Mexico|Cuba|Brazil|Argentina|Chile|Colombia|"
    "Venezuela|Peru|Britain|Great Britain|England|Scotland|Wales|Ireland|France|"
    "Germany|Italy|Spain|Portugal|Netherlands|Belgium|Switzerland|Austria|Sweden|"
    "Norway|Denmark|Finland|Iceland|Poland|Greece|Turkey|Russia|Ukraine|Belarus|"
    "Hungary|Romania|Bulgaria|Serbia|Croatia|Israel|Palestine|Lebanon|Syria|Iraq|"
    "Iran|Saudi Arabia|Yemen|Egypt|Libya|Tunisia|Algeria|Morocco|Nigeria|Kenya|"
    "Ethiopia|Somalia|Sudan|South Africa|Afghanistan|Pakistan|India|Bangladesh|"
    "China|Japan|Taiwan|North Korea|South Korea|Vietnam|Thailand|Indonesia|"
    "Malaysia|Philippines|Australia|New Zealand|Europe|Africa|Asia"
)
PLACE_NAMES = frozenset((US_STATES + "|" + COUNTRIES).split("|"))
# A state or country after a name ("Worcester, Massachusetts,", "Kessel, Sweden",
# "La Crosse, Wis."): the name is a town's. Not one a word follows ("Jane Doe,
# Ohio Secretary of State", "Doe, South Carolina state director"): her role.
PLACE_AFTER = re.compile(
    r"\s*,\s*(?:(?:" + US_STATES + "|" + COUNTRIES + r"|Washington|D\.C\.)"
    r"(?=\s*(?:[,.;:!?)—–-]|$))"
    r"|(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|"
    r"Minn|Miss|Mo|Mont|Neb|Nev|N\.[HJMYCD]|Okla|Ore|Pa|R\.I|S\.[CD]|Tenn|Vt|Va|"
    r"Wash|W\.Va|Wis|Wyo)\.)(?![\w’'])"
)
# "in Worcester", "near Kessel": a place follows.
PLACE_BEFORE = re.compile(r"\b(?:in|near)\s+(?:the\s+)?$")
POSSESSIVE_NEXT = re.compile(r"['’]s?\b")


def _is_place(name: str, before: str, after: str) -> bool:
    """Whether the capitalised ``name``, between the words ``before`` and ``after``
    it, is a place: a state or country, a town a state or country follows, or a
    name after "in" (not a possessive: "in Doe's view" names her)."""
    return (
        name in PLACE_NAMES
        or PLACE_AFTER.match(after) is not None
        or (
            PLACE_BEFORE.search(before[-12:]) is not None
            and not POSSESSIVE_NEXT.match(after)
        )
    )


# Words that make a name an organisation's.
ORGANISATION_WORDS = re.compile(
    r"\b(?:Ministry|Department|Dept|Party|Company|Inc|Corp|Corporation|Ltd|LLC|"
    r"Association|Union|Authority|Council|Office|Police|Committee|Commission|"
    r"Campaign|Agency|Group|University|College|Institute|Foundation|Times|Post|"
    r"News|Journal|Press|Reuters|Service|Services|Board|Bank|Court|Government|"
    r"Administration|Federation|Coalition|Organi[sz]ation|Network|Center|Centre|"
    r"Club|Trust|Society|Bureau|Secretariat|Parliament|Congress|Senate|House|"
    r"Assembly|Fund|Federal|National|International|Airlines|Telegraph|Guardian|"
    r"Tribune|Herald|Gazette|Magazine|Television|Radio|Channel|Network|"
    r"Hospital|School|Army|Navy|Force|Forces|Ports?|Harbou?r|Workers|Chamber|"
    r"Terminals|Holdings|Industries|Partners|Systems|Brands|Energy|Airport|Rail|"
    r"Kremlin|Pentagon|Commons|Whitehall|Downing|FBI|CIA|NATO|EU|UN|AP|AFP|BBC|"
    r"CNN|NBC|CBS|ABC|Fox|MSNBC|NPR|Politifact|PolitiFact|WikiLeaks|Twitter)\b"
)
DESCRIPTION = re.compile(
    r"(?:^|\b)(?P<desc>(?:the|a|an|one|another|two|three|several|many|some|his|her|"
    r"its|their|our|my|local|senior|top)\s+[\w'’ -]{1,80}?)\s*$",
    re.IGNORECASE,
)
# Words that make a phrase before a cue a clause, not a speaker ("his audience he
# will", "the city embodied the").
NOT_DESCRIPTION = re.compile(
    r"\b(?:he|she|they|it|we|i|you|will|would|can|could|should|may|might|must|is|"
    r"are|was|were|has|have|had|did|do|does|be|been|that|which|who|whom|whose|"
    r"to|if|when|because|than|#)\b|#",
    re.IGNORECASE,
)
AGE_DESCRIPTION = re.compile(r"\b(\d{1,3})-year-old\b")
# An auxiliary or modal: words holding one, outside a relative clause, are a
# clause ("the crews would be paid"), never a speaker.
AUXILIARY = re.compile(
    r"\b(?:will|would|can|could|should|may|might|must|shall|is|are|was|were|has|"
    r"have|had|did|does|do|\w+n['’]t)\b",
    re.IGNORECASE,
)
RELATIVE_PRONOUN = re.compile(r",?\s+(?:who|whom|whose|that|which)\b", re.IGNORECASE)


# A past tense and what it governs ("changed her story", "began by talking"): a
# verb, where a participle before a noun ("an unnamed official") is none.
PAST_WITH_OBJECT = re.compile(
    r"\s(?:began|ran|took|made|gave|said|told|went|came|won|lost)\b|\s[a-z]+ed\s+"
    r"(?:the|a|an|her|his|their|its|our|my|to|about|with|that|on|up|out)\b"
    # (Not "by": "a court document filed by Jane Doe" names her.)
)


def _noun_phrase(words: str) -> str:
    """The noun phrase ``words`` open, its relative clause dropped ("a port official
    who was not authorised to speak" → "a port official"); "" when the words are a
    clause ("the crews would be paid"), which names nobody."""
    relative = RELATIVE_PRONOUN.search(words)
    head = words[: relative.start()] if relative else words
    if AUXILIARY.search(head) or PAST_WITH_OBJECT.search(head):
        return ""
    return head.strip()


@dataclass
class _Person:
    """A person (or organisation) the article names: the longest name seen, the
    role the article gives them, and what is known of their gender and age."""

    name: str
    role: str = ""
    gender: str = ""
    age: str = ""
    organisation: bool = False
    last_seen: int = 0

    @property
    def last_name(self) -> str:
        words = self.name.split()
        return words[-1] if words else ""


@dataclass
class _Context:
    """What the article has said so far about who is who."""

    text: str = ""
    paragraph_start: int = 0
    people: list[_Person] = field(default_factory=list)
    last_speaker: _Person | None = None
    last_speaker_paragraph: int = -10
    # The people named in the current paragraph, with where.
    here: list[tuple[int, _Person]] = field(default_factory=list)
    # The people by the last word of their name: every way of finding a person
    # below needs the same last word (which a longer name never changes).
    by_last: dict[str, list[_Person]] = field(default_factory=dict)

    def find(self, name: str) -> _Person | None:
        """The person ``name`` refers to: the same name, or a known full name that
        ends with it ("Doe" → "Jane Doe"), or one it extends ("Jane Doe" → "Doe")."""
        words = name.split()
        if not words:
            return None
        candidates = self.by_last.get(words[-1], [])
        for person in reversed(candidates):
            if person.name.split() == words:
                return person
        for person in candidates:
            known = person.name.split()
            if len(words) < len(known) and known[-len(words) :] == words:
                return person
            if len(words) > len(known) and words[-len(known) :] == known:
                return person
            if (
                len(words) >= 2
                and len(known) >= 2
                and words[-1] == known[-1]
                and words[0] == known[0]
            ):
                return person
        return None

    def mention(self, name: str, position: int, *, organisation: bool) -> _Person:
        """Record a mention of ``name``; return the person it is."""
        person = self.find(name)
        if person is None:
            person = _Person(name=name, organisation=organisation)
            self.people.append(person)
            self.by_last.setdefault(name.split()[-1], []).append(person)
        elif len(name.split()) > len(person.name.split()):
            person.name = name
        person.last_seen = position
        self.here.append((position, person))
        return person


# The most words a person's or organisation's name has; a longer capitalised run is
# a headline's words ("Networks Didn’t Cut From Trump Speech To Air Clinton"), or
# a role and a name ("New York City Public Advocate Trish James").
NAME_WORDS = 5
CAPITALS_WORD = re.compile(r"[‘’']?[A-Z]{3,}(?:[’'][A-Z]*)?[’',.:]*")
# Small words a headline capitalises and a name never holds.
HEADLINE_WORD = re.compile(
    r"\b(?:To|For|Of|The|And|A|An|In|On|At|From|With|Is|Are|Was|Be|Not|Does|Do|"
    r"Just|Wants|Her|His|Their|Its|Our|My|\w+n[’']t)\b"
)


def _heading_words(name: str) -> bool:
    """Whether a capitalised run is a headline's or a section heading's words (in
    capitals: "HOW CHINA’S DECLINE AFFECTS THE WORLD"; too long for a name and
    holding a headline's small words), not someone's name."""
    words = name.split()
    capitals = [w for w in words if CAPITALS_WORD.fullmatch(w)]
    if len(capitals) >= 2 and 2 * len(capitals) > len(words):
        # (Not "DNC CEO Amy Dacey", "AFL-CIO President Richard Trumka".)
        return True
    return (
        len(words) > NAME_WORDS
        and HEADLINE_WORD.search(" ".join(words[1:])) is not None
    )


def _long_name(name: str) -> str:
    """A run too long for a name that is no headline ends with the name, its role
    before it ("United Auto Workers Secretary-Treasurer Gary Casteel")."""
    words = name.split()
    return " ".join(words[-2:]) if len(words) > NAME_WORDS else name


def _clean_name(raw: str) -> tuple[str, str, str]:
    """``(name, title, gender)`` from a capitalised run: titles and leading
    non-name words dropped ("Gov. Mike Pence" → "Mike Pence", "Gov")."""
    words = raw.replace("’s", "").replace("'s", "").split()
    title = ""
    gender = ""
    # "Vermont Sen. Bernie Sanders", "Spokeswoman Haley Morris": what comes before
    # the last title or role word is not the name.
    for i in range(len(words) - 2, -1, -1):
        if TITLE_WORD.match(words[i]) or words[i] in ROLE_NOUNS:
            words = words[i:] if TITLE_WORD.match(words[i]) else words[i + 1 :]
            break
    while words and (
        TITLE_WORD.match(words[0])
        or words[0] in NOT_NAMES
        # "Despite Ted Cruz", "From Jane Doe"; not a name of one word ("From said").
        or (words[0] in INTRO_WORDS and len(words) > 1)
    ):
        if TITLE_WORD.match(words[0]):
            bare = words[0].rstrip(".")
            title = f"{title} {bare}".strip()
            gender = (
                "m" if bare in MALE_TITLES else "f" if bare in FEMALE_TITLES else gender
            )
        words.pop(0)
    while words and words[-1] in NOT_NAMES:
        words.pop()
    name = " ".join(
        w.rstrip(".,") if not re.match(r"^(?:[A-Z]\.)+$", w) else w for w in words
    )
    return name, title, gender


def _tidy_role(role: str) -> str:
    """A role as a label: no article, no trailing punctuation."""
    role = re.split(r",?\s+(?:who|which|that|whose|where|since)\b", role)[0]
    role = role.strip(" ,;:.—–-()")
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.IGNORECASE)
    role = re.sub(r"\s+", " ", role)
    if len(role) > 80 or not role or role.lower() in PRONOUNS:
        return ""
    return role


@dataclass
class _Speaker:
    """A speaker phrase as read next to a cue, before resolution."""

    name: str = ""  # a proper name
    role: str = ""
    title: str = ""
    gender: str = ""
    pronoun: str = ""
    description: str = ""
    position: int = 0


def _described_speaker(
    cleaned: tuple[str, str, str], description: str, position: int
) -> _Speaker:
    """A named speaker whose description beside the name is kept as the role when it
    reads like one ("the port's chief executive"), not when it is an aside."""
    name, title, gender = cleaned
    role = _tidy_role(description) if _role_like(description) else ""
    return _Speaker(name=name, role=role, title=title, gender=gender, position=position)


ROLE_WORD = r"[a-z][\w'’-]*"
# "Jane Doe, the port's chief executive," / "Jane Doe, 43,"
APPOSITIVE = re.compile(r"^\s*,\s*(?P<role>[^,“”\"]{2,90}?)\s*(?:,|$)")
LEADING_JUNK = re.compile(
    r"^(?:and|but|as|while|when|so|then|also|later|now|yet|or|because)\s+",
    re.IGNORECASE,
)


def _speaker_in(phrase: str, offset: int, *, before_cue: bool) -> _Speaker | None:
    """Read the speaker in ``phrase``: the words just before a cue
    (``before_cue``) or just after it. ``offset`` is the phrase's place in the text."""
    phrase = re.sub(r"\s*\([^)]*\)", lambda m: " " * len(m.group(0)), phrase)
    if before_cue:
        return _speaker_before(phrase, offset)
    return _speaker_after(phrase, offset)


TRAILING_ADVERB = re.compile(
    r"\s+(?:\w+ly|further|also|then|later|again|once|still|even|never|already|"
    r"just|now|too|has|had|have|was|is|will|would|could|did|does|do|soon|often|"
    r"quickly|publicly|privately|reportedly|previously|recently|repeatedly)$",
    re.IGNORECASE,
)


# When, between a speaker and the cue ("Doe at the time said", "Doe on Wednesday
# called"): not the speaker either.
TRAILING_TIME = re.compile(
    r"\s+(?:at\s+the\s+time|(?:on|last|this|early|late|that)\s+(?:"
    + "|".join(calendar.day_name)
    + r"|week|month|year|morning|afternoon|evening|night)|in\s+\d{4})$"
)


# A quantity opening a subject ("Over 42% of respondents", "More than half of
# voters", "About 300 people"): the people counted speak, not the capitalised word
# that opens the sentence ("Over", "More").
QUANTITY = (
    r"(?:(?:over|about|around|nearly|almost|roughly|approximately|only|just|some|"
    r"more\s+than|fewer\s+than|less\s+than|at\s+least|up\s+to|as\s+many\s+as|"
    r"close\s+to|well\s+over)\s+)?"
    r"(?:\d[\d,.]*\s*(?:%|percent\b|per\s+cent\b|million\b|thousand\b)?|half|"
    r"(?:a|one|two|three)[\s-](?:third|quarter|fifth)s?|(?:a|the)\s+majority|"
    r"a\s+minority|a\s+handful|dozens|hundreds|thousands|millions|most|many)"
)
QUANTITY_SUBJECT = re.compile(
    r"(?i:" + QUANTITY + r")(?:\s+of)?(?:\s+(?i:the|all|those|these|its|their))?"
    r"\s+(?!(?i:percent|per\s+cent|million|thousand)\b)(?P<head>[A-Za-z][\w'’-]*(?:\s+[\w'’-]+){0,9})"
)
QUANTITY_START = re.compile(r"(?i:" + QUANTITY + r")\s")


def _counted_speaker(clause: str, offset: int) -> _Speaker | None:
    """The people a quantity counts ("Over 42% of respondents" → "respondents"),
    when ``clause`` is such a phrase; None otherwise."""
    counted = QUANTITY_SUBJECT.fullmatch(clause)
    if counted is None or NOT_DESCRIPTION.search(counted.group("head")):
        return None
    if re.search(r"[A-Z]\w*\s+[A-Z]", counted.group("head")):
        return None  # "Half Moon Bay Mayor Jane Doe": a name, not a count
    return _Speaker(
        description=counted.group("head"), position=offset + counted.start("head")
    )


# Where the speaker is from, ending the words before a cue ("a woman in Worcester,
# Massachusetts", "Jane Doe of Flint, Mich."): a place when a state or country
# follows the name, or the name is one, or "in" comes before it ("a man at Kessel
# Rail" speaks for it). Read in the last PLACE_REACH characters (longer than any
# place's name).
PLACE_REACH = 120
TRAILING_PLACE = re.compile(
    r"\s+(?P<preposition>in|from|near|at|of)\s+(?:the\s+)?(?P<place>"
    + NAME.pattern
    + r")(?P<rest>(?:\s*,\s*"
    + NAME.pattern
    + r")?)$"
)


def _speaker_before(phrase: str, offset: int) -> _Speaker | None:
    """The speaker ending ``phrase`` ("… port chief executive Jane Doe", "he", "the
    union", "Jane Doe, the chief executive,")."""
    stripped = phrase.rstrip()
    if not stripped.strip(" ,"):
        return None
    # "Jane Doe, the port's chief executive, said": an appositive before the cue.
    appositive = re.search(
        r"(?P<name>"
        + NAME.pattern
        + r")(?:\s+(?:of|from)\s+(?:the\s+)?"
        + NAME.pattern
        + r")?(?:\s*,\s*\d{1,3})?\s*,\s*(?P<role>[^,“”\"]{2,160}?),\s*$",
        stripped,
    )
    if appositive:
        name, title, gender = _clean_name(appositive.group("name"))
        place = _is_place(
            name,
            stripped[: appositive.start("name")],
            stripped[appositive.end("name") :],
        )
        if name and name.split()[0] not in NOT_NAMES and not place:
            return _described_speaker(
                (name, title, gender),
                appositive.group("role"),
                offset + appositive.start("name"),
            )
    described = DESCRIBED_NAME.match(stripped)
    if described:
        # "Jane Doe, who runs the port in Kessel, Sweden, said": the name opening
        # the phrase is the speaker; the aside, however many commas it holds,
        # describes her.
        name, title, gender = _clean_name(described.group("name"))
        aside = described.group("aside")
        if len(name.split()) >= 2 and not CUE_WORD.search(aside):
            return _described_speaker(
                (name, title, gender), aside, offset + described.start("name")
            )
    stripped = stripped.rstrip(" ,")
    where = TRAILING_PLACE.search(stripped, max(0, len(stripped) - PLACE_REACH))
    if where and (
        PLACE_AFTER.match(where.group("rest"))
        if where.group("rest")
        else where.group("place") in PLACE_NAMES
        or where.group("preposition") in {"in", "near"}
    ):
        # "a woman in Worcester, Massachusetts, told": the woman speaks.
        stripped = stripped[: where.start()]
    # "Trump further summed up", "Doe has repeatedly said": words between the
    # speaker and the cue are not the speaker.
    while True:
        shorter = TRAILING_TIME.sub("", TRAILING_ADVERB.sub("", stripped))
        if shorter == stripped:
            break
        stripped = shorter
    if re.search(r"\b(?:and|but|then)$", stripped):
        # "Carson took the stage … and called": the sentence's subject speaks.
        return None
    last_clause = re.split(r"[,;:—–]\s+|\s[-–—]\s", stripped)[-1]
    words = last_clause.split()
    if not words:
        return None
    last = words[-1].lower()
    if last in PRONOUNS and len(words) <= 3:
        return _Speaker(pronoun=last, position=offset + len(stripped) - len(last))
    counted = _counted_speaker(last_clause, offset + len(stripped) - len(last_clause))
    if counted is not None:
        return counted
    of_org = re.search(
        r"(?P<first>" + NAME.pattern + r")\s+(?:of|for|from|at)\s+(?:the\s+)?"
        r"(?P<second>" + NAME.pattern + r")$",
        last_clause,
    )
    if of_org:
        first, title, gender = _clean_name(of_org.group("first"))
        position = offset + len(stripped) - len(last_clause) + of_org.start("first")
        if ORGANISATION_WORDS.search(of_org.group("first")):
            # "the Kessel Chamber of Commerce": one organisation's name.
            whole = _clean_name(of_org.group(0))[0]
            return _Speaker(name=whole, position=position)
        if first:
            # "Tomas Brandt of the Harbour Party": a person and where they are from.
            before = last_clause[: of_org.start("first")]
            return _Speaker(
                name=first,
                role=_role_before_name(before) or of_org.group("second"),
                title=title,
                gender=gender,
                position=position,
            )
    runs = list(NAME.finditer(last_clause))
    if runs and runs[-1].end() == len(last_clause):
        run = runs[-1]
        name, title, gender = _clean_name(run.group(0))
        if name:
            before = last_clause[: run.start()]
            role = _role_before_name(before)
            if not role and title:
                role = title if len(title) > 4 else ""
            return _Speaker(
                name=name,
                role=role,
                title=title,
                gender=gender,
                position=offset + len(stripped) - len(last_clause) + run.start(),
            )
    description = DESCRIPTION.search(last_clause)
    if (
        description
        and len(description.group("desc").split()) <= 8
        and not NOT_DESCRIPTION.search(description.group("desc"))
        # ("Doe, during a town hall meeting, said": a preposition's object.)
        and not PREPOSITION_END.search(last_clause[: description.start("desc")])
    ):
        desc = LEADING_JUNK.sub("", description.group("desc").strip())
        return _Speaker(
            description=desc,
            position=offset
            + len(stripped)
            - len(last_clause)
            + description.start("desc"),
        )
    if (
        len(words) <= 3
        and re.match(r"^[a-z][a-z]+s$|^(?:police|staff|people)$", last)
        and words[0].lower() not in PREPOSITIONS
    ):
        # A bare plural ("officials said", "analysts say"); not one a preposition
        # governs ("without reporters asking"), which is no subject.
        return _Speaker(
            description=last_clause.strip(),
            position=offset + len(stripped) - len(last_clause),
        )
    return None


# Words that make the phrase after them an object, never a subject.
PREPOSITIONS = {
    "about", "after", "against", "at", "before", "by", "for", "from", "in", "into",
    "of", "on", "over", "than", "through", "to", "under", "with", "without",
}  # fmt: skip
# A preposition opening the clause a description ends ("Doe, during a town hall
# meeting, said"): its object, no subject.
PREPOSITION_END = re.compile(
    r"^\s*(?:during|" + "|".join(sorted(PREPOSITIONS)) + r")\s+$", re.IGNORECASE
)
# Words that end the role words read backwards from a name ("found", "by", "the").
ROLE_STOP = {
    "the", "a", "an", "by", "from", "was", "were", "is", "are", "be", "been", "has",
    "have", "had", "found", "among", "in", "at", "on", "to", "with", "for", "of",
    "after", "before", "about", "than", "as", "chose", "completed", "founded", "led",
    "named", "met", "including", "like", "or", "who", "that", "which", "his", "her",
    "its", "their", "our", "this", "these", "those", "said", "says", "told", "asked",
    "both", "and", "but", "when", "while", "between", "against", "over", "under",
    "beat", "joined", "replaced", "succeeded", "elected", "appointed", "hired",
}  # fmt: skip


def _role_before_name(before: str) -> str:
    """The role words written before a name ("port chief executive Jane Doe")."""
    words = before.split()
    role: list[str] = []
    for word in reversed(words):
        bare = word.strip(",")
        if word.endswith(",") or bare.lower() in {"and", "but", "as", "when", "while"}:
            break
        if (
            CUE.fullmatch(bare)
            or "#" in bare
            or bare.endswith((":", "'", "’", ".", "!", "?"))
        ):
            break
        if bare.lower() in ROLE_STOP:
            break
        role.insert(0, bare)
        if len(role) >= 6:
            break
    if not role or not any(re.match(ROLE_WORD, w) for w in role):
        # Only capitalised words: an organisation or place ("Democratic"), keep it
        # only with a role word in it.
        return ""
    return _tidy_role(" ".join(role))


def _role_words(words: str) -> bool:
    """Whether lower-case words between two names read as a role ("president",
    "executive director"), not a verb phrase ("caucused in")."""
    return not NOT_DESCRIPTION.search(words) and not any(
        w in ROLE_STOP or w in VERBS or (w.endswith("ed") and w != "retired")
        for w in words.lower().split()
    )


# A name opening a speaker phrase, then an aside between commas up to the cue.
DESCRIBED_NAME = re.compile(
    r"^\s*(?P<name>" + NAME.pattern + r")\s*,\s+(?P<aside>(?:who|whose|an?|the|[a-z])"
    r"[^“”\"#]{2,200}?)\s*,\s*$"
)
# "the union’s deputy press officer, Rich Olsen": a role someone holds, then the
# person holding it.
POSSESSIVE_ROLE = re.compile(
    r"(?P<role>(?:(?:the|a|an)\s+)?(?:" + NAME.pattern + r"|[a-z][\w-]*)['’]s?"
    r"\s+(?:[a-z][\w-]*\s+){0,4}[a-z][\w-]*)"
    r"\s*,\s+(?P<also>(?:[a-z][\w-]*\s+){0,3})(?P<name>" + NAME.pattern + r")"
)


# Nouns for people or a group of them ("deputy", "campaign manager", "aides").
PERSON_NOUN = re.compile(
    r"\b(?:deputy|aide|adviser|advisor|spokesman|spokeswoman|spokesperson|"
    r"staffer|manager|chairman|chairwoman|chair|"
    r"director|secretary|chief|lawyer|attorney|counsel|wife|husband|son|"
    r"daughter|father|mother|brother|sister|friend|ally|allies|rival|"
    r"opponent|critic|supporter|backer|surrogate|official|minister|senator|"
    r"governor|mayor|president|leader|strategist|pollster|representative|"
    r"introducer|questioner|agent|partner|colleague|successor|predecessor|"
    r"voter|resident|lawmaker|delegate|democrat|republican|worker|student|"
    r"parent|people|police|\w+(?:man|woman|person|ist|ian))s?$"
)
HEAD_NOUN_WORD = re.compile(r"[a-z][\w'’-]*")
POSSESSIVE_END_WORD = re.compile(r"['’]s?$")
# Longer than the four words read.
HEAD_NOUN_REACH = 120
HEAD_NOUN_STOP = {"and", "but", "or", "who", "that", "which", "whose", "sought"}


def _head_noun(rest: str) -> str:
    """The lower-case noun (and the words modifying it) opening ``rest``: "senator"
    of "senator sought to …", "harbour pilot" of "harbour pilot, who …"; "" when
    a verb or other word comes first. A verb (a modal, a past in "-ed", a cue, a
    word in "-s" after the noun) ends it."""
    words: list[str] = []
    for word in rest[:HEAD_NOUN_REACH].split()[:4]:
        bare = word.rstrip(",.;:")
        if (
            not HEAD_NOUN_WORD.fullmatch(bare)
            or AUXILIARY.fullmatch(bare)
            or bare in VERBS
            or bare in HEAD_NOUN_STOP
            or bare in PREPOSITIONS
            or bare.endswith("ed")
            or CUE_WORD.fullmatch(bare)
            or (words and bare.endswith("s"))
        ):
            break
        owner = POSSESSIVE_END_WORD.sub("", bare)
        words.append(owner)
        if bare != word or owner != bare:
            # "the senator’s answer": the owner speaks for it.
            break
    return " ".join(words)


def _speaker_after(phrase: str, offset: int) -> _Speaker | None:
    """The speaker starting ``phrase`` (after "said"/"according to"): "Jane Doe, the
    port's chief executive", "the union", "he"."""
    lead = len(phrase) - len(phrase.lstrip())
    body = phrase.lstrip()
    words = body.split()
    if not words:
        return None
    first = words[0].strip(",.;:").lower()
    if first in PRONOUNS:
        return _Speaker(pronoun=first, position=offset + lead)
    described = re.match(r"^((?:[a-z][\w'’-]*\s+){1,5}?)(" + NAME.pattern + ")", body)
    if (
        described
        and _role_words(described.group(1))
        and not re.match(r"^(?:the|a|an|one|another|his|her|its|their)\s", body)
    ):
        # "said taxi driver Mo Farrant": role words, then the name.
        found = _speaker_after(
            body[described.start(2) :], offset + lead + described.start(2)
        )
        if found is not None and found.name:
            found.role = found.role or _tidy_role(described.group(1))
            return found
    run = NAME.match(body)
    owner = POSSESSIVE_ROLE.match(body)
    if owner and _role_words(owner.group("also")):
        # ("Doe’s introducer, actress Jamie Lee": a second role before the name.)
        # "said the union’s deputy press officer, Rich Olsen, who …": the name
        # after the role speaks, not its owner.
        found = _speaker_after(
            body[owner.start("name") :], offset + lead + owner.start("name")
        )
        if found is not None and found.name:
            found.role = found.role or _tidy_role(owner.group("role"))
            return found
    place = _clean_name(run.group(0))[0] if run else ""
    if run and place in PLACE_NAMES:
        # "The Florida senator", "Wisconsin voters": the place says which; the
        # noun after it is who speaks (or what: "Under Florida law, …").
        rest = body[run.end() : run.end() + HEAD_NOUN_REACH]
        head = _head_noun(rest) if rest[:1] == " " else ""
        named = NAME.match(rest.lstrip()[len(head) :].lstrip()) if head else None
        if head and not named:
            article = re.match(r"(?:The|A|An)\s", run.group(0))
            return _Speaker(
                description=(article.group(0) if article else "") + place + " " + head,
                position=offset + lead,
            )
    if run and POSSESSIVE_END_WORD.search(run.group(0)):
        # "Park’s deputy said": the owner says whose; the deputy speaks (not
        # "Park’s letter": what Park wrote speaks for her).
        rest = body[run.end() : run.end() + HEAD_NOUN_REACH]
        head = _head_noun(rest)
        named = NAME.match(rest.lstrip()[len(head) :].lstrip()) if head else None
        if head and PERSON_NOUN.search(head) and not named:
            return _Speaker(
                description=run.group(0) + " " + head, position=offset + lead
            )
    if run:
        titled = re.match(
            r"\s+((?:[a-z][\w'’-]*\s+){1,3})(" + NAME.pattern + ")", body[run.end() :]
        )
        if titled and _role_words(titled.group(1)):
            # "American Unity Fund president Margaret Hoover": the organisation and
            # the role come before the person.
            shift = run.end() + titled.start(2)
            found = _speaker_after(body[shift:], offset + lead + shift)
            if found is not None and found.name:
                found.role = found.role or _tidy_role(
                    run.group(0) + " " + titled.group(1)
                )
                return found
        name, title, gender = _clean_name(run.group(0))
        if name:
            rest = body[run.end() :]
            appositive = APPOSITIVE.match(rest)
            role = ""
            if appositive and _role_like(appositive.group("role")):
                role = _tidy_role(appositive.group("role"))
            return _Speaker(
                name=name,
                role=role or (title if len(title) > 4 else ""),
                title=title,
                gender=gender,
                position=offset + lead + run.start(),
            )
    description = re.match(
        r"^(?P<desc>(?:the|a|an|one|another|his|her|its|their)\s+[^,.;:“”\"]{1,80}?)"
        r"(?=\s*(?:[,.;:]|$|\s(?:in|on|at|during|after|before|to|from)\s))",
        body,
        re.IGNORECASE,
    )
    if description:
        desc = _noun_phrase(description.group("desc"))
        if not desc:
            # "…,” said the crews would be paid": reported words, no speaker.
            return None
        inner = NAME.search(desc)
        if inner and inner.end() == len(desc):
            name, title, gender = _clean_name(inner.group(0))
            role = _role_before_name(desc[: inner.start()])
            if name and not ORGANISATION_WORDS.search(name):
                return _Speaker(
                    name=name,
                    role=role,
                    title=title,
                    gender=gender,
                    position=offset + lead,
                )
        return _Speaker(description=desc, position=offset + lead)
    return None


# --- rejection of things in quotation marks that are not quotes --------------------


def _looks_like_title(words: str) -> bool:
    """Title Case words without a sentence's punctuation ("Shark Tank", “The Art of
    the Deal”): a title or a name, not speech."""
    tokens = re.findall(r"[\w'’-]+", words)
    if not tokens or len(tokens) > 10:
        return False
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "with", "at"}
    significant = [t for t in tokens if t.lower() not in small]
    # A capitalised small word ("With a view to …") does not make a title: every
    # word that matters must be capitalised.
    capitalised = [t for t in significant if t[0].isupper() or t[0].isdigit()]
    if not significant:
        return False
    if (
        re.search(r"[!?]\s*$", words)
        or (words.rstrip().endswith(".") and len(significant) > 3)
        or _holds_full_stop(words)
    ):
        # A sentence; but “This Week.” before a full stop is a short title.
        return False
    # “America's Bitter Pill,” — a title before a comma; one word (“Disgusting,”)
    # is more likely said.
    return len(capitalised) >= len(significant) and (
        not words.rstrip().endswith(",") or len(significant) >= 2
    )


# A full stop ending a word inside quoted words, and a capital after it.
INNER_FULL_STOP = re.compile(r"[a-z]{2}\.\s+(?=[A-Z])")


def _holds_full_stop(words: str) -> bool:
    """Whether the quoted words end a sentence inside them (“Like Oakland. Or
    Ferguson,”): sentences, which a title is not; an abbreviation ("“Mrs.
    Doe,”") ends none."""
    return any(
        not ABBREVIATIONS.search(words, 0, stop.start() + 3)
        for stop in INNER_FULL_STOP.finditer(words)
    )


# A cue verb right before a quote, with the comma or colon that introduces speech.
INTRODUCED = re.compile(r"(?<![\w-])(?i:" + CUE_VERBS + r")\s*[,:]\s*$")


def _is_naming_cue(before: str) -> bool:
    """Whether the cue before a quote names rather than reports ("called it:")."""
    found = INTRODUCED.search(before)
    return found is not None and found.group(0).rstrip(" ,:").lower() in NAMING_VERBS


# A naming verb and its object right before a quote ("Doe called Lee “Little
# Eddie”", "what she called the Soviet “Evil Empire”"): the name is the
# speaker's own words, even in Title Case (#19). Not a passive or a participle
# ("has been called the “…”", "the town, called the “…”"), which gives a
# name nobody is said to have said.
NAMED_OBJECT = re.compile(
    r"(?<![\w-])(?<!,\s)(?<!\bbe\s)(?<!\bbeen\s)(?<!\bis\s)(?<!\bwas\s)(?<!\bare\s)"
    r"(?<!\bwere\s)(?:(?:called|calls|dubbed|dubs)(?:\s+[\w'’.-]+){1,4}"
    r"|(?:referred|refers|referring)\s+to\s[^“”\"‘.;]{1,60}?\sas(?:\s+(?:a|an|the))?)"
    r"\s*$"
)


# The words SCARE_BEFORE and INTRODUCED end with are read in this many characters
# before the quote only: each pattern is a long alternation tried at every start,
# and a sentence of many short quotes tries it for each (longer than any of their
# words with the comma or colon after them).
SCARE_REACH = 40
INTRODUCED_REACH = 30
# Longer than any of the phrases before a quote that :func:`_rejected` reads.
REJECT_REACH = 120


def _rejected(text: str, span: _Span, sentence: tuple[int, int], cue: str) -> bool:
    """Whether the quoted span is a title, a scare quote or a term, not speech
    (``cue`` is the verb of the sentence's attribution, if any)."""
    words = text[span.open : span.close]
    before = text[sentence[0] : span.open - 1]
    after = text[span.close + 1 : sentence[1]]
    alone = not re.search(r"\w", before) and not re.search(r"\w", after)
    has_cue = bool(cue)
    # The patterns below end at the quote: read the words just before it only
    # (searching a whole long sentence for each of its quotes is quadratic).
    before = before[-REJECT_REACH:]
    if SCARE_BEFORE.search(before, max(0, len(before) - SCARE_REACH)):
        return True
    if cue in NAMING_VERBS and NAMED_OBJECT.search(before[-60:]):
        # A naming verb is a cue only when someone does the naming.
        return False
    if (
        re.search(r"[,:]\s*$", before)
        and INTRODUCED.search(before, max(0, len(before) - INTRODUCED_REACH))
        and not _is_naming_cue(before[-INTRODUCED_REACH:])
    ):
        # Lee said, “Tomorrow.”: a cue and a comma or colon introduce speech,
        # however short or capitalised.
        return False
    if _looks_like_title(words):
        return True
    # A short quote nobody is said to have said: scare quotes or a term.
    return not has_cue and not alone and len(words.split()) <= 4


# --- the extractor -----------------------------------------------------------------


def _register_people(segment: str, start: int, context: _Context) -> None:
    """Note the people named in one paragraph (``segment``, its quoted words blanked,
    at ``start`` in the text), with the role and age given next to them ("Jane Doe,
    43, the port's chief executive")."""
    for run in NAME.finditer(segment):
        raw = run.group(0)
        if " " not in raw and (
            raw in NOT_NAMES
            or (
                context.find(re.sub(r"['’]s$", "", raw)) is None
                and not TITLE_WORD.match(raw)
                and not CUE.match(segment, run.end() + 1)
            )
        ):
            continue  # one capitalised word nobody is known by, not speaking
        name, title, gender = _clean_name(raw)
        if not name or len(name) < 2:
            continue
        if not ORGANISATION_WORDS.search(name):
            name = _long_name(name)
        if _heading_words(raw) or _is_place(
            name, segment[: run.start()], segment[run.end() : run.end() + 20]
        ):
            # "Salem, New Hampshire": no one a pronoun may refer to.
            continue
        organisation = bool(ORGANISATION_WORDS.search(raw)) or raw.startswith("The ")
        if (
            len(name.split()) < 2
            and not title
            and context.find(name) is None
            and not CUE.match(segment, run.end() + 1)
        ):
            # A lone capitalised word is a person only as a speaker ("Feinstein
            # said") or once known by a full name.
            continue
        person = context.mention(name, start + run.start(), organisation=organisation)
        if gender and not person.gender:
            person.gender = gender
        if title and not person.role and len(title) > 4:
            person.role = title
        rest = segment[run.end() : run.end() + 200]
        age = re.match(r"^\s*,\s*(\d{1,3})\s*,", rest)
        if age:
            person.age = age.group(1)
            rest = rest[age.end() - 1 :]
        appositive = APPOSITIVE.match(rest)
        if appositive and not person.role:
            role = _tidy_role(appositive.group("role"))
            if role and _role_like(appositive.group("role")):
                person.role = role
        if not person.role:
            role = _role_before_name(segment[max(0, run.start() - 60) : run.start()])
            if role:
                person.role = role
        pronoun = re.match(r"^[^.]{0,80}?\b(his|her)\b", rest)
        if (
            pronoun
            and not person.gender
            and not person.organisation
            and not _names_another(rest[: pronoun.start(1)], context)
        ):
            person.gender = "m" if pronoun.group(1) == "his" else "f"


def _names_another(words: str, context: _Context) -> bool:
    """Whether ``words`` name a person ("Doe went after Holm, calling her …"): a
    "his" or "her" after them may be that person's, and tells nothing of the
    gender of the name before."""
    for run in NAME.finditer(words):
        name = _clean_name(run.group(0))[0]
        if (
            name
            and name not in PLACE_NAMES
            and not ORGANISATION_WORDS.search(name)
            and (len(name.split()) > 1 or context.find(name) is not None)
        ):
            return True
    return False


# Words that open an aside between commas that is not a role ("Doe, however,").
NOT_ROLE_START = re.compile(
    r"^(?:however|meanwhile|too|though|instead|also|then|now|in|at|on|for|to|"
    r"according|speaking|after|before|when|while|if|and|but|who|which|whose|"
    r"said|says|not|still|again|once|later|earlier|he|she|they|it|I|we|from|by|"
    r"with|of|as|whose|where|during|amid|despite|ahead|throughout)\b",
    re.IGNORECASE,
)


# Past tenses that open a clause after a name, not a role ("Doe, chose …").
VERBS = {
    "chose", "swung", "won", "lost", "made", "took", "gave", "went", "came", "saw",
    "got", "ran", "set", "put", "began", "left", "held", "kept", "told", "said",
    "struck", "hit", "became", "brought", "bought", "built", "sent", "spent", "stood",
    "threw", "wrote", "drove", "rose", "fell", "led", "met", "paid", "sat", "spoke",
    "thought", "felt", "found", "heard", "knew", "meant", "read", "sold", "taught",
}  # fmt: skip


def _role_like(words: str) -> bool:
    """Whether an aside after a name reads as a role: "the port's chief executive",
    "chief executive of the Port of Kessel" (not "however", not a clause)."""
    words = words.strip()
    if ":" in words or ";" in words:
        return False
    if re.match(r"^(?:the|a|an)\s", words):
        return True
    first = words.split()[0].lower() if words.split() else ""
    if (first.endswith("ed") and first not in {"retired", "elected"}) or first in VERBS:
        return False
    return (
        bool(re.match(r"^[a-z]", words))
        and len(words.split()) >= 2
        and not NOT_ROLE_START.match(words)
        and not NOT_DESCRIPTION.search(words.replace("that", ""))
    )


def _resolve(
    speaker: _Speaker, context: _Context, paragraph: int
) -> tuple[str, str, str]:
    """``(name, role, kind)`` for a speaker phrase, pronouns and descriptions resolved
    to the person they refer to when the article named one."""
    if speaker.name and (
        _heading_words(speaker.name) or _opening_word(speaker.name, context)
    ):
        return "", "", ""
    if speaker.name and not ORGANISATION_WORDS.search(speaker.name):
        speaker = replace(speaker, name=_long_name(speaker.name))
    if speaker.name:
        organisation = bool(ORGANISATION_WORDS.search(speaker.name))
        person = context.mention(
            speaker.name, speaker.position, organisation=organisation
        )
        if speaker.role and (not person.role or len(speaker.role) > len(person.role)):
            person.role = speaker.role
        if speaker.gender and not person.gender:
            person.gender = speaker.gender
        context.last_speaker, context.last_speaker_paragraph = person, paragraph
        kind = "organisation" if person.organisation else "person"
        return person.name, person.role, kind
    if speaker.pronoun:
        described = _described_subject(speaker.pronoun, context, speaker.position)
        if described:
            return described, "", "other"
        referent = _resolve_pronoun(speaker.pronoun, context, speaker.position)
        if referent is not None:
            context.last_speaker, context.last_speaker_paragraph = referent, paragraph
            return (
                referent.name,
                referent.role,
                "organisation" if referent.organisation else "person",
            )
        return "", "", ""
    if speaker.description:
        referent = _resolve_description(speaker.description, context)
        if referent is not None:
            context.last_speaker, context.last_speaker_paragraph = referent, paragraph
            return referent.name, referent.role, "person"
        description = speaker.description
        # "a spokesman for the ministry" speaks for the ministry: keep the words.
        return description, "", "other"
    return "", "", ""


# A capitalised participle or adverb ("Informed of …, Early described", "Hastily
# …", "Doing so …"), not a surname ending the same way ("Kelly", "Reed").
OPENING_WORD = re.compile(r"[A-Z][a-z]{3,}(?:ing|ally|(?<![le])ly|(?<!e)ed)")


def _opening_word(name: str, context: _Context) -> bool:
    """Whether a one-word speaker nobody in the article is known by is a
    participle or an adverb opening a sentence, read as a name."""
    return (
        " " not in name
        and OPENING_WORD.fullmatch(name) is not None
        and context.find(name) is None
    )


# "A spokeswoman for Northwind Rail said …": a described speaker a later "she"
# refers to when the paragraph names nobody before it.
DESCRIBED_SUBJECT = re.compile(
    r"(?:^|(?<=\n)|[.!?][”\"’]?\s+)(?P<desc>(?:A|An|The)\s[^,.;:“”\"#]{2,60}?)\s+"
    r"(?:said|says|told|tells|added|confirmed|explained|warned|stated)\b"
)


def _described_subject(pronoun: str, context: _Context, position: int) -> str:
    """The description a "he"/"she" refers to when the paragraph, before it, has a
    described speaker and names no person."""
    if pronoun not in {"he", "she"}:
        return ""
    if any(at < position and not p.organisation for at, p in context.here):
        return ""
    found = list(
        DESCRIBED_SUBJECT.finditer(context.text, context.paragraph_start, position)
    )
    return found[-1].group("desc") if found else ""


def _sentence_subject(context: _Context, here: list[tuple[int, _Person]]) -> _Person:
    """Of the people named before a pronoun in its paragraph, the first one named in
    the latest sentence that names any (that sentence's subject, most likely)."""
    latest_at, chosen = here[-1]
    for at, person in reversed(here[:-1]):
        if re.search(r"[.!?][”\"’]?\s", context.text[at:latest_at]):
            break
        chosen = person
    return chosen


def _resolve_pronoun(pronoun: str, context: _Context, position: int) -> _Person | None:
    """The person "he"/"she"/"they" most likely is: someone the paragraph named
    before it (the latest speaker if among them, else the first named: the
    paragraph's subject), else the latest speaker, else the latest person named,
    of the pronoun's gender when known."""
    gender = PRONOUNS.get(pronoun, "")
    if pronoun in {"i", "we"}:
        return context.last_speaker
    want_org = pronoun in {"it", "they"}
    last = context.last_speaker
    chosen: _Person | None = None
    here = [
        (at, p)
        for at, p in context.here
        if at < position
        and not p.organisation
        and not want_org
        and (not gender or p.gender in {"", gender})
    ]
    if here:
        named = [p for _, p in here]
        chosen = last if last in named else _sentence_subject(context, here)
    if (
        chosen is None
        and last is not None
        and (not gender or last.gender in {"", gender})
        and (want_org == last.organisation or pronoun == "they")
    ):
        chosen = last
    if chosen is None:
        candidates = [
            p
            for p in context.people
            if p.last_seen <= position
            and (p.organisation == want_org or pronoun == "they")
            and (not gender or p.gender in {"", gender})
        ]
        if candidates:
            chosen = max(candidates, key=lambda p: p.last_seen)
        elif not gender:
            chosen = last
    if chosen is not None and gender and not chosen.gender:
        # "he said" of Daniel Reyes: a later "she" is someone else.
        chosen.gender = gender
    return chosen


# The owner opening a description ("Lee Park’s deputy").
OWNER = re.compile(NAME.pattern + r"['’]s?\s+")


def _resolve_description(description: str, context: _Context) -> _Person | None:
    """The person "the mayor" or "the 43-year-old" refers to, when one has that role
    or age; None for an unknown "a spokesman"."""
    lowered = description.lower()
    owner = OWNER.match(description)
    if owner:
        # "Park’s deputy": whoever the article gave that role.
        lowered = "the " + lowered[owner.end() :]
    if not re.match(r"^(?:the|his|her|their)\s", lowered):
        return None
    age = AGE_DESCRIPTION.search(lowered)
    if age:
        for person in reversed(context.people):
            if person.age == age.group(1):
                return person
        # An age the article did not give before: the person it just spoke of.
        people = [p for p in context.people if not p.organisation]
        return max(people, key=lambda p: p.last_seen) if people else None
    head = re.sub(r"^(?:the|his|her|their)\s+", "", lowered)
    head_words = [w for w in re.findall(r"[\w-]+", head) if len(w) > 2]
    if not head_words:
        return None
    best: _Person | None = None
    for person in context.people:
        role = person.role.lower()
        if (
            role
            and head_words[-1] in role.split()
            and (best is None or person.last_seen > best.last_seen)
        ):
            best = person
    return best


# Any of the cue verbs' words: a frame without one has no cue (a quick test before
# the full pattern).
CUE_WORD = re.compile(
    r"\b(?:" + CUE_VERBS + r")\b",
    re.IGNORECASE,
)
# A cue word after these is a noun ("the union's demands", "his claims").
NOUN_BEFORE = re.compile(
    r"(?:['’]s?|\b(?:the|a|an|his|her|its|their|our|my|your|these|those|this|that))\s+$",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _title_case(words: str) -> bool:
    """Whether ``words`` are written in title case, as headlines are: every word of
    four letters or more capitalised but the prepositions."""
    long = re.findall(r"[^\W\d_][\w'’-]{3,}", words)
    lower = [w for w in long if w[0].islower() and w not in TITLE_CASE_SMALL]
    return len(long) >= 2 and not lower


# Words a headline in title case may leave in lower case.
TITLE_CASE_SMALL = {"with", "from", "into", "onto", "over", "upon", "than"}


def _in_a_name(frame: str, cue: re.Match[str]) -> bool:
    """Whether a capitalised cue word inside running text continues a name ("the
    United States has", "Consumer Reports"), not a verb; a headline in title case
    ("Doe Says Port Will Close") capitalises its verbs too."""
    verb = cue.group("verb")
    if not verb[0].isupper():
        return False
    # The word before the cue (read in a short reach: a long frame has many cues);
    # whether the frame is in title case is asked once per frame (cached).
    before = frame[max(0, cue.start("verb") - 80) : cue.start("verb")].split()
    return bool(before) and before[-1][0].isupper() and not _title_case(frame)


# How far before a quote its cue is looked for: a sentence of many statements
# ("Doe says … “…” and says … “…” and …") reads the whole sentence before each
# quote, and reading all of it every time made a long one quadratic.
CUE_REACH = 600


def _cue_in(frame: str, *, last: bool) -> re.Match[str] | None:
    """The cue nearest the quote in a stretch of non-quoted words: the first one
    after a quote, the last one before it. Nouns spelt like cues are skipped."""
    found = None
    reach = max(0, len(frame) - CUE_REACH) if last else 0
    # (The quick test reads the reach only too: a sentence of many quotes and no
    # cue reread its whole beginning before each quote.)
    if not CUE_WORD.search(frame, reach):
        return None
    for match in CUE.finditer(frame, reach):
        if NOUN_BEFORE.search(frame[max(0, match.start() - 40) : match.start()]):
            continue
        if _in_a_name(frame, match):
            continue
        if (
            last
            and found is not None
            and found.group("verb").lower() not in THOUGHT_VERBS
            and (
                (
                    match.group("verb").lower() in THOUGHT_VERBS
                    and REPORTED_THOUGHT.fullmatch(frame, found.end(), match.start())
                )
                or SAYS_OWN_THOUGHT.search(frame, found.end(), match.start())
            )
        ):
            # "said that he believed …", "told reporters on Friday that he
            # agrees …": the speaker's own thought or saying is part of what was
            # said; the first verb of saying is the cue (#19).
            continue
        if last and found is not None and _nested_report(frame, found, match):
            continue
        found = match
        if not last:
            break
    return found


def _nested_report(frame: str, outer: re.Match[str], inner: re.Match[str]) -> bool:
    """Whether the cue ``inner`` stands inside the words a verb of saying before it
    reports ("Trump said that Romney begged him …", "told reporters he thought
    Lee had …"): then ``outer`` is the sentence's cue, and its speaker speaks.
    Read within a short reach of ``outer`` only (a page of nested reports stays
    linear)."""
    if inner.start() - outer.end() > NESTED_REACH:
        return False
    if outer.group("verb").lower() not in SAYING_VERBS:
        return False
    between = frame[outer.end() : inner.start()]
    verb = inner.group("verb")
    if COORDINATED_AFTER.search(between) and (
        (verb.lower() in SAYING_VERBS and not NONFINITE.fullmatch(verb.lower()))
        or NAMING_CUE.match(verb)
    ):
        # "said the ferry is late and said that …", "… and calls her “…”": the
        # subject's second statement, not one inside the first.
        return False
    return bool(
        NESTED_THAT.fullmatch(between)
        or NESTED_SUBJECT.fullmatch(between)
        or NESTED_CLAUSE.fullmatch(between)
    )


# "… the clerks were calling", "… she would sit the mayor down and tell him", "…
# the mayor is to blame and accused him": the reported clause goes on to the second
# verb, within one stretch of words (no comma, colon or dash); not after a phrase
# of where or when ("wrote to her on Tuesday say": the verb of a relative clause,
# then the main one) nor a conjunction opening a clause of its own ("said as the
# mayor shouted").
NESTED_CLAUSE = re.compile(
    r"\s+(?!(?:to|on|in|at|for|with|about|of|from|during|after|before|over|via|"
    r"last|this|yesterday|today|as|while|when|whenever|because|since|until|"
    r"although|though|whereas|once)\s)[^,;:—–()#]+?\s+"
)
# A verb of saying that is no finite verb ("… would sit the mayor down and tell
# him": the reported clause's own verb, not the subject's second statement).
NONFINITE = re.compile(r"say|tell|\w+ing")
# A conjunction right before the second verb.
COORDINATED_AFTER = re.compile(r"\b(?:and|but)\s+$")


# Longer than a that-clause's subject or an addressee between two cues.
NESTED_REACH = 120
# The verbs of saying whose reported words may hold a report of their own.
SAYING_VERBS = {
    "said", "says", "told", "tells", "wrote", "writes", "added", "noted", "claimed",
    "argued", "insisted", "explained", "stated", "acknowledged", "admitted",
    "recalled", "contended", "asserted", "suggested", "warned",
    # Their other forms ("adding that …", "does say that …", "pointed out that …").
    "say", "tell", "saying", "telling", "writing", "adding", "noting", "claiming",
    "arguing", "insisting", "explaining", "stating", "acknowledging", "admitting",
    "recalling", "asserting", "suggesting", "warning", "adds", "notes", "claims",
    "argues", "insists", "explains", "states", "acknowledges", "admits", "recalls",
    "contends", "asserts", "suggests", "warns", "pointed out", "points out",
    "pointing out",
}  # fmt: skip
# "… that Romney begged", "… told friends that the candidate knew": a that-clause
# with a subject of a few words (a pronoun's own thought is SAYS_OWN_THOUGHT's).
NESTED_THAT = re.compile(
    r"\s+(?:(?:to\s+)?[\w’'.-]+\s+){0,4}?that\s+(?!(?:he|she|they|we|I)\s)"
    r"(?:[\w’'.-]+\s+){1,5}?(?:(?:has|have|had|was|is|would|will|also|\w+ly)\s+)*"
)
# "… he’d asked", "told reporters he thought": a pronoun subject, after an
# addressee at most.
NESTED_SUBJECT = re.compile(
    r"\s+(?:(?:to\s+)?(?:reporters|journalists|[A-Z][\w’'.-]*)\s+){0,3}?"
    r"(?:that\s+)?(?:he|she|they|we|I|it)(?:[’']d)?\s+"
    r"(?:(?:has|have|had|was|is|would|will|also|\w+ly)\s+)*"
)


# "… that he believes": the speaker reporting a thought of their own, further on.
SAYS_OWN_THOUGHT = re.compile(
    r"\bthat\s+(?:he|she|they|we|I)\s+(?:(?:\w+ly|also|still|now)\s+)?$"
)
# Verbs of thinking, which a verb of saying may report ("said he believes").
THOUGHT_VERBS = {
    "believes", "believed", "thinks", "thought", "hopes", "hoped", "fears",
    "feared", "worries", "worried", "predicted", "predicts",
}  # fmt: skip
# Between a verb of saying and a verb of thinking it reports: "that", a subject.
REPORTED_THOUGHT = re.compile(
    r"\s+(?:that\s+)?(?:he|she|they|we|I|it)(?:\s+(?:really|still|also|now|\w+ly))?"
    r"\s+(?:(?:has|had|have|always|long|only)\s+)?",
    re.IGNORECASE,
)


def _names_someone(words: str) -> bool:
    """Whether ``words`` open with a name (not "On Tuesday", "In a statement")."""
    run = NAME.match(words.strip())
    if run is None:
        return False
    first = run.group(0).split()[0].rstrip(".,")  # "said Tuesday." names no one
    if first in NOT_NAMES or first in INTRO_WORDS:
        return False
    # "Reached by the Ledger", "Shortly after the vote", "To wit": one capitalised
    # word and lower-case words after it open a phrase (a participle, an adverb,
    # a preposition); a name goes on with a name ("Jane Doe") or with "of" and
    # the like ("Doe of the union").
    return " " in run.group(0) or not PHRASE_AFTER_WORD.match(words.strip(), run.end())


# A lower-case word after a single capitalised one: the phrase it opens goes on.
PHRASE_AFTER_WORD = re.compile(
    r"\s+(?!(?:of|from|at|for|and|or|himself|herself|themselves|itself|too|also|"
    r"alone|however|though|meanwhile|" + PARTICLE[3:-1] + r")\b)[a-z]"
)


# An introductory phrase before a clause's subject ("Appearing before cheering
# supporters at the party's headquarters, Doe …"), after a lone connective
# ("Moreover, as part of the exchange, Doe …").
INTRO_PHRASE = re.compile(
    r"^\s*(?:(?P<lead>[A-Z][a-z]+),\s+)?([^,]{0,100}),\s+(?=[A-Z]|(?:he|she|they)\b)"
)


def _name_before_aside(intro: re.Match[str], phrase: str) -> bool:
    """Whether the word before an introductory phrase is the subject, the phrase
    an aside between commas ending with a place before the cue ("Holm, during a
    visit to Kessel, Sweden, said …"), not a connective ("Moreover, …")."""
    lead = intro.group("lead")
    if lead is None or lead in NOT_NAMES or lead in INTRO_WORDS or lead.endswith("ly"):
        return False
    rest = phrase[intro.end() :]
    place = PLACE_OPENING.match(rest)
    if place and place.group("place") in PLACE_NAMES:
        rest = rest[place.end() :]
    # (A phrase read before its cue ends where the cue begins.)
    return not rest.strip() or CUE.match(rest) is not None


# A dateline opening an article's first sentence ("LA CROSSE, Wis. — ").
DATELINE = re.compile(
    r"\s*[A-Z][A-Z .'’-]{2,40}(?:,\s+[\w.]+(?:\s+[\w.]+){0,2})?\s+[—–-]+\s+"
)


# A state or country opening the words after an introductory phrase, a comma after
# it.
PLACE_OPENING = re.compile(r"(?P<place>" + NAME.pattern + r")\s*,\s+")


def _subject(phrase: str, offset: int) -> _Speaker | None:
    """The subject opening a clause ("Jane Doe, 43, issued a statement"): a name or
    pronoun among its first words, an introductory phrase ("On Tuesday,") skipped."""
    dateline = DATELINE.match(phrase)
    if dateline:
        # "KESSEL, Sweden — Jane Doe said …": where the story was filed.
        phrase, offset = phrase[dateline.end() :], offset + dateline.end()
    intro = INTRO_PHRASE.match(phrase)
    if intro and (_names_someone(intro.group(2)) or _name_before_aside(intro, phrase)):
        intro = None  # "Bush, Florida's former governor, …": the subject itself
    body = phrase[intro.end() :] if intro else phrase
    skipped = len(phrase) - len(body)
    stripped = body.lstrip()
    lead = skipped + len(body) - len(stripped)
    place = PLACE_OPENING.match(stripped)
    if place and place.group("place") in PLACE_NAMES:
        # "Speaking in Salem, New Hampshire, Trump …": the introductory phrase
        # ends with the state; the subject follows it.
        lead += place.end()
        stripped = stripped[place.end() :]
    first = stripped.split()[0].lower() if stripped.split() else ""
    if first in PRONOUNS:
        return _Speaker(pronoun=first, position=offset + lead)
    for run in NAME.finditer(stripped, 0, 60):
        # "Emergency chief Jonas Ekdahl said …": the first full name, with the role
        # words before it.
        name = _clean_name(run.group(0))[0]
        if len(name.split()) >= 2 and not NOT_DESCRIPTION.search(
            stripped[: run.start()]
        ):
            found = _speaker_after(stripped[run.start() :], offset + lead + run.start())
            if found is not None and found.name:
                found.role = found.role or _role_before_name(stripped[: run.start()])
                return found
            break
    if NAME.match(stripped) and not QUANTITY_START.match(stripped):
        # ("Over 42% of respondents said …": a quantity opens it, not a name.)
        found = _speaker_after(stripped, offset + lead)
        if found is not None:
            return found
        # "The candidate has mocked …": read as a clause after a cue, no speaker;
        # opening the sentence, its subject (below).
    description = re.match(
        r"^(?:the|a|an)\s+[\w'’ -]{1,60}?(?=\s+(?:has|had|was|is|issued|"
        r"released|gave|made|took|went|posted|put|sent|began|[a-z]+ed\s+"
        r"(?:the|a|an|her|his|their|its|our|my|to|about|with|that|on|up|out))\b)",
        stripped,
        re.IGNORECASE,
    )
    if description:
        return _Speaker(description=description.group(0), position=offset + lead)
    return None


# Verbs of saying that put their subject after them ("…, said Jane Doe") and take
# no person as object (unlike "told", "asked", "urged": "…, Doe told Lee").
INVERTED_VERB = re.compile(
    r"said|says|added|adds|wrote|writes|explained|noted|continued|argued|insisted|"
    r"stated|recalled|replied|responded|countered"
)


def _inverted_attribution(before: str, verb: str, after: str) -> bool:
    """Whether an attribution after a quote puts its speaker after the verb
    ("“…” for the city, said Jane Doe"): the verb follows a comma and a name
    follows the verb. Then the words before the comma are not its subject."""
    return (
        bool(re.search(r",\s*$", before))
        and INVERTED_VERB.fullmatch(verb) is not None
        and _names_someone(after)
    )


# "Jane Doe:" at the end of the words before a quote (a transcript's speaker); the
# name with its colon is far shorter than this reach.
NAME_COLON_END = re.compile(r"(?P<name>" + NAME.pattern + r")\s*:\s*$")
NAME_COLON_REACH = 200


def _frame_speaker(
    text: str, frame_start: int, frame_end: int, *, after_quote: bool
) -> tuple[_Speaker | None, str, int]:
    """The speaker and cue in the non-quoted words ``frame_start:frame_end``:
    ``(speaker, cue, cue_end)``, or ``(None, "", -1)``."""
    frame = text[frame_start:frame_end]
    # (Before a quote, read in the cue's reach: a long sentence of quotes reread
    # its beginning before each one.)
    according = ACCORDING_TO.search(
        frame, 0 if after_quote else max(0, len(frame) - CUE_REACH)
    )
    cue = _cue_in(frame, last=not after_quote)
    speaker: _Speaker | None = None
    if according and (cue is None or according.start() < cue.start()):
        source = frame[according.end() :]
        speaker = _speaker_in(source, frame_start + according.end(), before_cue=False)
        named = re.match(r"\s*([^,#]{2,60}?)\s*,", source)
        if speaker is None and named and not according.start():
            # "According to people at the port, …": whoever the words name.
            speaker = _Speaker(
                description=named.group(1),
                position=frame_start + according.end() + named.start(1),
            )
        if speaker:
            return speaker, "according to", frame_start + according.end()
    if cue is None:
        # Searched in the frame's tail only: at every start of a long frame the
        # name pattern would be tried to its end (quadratic on a hostile page).
        colon = NAME_COLON_END.search(frame, max(0, len(frame) - NAME_COLON_REACH))
        if colon and not after_quote:
            speaker = _speaker_in(
                colon.group("name"), frame_start + colon.start("name"), before_cue=True
            )
            if speaker is not None and speaker.name:
                return speaker, ":", frame_end
        return None, "", -1
    verb = cue.group("verb").lower()
    before = frame[: cue.start()]
    after = frame[cue.end() :]
    speaker = None
    if after_quote:
        # “…,” Jane Doe said / “…,” said Jane Doe / “…,” she told the BBC
        head = before.strip(" ,—–-")
        inverted = (
            _speaker_in(after, frame_start + cue.end(), before_cue=False)
            if head and _inverted_attribution(before, verb, after)
            else None
        )
        if inverted is not None and inverted.name:
            # "“…” for the city, said Jane Doe": the subject comes after its verb;
            # the words before the comma go on with the quote, whatever names
            # they hold (#19).
            speaker = inverted
        elif head:
            speaker = _speaker_in(before, frame_start, before_cue=True)
            if speaker is None or len(head.split()) > 12:
                speaker = _subject(before, frame_start)
            if speaker is None and re.search(r",\s*$", before):
                # "“…” would be needed, said Jane Doe": the speaker follows.
                speaker = _speaker_in(after, frame_start + cue.end(), before_cue=False)
        elif not verb.endswith("ing"):
            # (“…,” adding he would …: after a participle come the words it
            # reports, their subject not the speaker; the sentence's is.)
            speaker = _speaker_in(after, frame_start + cue.end(), before_cue=False)
    elif verb.endswith("ing"):
        # "Jane Doe, the chief executive, issued a statement, saying …": the
        # sentence's subject speaks.
        speaker = _subject(before, frame_start)
    else:
        speaker = _speaker_in(before, frame_start, before_cue=True)
        if speaker is None and not before.strip(" ,"):
            speaker = _speaker_in(after, frame_start + cue.end(), before_cue=False)
        if speaker is None:
            speaker = _subject(before, frame_start)
    if speaker is None and verb in NAMING_VERBS:
        return None, "", -1
    return speaker, verb, frame_start + cue.end()


@dataclass
class _Attribution:
    """The cue and speaker found for the quotes of one sentence, and where."""

    speaker: _Speaker | None
    cue: str
    frame: tuple[int, int]
    cue_end: int
    after_quote: bool


def _attribution(
    text: str, masked: str, start: int, end: int, spans: list[_Span]
) -> _Attribution | None:
    """The cue and speaker of a sentence's quotes, read in ``masked`` (``text`` with
    quoted words hidden): first an attribution right after a quote (“…,” she said),
    else a cue before a quote (Doe said the port was “closed”), else any cue."""
    after_frames = []
    for i, span in enumerate(spans):
        if not span.closed:
            continue
        stop = spans[i + 1].open - 1 if i + 1 < len(spans) else end
        after_frames.append((span.close + 1, stop))
    loose: list[_Attribution] = []
    for frame_start, frame_end in after_frames:
        if frame_end - frame_start < 2 or AND_THAT.match(masked, frame_start):
            # (“…,” and that the union fears …: a second reported clause, whose
            # verbs are the reported words', not an attribution.)
            continue
        speaker, cue, cue_end = _frame_speaker(
            masked, frame_start, frame_end, after_quote=True
        )
        if not cue:
            continue
        attribution = _Attribution(
            speaker, cue, (frame_start, frame_end), cue_end, True
        )
        words_before = len(masked[frame_start:cue_end].split())
        # "“…” he warned: “…”": the words introduce the next quote.
        introduces = frame_end < end and masked[
            frame_start:frame_end
        ].rstrip().endswith(":")
        if (
            speaker is not None
            and words_before <= 9
            and not introduces
            and _closes_reported_words(text, frame_start)
        ):
            return attribution
        loose.append(attribution)
    for span in spans:
        frame_end = span.open - 1
        if frame_end - start < 2:
            continue
        speaker, cue, cue_end = _frame_speaker(
            masked, start, frame_end, after_quote=False
        )
        if cue and speaker is not None:
            return _Attribution(speaker, cue, (start, frame_end), cue_end, False)
        if cue:
            loose.append(_Attribution(speaker, cue, (start, frame_end), cue_end, False))
    with_speaker = [a for a in loose if a.speaker is not None]
    if with_speaker:
        return with_speaker[0]
    if loose and loose[0].after_quote and loose[0].cue.endswith("ing"):
        # "Pence blamed the media for “…,” saying …": the sentence's subject.
        subject = _subject(masked[start : spans[0].open - 1], start)
        return replace(loose[0], speaker=subject)
    return loose[0] if loose else None


def _closes_reported_words(text: str, after: int) -> bool:
    """Whether the quote closing just before ``after`` ends the reported words, as
    a quote its attribution follows does (“…,” she said; “…?” he asked; “…” —
    she said): with punctuation inside its closing mark or right after it. A
    quote running on into the sentence (Doe said he would “bomb” the fields seized
    by …) is reported by a cue before it, not by a verb further on."""
    inside = text[max(0, after - 6) : after - 1].rstrip("’'\"”")  # “‘…,’”
    return inside[-1:] in CLOSING_PUNCTUATION or bool(
        PUNCTUATION_AFTER.match(text, after, after + 3)
    )


# Punctuation inside a closing mark that ends the reported words (“…,”), and the
# punctuation right after one that does (“…”, she said; “…” — he said).
CLOSING_PUNCTUATION = frozenset(".,;:!?…—–-")
PUNCTUATION_AFTER = re.compile(r"\s*[,;:—–(]|\s+-")


# "that" opening a second reported clause after "and"/"but" (not "and that is
# all").
THAT_CLAUSE = r"\s+that\s+(?!(?:is|was|'s|’s|will|would)\b)"


# The statement's words after a quote stop at a new clause about something else
# (", which …", ", elevating …", " — and …").
TAIL_END = re.compile(
    r",\s+(?:which|where|who|whom|whose|\w+ing|(?:but|and)(?!" + THAT_CLAUSE + r"))\b"
    r"|\s[-–—]\s"
    # … or at the writer's word on the whole statement (", a charge that …", ", a
    # swipe at …", ", a reference to …").
    r"|,\s+(?=(?:a|an)\s+\w+\s+(?:that|at|to|of)\b)"
    # … or at where the words were said ("“…” in a statement on Monday"): the
    # medium of the saying, not what was said.
    r"|,?\s+(?=(?:in|during|at)\s+(?:a|an|his|her|their|its)\s+"
    r"(?:[\w'’-]+\s+){0,3}?(?:statement|interview|tweet|post|blog|speech|letter|"
    r"op-ed|column|appearance|press\s+release|(?:press|news)\s+conference|"
    r"rally|debate|town\s+hall|video|memo|podcast|broadcast|briefing|hearing|"
    r"remarks|message|book|essay|article|editorial)s?\b)"
)


def _content(
    text: str,
    start: int,
    end: int,
    spans: list[_Span],
    attribution: _Attribution | None,
) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    """``(start, end, parts)`` of the statement: the quoted spans with their marks,
    split around an attribution between them, widened to the reported words around
    a partial quote ("that the port is “closed”")."""
    pieces = [(s.open - 1, s.close + (1 if s.closed else 0)) for s in spans]
    parts: list[tuple[int, int]] = [pieces[0]]
    for piece in pieces[1:]:
        gap = (parts[-1][1], piece[0])
        split = (
            attribution is not None
            and attribution.frame[0] <= gap[0]
            and gap[1] <= attribution.frame[1] + 1
            and attribution.after_quote
        )
        if split:
            parts.append(piece)
        else:
            parts[-1] = (parts[-1][0], piece[1])
    first = parts[0][0]
    if attribution is not None and not attribution.after_quote:
        parts[0] = (_reported_start(text, attribution, first), parts[0][1])
    if attribution is not None and attribution.frame[0] < parts[-1][1]:
        # Words after the last quote that are not its attribution belong to the
        # statement ("“…” for Clinton", "that he “supports” it, while …").
        continued = _second_that_clause(text, parts[-1][1], end, attribution)
        if continued:
            parts[-1] = (parts[-1][0], parts[-1][1] + continued)
            return parts[0][0], parts[-1][1], tuple(parts)
        close = parts[-1][1]
        aside = PAIRED_ASIDE.match(text, close, end)
        # "… “whole again” — itself a rebuttal — was an inferior slogan": an aside
        # between two dashes, after which the reported clause goes on.
        skip = aside.end() - close if aside is not None else 0
        tail = TAIL_END.split(text[close + skip : end], maxsplit=1)[0]
        if _comma_inside(text, parts[-1][1]) and (
            COMMA_TAIL.match(tail) or _new_clause(tail)
        ):
            # “…,” referring to …: the comma inside the mark ends the words as one
            # after it would.
            tail = ""
        second_verb = (
            SECOND_CUE if _reports_a_clause(text, parts[0][0], first) else SECOND_VERB
        )
        tail = second_verb.split(tail, maxsplit=1)[0]
        tail = _before_new_clause(tail)
        if _in_subordinate_clause(text, start, attribution) or RELATIVE_CUE.search(
            text, max(start, attribution.cue_end - 120), attribution.cue_end
        ):
            # "Although Doe says the port is “closed” in winter, others argue …",
            # "Doe, who boasted about “record profits,” left early": the clause
            # the cue stands in ends at its comma.
            tail = "" if _comma_inside(text, parts[-1][1]) else tail.split(",")[0]
        tail, cued = _before_tail_cue(text, close + skip, tail)
        if (
            re.search(r"\w", tail)
            and not ASIDE_OPENS.match(tail)
            and not cued
            and not _new_clause(tail)
        ):
            kept = tail.rstrip().rstrip(",;")
            if not ABBREVIATIONS.search(kept):  # "… at 7 p.m." keeps its dot
                kept = kept.rstrip(".,;")
            parts[-1] = (parts[-1][0], close + skip + len(kept))
    elif attribution is not None and attribution.after_quote:
        before = text[start:first]
        # (One word is a connective, "But “…,” she said", unless it is a
        # possessive, whose noun the quote is: "Doe’s “excesses” are …".)
        if (len(before.split()) >= 2 or POSSESSIVE_END.search(before)) and not (
            re.search(r"[:]\s*$", before)
        ):
            lead = start + len(before) - len(before.lstrip())
            reported = _cue_in(before, last=True)
            if reported is not None:
                # "Carter said the approach remained “…”, officials added": the
                # statement starts where the first cue's reported words do ("told
                # the Ledger that …" at "that").
                inner = _Attribution(
                    None,
                    reported.group("verb").lower(),
                    (start, first),
                    start + reported.end(),
                    False,
                )
                lead = _reported_start(text, inner, first)
            lead = _skip_intro(text, lead, first)
            parts[0] = (lead, parts[0][1])
        if attribution.frame[0] >= parts[-1][1]:
            parts[-1] = (parts[-1][0], _reported_end(text, parts[-1][1], attribution))
    return parts[0][0], parts[-1][1], tuple(parts)


# A possessive right before a quote ("Doe’s “…”").
POSSESSIVE_END = re.compile(r"\w[’']s\s*$")


# "… and that …" after the quote: a second clause the same cue reports ("said
# that the port is “closed” and that the union will …"); not "and that was all".
AND_THAT = re.compile(r",?\s+and\s+that\s+(?!(?:is|was|'s|’s|will|would)\b)")


# After a quote that closes on a comma (“…,”), words that end the reported words
# there as after a comma: the writer's gloss on the words or their effect
# ("referring to …", "sparking …"), a concession ("although he …"), a quantifier
# subject ("many in the audience appeared"). (Not any participle: "were
# “well-paid,” making $30,000 a year" goes on with the reported clause; nor
# "because …" or "where …": the speaker's reason or a relative clause reads on.)
COMMA_TAIL = re.compile(
    r"\s+(?:(?:apparently\s+|an?\s+)?(?:referring|referencing|alluding|sparking|"
    r"prompting|drawing|eliciting|triggering)|though|although|whereas|many|some|most"
    # … or when and on what occasion it was said ("“…,” when asked whether …",
    # "“…,” before predicting …").
    r"|when\s+(?:asked|pressed|questioned)|(?:before|after)\s+(?:\w+ly\s+)?\w+ing)\b"
)


# A cue in a relative clause after a comma (", who boasted", ", which he called").
RELATIVE_CUE = re.compile(
    r",\s+(?:who|which|whom)\s+(?:[\w'’.-]+\s+){0,4}?(?i:" + CUE_VERBS + r")\s*$"
)


# A conjunction opening a subordinate clause at the start of a sentence.
SUBORDINATE_OPENING = re.compile(
    r"\s*(?:Although|Though|While|Whereas|Even\s+(?:though|as|if)|When|Whenever|"
    r"As|Because|Since|If|Unless|After|Before|Until|Once)\s"
)


def _in_subordinate_clause(text: str, start: int, attribution: _Attribution) -> bool:
    """Whether the cue before the quote stands in a subordinate clause opening the
    sentence ("Although Doe says …", "While Lee calls …"): no comma comes
    between the conjunction and the cue, so the clause ends at the next one."""
    if attribution.after_quote:
        return False
    opening = SUBORDINATE_OPENING.match(text, start)
    return opening is not None and "," not in text[opening.end() : attribution.cue_end]


def _comma_inside(text: str, after: int) -> bool:
    """Whether the quote closing just before ``after`` ends on a comma (“…,”)."""
    return text[max(0, after - 3) : after - 1].rstrip("’'\"”").endswith(",")


def _second_that_clause(
    text: str, close: int, end: int, attribution: _Attribution
) -> int:
    """How many characters after the quote closing at ``close`` a second reported
    clause runs ("said that A “…” and that B"), 0 when none follows: a cue before
    the quote reports both that-clauses, and the verbs inside the second one ("and
    that he fears …") are its words, not a new attribution."""
    if attribution.after_quote:
        return 0
    continued = AND_THAT.match(text, close, end)
    if continued is None:
        return 0
    rest = TAIL_END.split(text[continued.end() : end], maxsplit=1)[0]
    rest = SECOND_VERB.split(rest, maxsplit=1)[0]
    kept = (text[close : continued.end()] + rest).rstrip().rstrip(",;")
    if not ABBREVIATIONS.search(kept):
        kept = kept.rstrip(".,;")
    return len(kept)


# An aside between two dashes right after a quote, the clause going on in lower
# case after it ("“…” — itself a rebuttal — was …", "“…” -- her name -- whenever").
PAIRED_ASIDE = re.compile(
    r"\s*(?P<dash>—|–|--|\s-)[^—–“”\"#\n]{1,150}?(?P=dash)\s*(?=[a-z])"
)


# A dash, a parenthesis or a bracket setting the words after a quote apart.
ASIDE_OPENS = re.compile(r"\s*[—–(\[]|\s*--")


def _reported_end(text: str, close: int, attribution: _Attribution) -> int:
    """Where the statement ends when its attribution closes the sentence: the
    words between the last quote and the attribution go on with the statement
    (The port made an “error” in its checks, Doe said), unless a dash or a
    parenthesis sets them apart."""
    speaker = attribution.speaker
    cue_start = attribution.cue_end - len(attribution.cue)
    head = speaker.position if speaker and speaker.position < cue_start else cue_start
    between = text[close:head]
    described = SPEAKER_DESCRIPTION.search(between)
    if described is not None and not _comma_inside(text, close):
        # "…, Republican candidate Ben Carson said": the words before the
        # speaker's description.
        between = between[: described.start() + 1]
    if (
        not re.search(r"\w", between)
        or not re.search(r",\s*$", between)
        # (A quote closing on its own full stop, "!" or "?" ends the words: the
        # ones after it describe the speaker, “…!” the furious chief, Doe, said.)
        or re.search(r"[.!?][’'\"”]*$", text[max(0, close - 4) : close])
        or ASIDE_OPENS.match(between)
        or MARK_CHARACTER.search(between)
        or CUE.search(between)
        or _new_clause(between)
    ):
        return close
    return close + len(between.rstrip().rstrip(","))


# The comma before a description that opens the speaker's name ("…, harbour chief
# Lee Park said"): a few words up to the name, no conjunction.
SPEAKER_DESCRIPTION = re.compile(
    r",(?=\s+(?:[\w'’.-]+\s+){1,4}$)(?![^,]*\b(?:and|or|but)\b)"
)


# A subordinate clause put before the main clause of the reported words.
FRONTED_CLAUSE = re.compile(
    r"(?:if|unless|because|although|though|whether|once|until|no\s+matter|"
    r"as\s+long\s+as|even\s+if)\b",
    re.IGNORECASE,
)
# An introductory phrase that sets the scene of an attribution set off by commas
# ("In a statement, Doe said, …", "Holding up the contract, Doe said, …", "Two days
# later, Doe said, …"), not reported words; nor is a lone connective ("But, …").
SETTING = re.compile(
    r"(?:in|on|at|during|speaking|asked|after|before|later|earlier|meanwhile|when|"
    r"while|as\s+(?:the|a|an|he|she|they|it|we|i)|less\s+than|more\s+than|"
    r"yesterday|today|tonight|separately|similarly|elsewhere|\w+ing)\b"
    r"|(?:and|but|so|yet|now|then|still|again|also|however)\s*,\s*$"
    r"|.*\b(?:ago|later|earlier|yesterday|today|tonight|morning|afternoon|evening|"
    + "|".join(calendar.day_name)
    + r")\s*,\s*$",
    re.IGNORECASE,
)
# A parenthetical attribution is a speaker and a cue, not a clause of its own
# ("Doe, who chairs the board, said," at most).
PARENTHETICAL_WORDS = 12


# A cue opening the words after a quote ("“…,” claiming that …").
LEADING_CUE = re.compile(r"[\s,]*(?:" + CUE_VERBS + r")\b", re.IGNORECASE)


def _before_tail_cue(text: str, start: int, tail: str) -> tuple[str, bool]:
    """The words after a quote up to the comma before a cue of their own ("“…”
    with Senator Lee, in a finish that he said …"): the words before that comma
    go on with the statement; a cue opening them leaves none. Also whether the
    words returned still hold a cue."""
    if not _tail_cue(text, start, start + len(tail)):
        return tail, False
    if LEADING_CUE.match(tail):
        return tail, True
    shorter = tail
    for _ in range(TAIL_CLAUSES_TRIED):
        if "," not in shorter:
            break
        shorter = shorter[: shorter.rindex(",")]
        if not _tail_cue(text, start, start + len(shorter)):
            return shorter, False
    return tail, True


# Clauses dropped from the end of the words after a quote, looking for the cue's
# comma: each try reads the words again, so a run of commas must not make it
# quadratic.
TAIL_CLAUSES_TRIED = 3


def _tail_cue(text: str, start: int, end: int) -> bool:
    """Whether the words ``start:end`` after a quote hold a cue of their own: one
    opening them ("“…,” claiming that …") or one with its speaker ("“…” she told
    the Ledger"). A gerund after a preposition ("by calling a strike") and a noun
    ("the other states") are reported words."""
    if LEADING_CUE.match(text, start, end):
        return True
    speaker, cue, cue_end = _frame_speaker(text, start, end, after_quote=True)
    if not cue or speaker is None:
        return False
    before = text[start : cue_end - len(cue)]
    if SUBORDINATE_BEFORE.match(before):
        # "“no idea” if he would have told her …", "“cool” had Clinton
        # congratulated him": a clause of the reported words, with its own verb.
        return False
    return not re.search(r"\b(?:by|for|of|about|without)\s+$", before)


# Past tenses not ending in -ed ("“…” and set …", "and cast doubt on …").
IRREGULAR_PAST = (
    r"(?:took|made|gave|went|came|got|held|kept|left|met|ran|saw|sent|spent|stood|"
    r"won|brought|bought|cast|set|put|sought|fought|thought|threw|drew|struck|"
    r"began|became|found|led|paid|sat|shook|broke|chose|rose|fell|hit|cut|let|"
    r"knew|grew|flew|wore|tore|swore|spoke|stole|woke|drove|rode|wrote|forgot)"
)


# A subordinate clause opening the words after a quote.
SUBORDINATE_BEFORE = re.compile(
    r"\s+(?:if|because|when|whenever|unless|whether|although|though|since|had|"
    r"every\s+time|once|until)\s"
)


# A second verb phrase of the subject after a quote ("“…” and said …", "“…” but
# argues …", "“…” and threatened …"): the reported words stop before it.
SECOND_VERB = re.compile(
    r"\s+(?:and|but)\s+(?:(?:also|then|later|\w+ly)\s+)?"
    r"(?=(?i:" + CUE_VERBS + r")\b|\w+ed\b|\w+ing\b|" + IRREGULAR_PAST + r"\b)"
)


def _before_new_clause(tail: str) -> str:
    """The words after a quote up to a comma that opens a clause of its own
    ("“…” in the waterway, while China’s ministry …", "“…” at the rally, many in
    the audience appeared …"): the sentence goes on about something else."""
    for comma in re.finditer(r",", tail):
        clause = NEW_CLAUSE.match(tail, comma.end())
        if (
            comma.start()
            and clause is not None
            # "…, a supporter who has …": a noun and its relative clause.
            and not re.search(r"\b(?:who|which|that|whose)\b", clause.group())
        ):
            return tail[: comma.start()]
    return tail


# Within a reported clause, only a verb of saying after "and" is the speaker's
# second act ("… “intent” and indicated …" goes on with the clause's subject).
SECOND_CUE = re.compile(
    r"\s+(?:and|but)\s+(?:(?:also|then|later|\w+ly)\s+)?"
    r"(?=(?i:" + CUE_VERBS + r")\b|\w+ing\b)"
)


def _reports_a_clause(text: str, start: int, first: int) -> bool:
    """Whether the reported words before the first quote hold a clause of their
    own (a finite verb: "that it showed “…”"), not only the cue's object ("the
    issue of “…”")."""
    return bool(FINITE_VERB.search(text, start, first))


def _new_clause(tail: str) -> bool:
    """Whether the words after a quote open a clause of their own, with its own
    subject and verb (“…,” the senator has since said nothing; “…,” he sees …):
    the sentence goes on about something else, not with the reported words."""
    return bool(NEW_CLAUSE.match(tail))


# A subject (a pronoun, a name, or a description) and a finite verb.
NEW_CLAUSE = re.compile(
    r"\s*(?:(?:he|she|they|we|I|you)\b(?:\s+\w+ly|\s+also|\s+again|\s+now)*"
    r"\s+(?!to\b)[a-z]\w*"
    r"|(?:(?:the|a|an|his|her|their|its)\s+(?:(?!(?:a|an|the)\s)[\w'’-]+\s+){1,4}?"
    r"|(?:[A-Z][\w'’.-]*\s+){1,4})"
    r"(?:\w+ly\s+|again\s+|also\s+|now\s+)*"
    r"(?:is|are|was|were|has|have|had|will|would|can|could|should|did|does|"
    r"\w+ed(?!\s+(?:to|by|in|for|on|at|with)\b))\b)"
)


# Quoted words opening with a verb: the predicate of the words before them.
PREDICATE_NEXT = re.compile(
    r"(?:is|are|was|were|has|have|had|will|would|can|could|should|may|might|must)\b"
)
# A phrase giving what the words are about ("Of the plan, Doe said, “…”").
TOPIC = re.compile(r"(?:Of|As\s+for|As\s+to|About|Regarding|On)\s")


def _sentence_of_its_own(text: str, cue_end: int, first: int, lead_in: str) -> bool:
    """Whether the quote after "…, Doe said," is a whole sentence of its own (a
    capital right after the comma and the mark), so the words before the
    attribution only set the scene ("Eyebrows raised, he asked, “…?”"), unless
    they give the words' topic ("As for the port, she said, “…”")."""
    comma = PARENTHETICAL_END.match(text, cue_end, first)
    return (
        comma is not None
        and not text[comma.end() : first].strip()
        and text[first + 1 : first + 2].isupper()
        and not TOPIC.match(lead_in.lstrip())
    )


# The comma closing a parenthetical attribution, after where or when the words
# were said ("…, she said in an interview afterward, that …").
PARENTHETICAL_END = re.compile(
    r"(?:\s+(?:in|on|at|during|after|before|via|afterward|later|earlier)\b"
    r"[^,“”\"#]{0,60})?\s*,"
)


def _reported_start(text: str, attribution: _Attribution, first: int) -> int:
    """Where the reported words begin when the cue comes before the quote: at
    "that", after an addressee ("told reporters the …"), at the quote after a colon
    or a comma, or the sentence's start around a parenthetical attribution
    ("Donations are vetted, Strother said, but “…”")."""
    cue_end = attribution.cue_end
    speaker = attribution.speaker
    if speaker is not None and PARENTHETICAL_END.match(text, cue_end, first):
        lead_in = text[attribution.frame[0] : speaker.position]
        if (
            re.search(r",\s*$", lead_in)
            and re.search(r"\w", lead_in)
            and (
                not SETTING.match(lead_in.lstrip())
                # "Evaluating the polls, Doe said, “is like …”": the lead-in is
                # the subject of the quote's verb.
                or PREDICATE_NEXT.match(text, first + 1)
            )
            and len(text[speaker.position : cue_end].split()) <= PARENTHETICAL_WORDS
            and not re.search(r"\band\b", text[speaker.position : cue_end])
            and not _sentence_of_its_own(text, cue_end, first, lead_in)
        ):
            lead = attribution.frame[0] + len(lead_in) - len(lead_in.lstrip())
            return _skip_intro(text, lead, first)
    between = text[cue_end:first]
    if (
        re.search(r":\s*$", between)
        and not re.match(r"\s*that\s", between)
        and not PRONOUN_CLAUSE.match(between.lstrip())
    ):
        # (But "said that the city has two choices: “…”" reports the words
        # before the colon too.)
        return first
    cue_start = cue_end - len(attribution.cue)
    relative = RELATIVE_OBJECT.search(text, attribution.frame[0], cue_start)
    if relative is not None and not re.search(r",\s*$", between):
        # "the plan, which he called “a disgrace”", "what she described as “…”":
        # the relative pronoun is the cue's object, what the words are said of,
        # as "the plan" is in "called the plan “a disgrace”".
        return relative.start("pronoun")
    if OBJECT_PRONOUN.fullmatch(between) and not NAMING_CUE.match(attribution.cue):
        # "told him “…”": the addressee, not what was said; but "called it “a
        # disgrace”" says the words of "it", which belongs to them as "the plan"
        # does in "called the plan “a disgrace”".
        return first
    if attribution.cue == "according to" and "," in between:
        # "According to Jane Doe, the port was “…”": the source, then the words.
        rest = between.split(",", 1)[1]
        return first - len(rest.lstrip())
    that = re.search(r"\bthat\b", between)
    if (
        that
        and not NAMING_CUE.match(attribution.cue)
        and not CLAUSE.search(between, 0, that.start())
        and not _verb_of_saying(between[: that.start()])
        and not (
            NOUN_OBJECT.match(between)
            and not attribution.cue.lower().startswith(TELLING)
        )
    ):
        # (A naming verb takes an object, not a clause: in "called the strike
        # that closed the port “a disgrace”", "that" opens a relative clause; so
        # does a "that" after a clause of the reported words' own, "said the union
        # is the only one that “…”", one a report inside the reported words
        # opens, "said the city assured them that “…”", and one completing the
        # cue's object, "challenged the claim that “…”".)
        return cue_end + that.start()
    if not re.search(r"\w", between):
        return first
    if re.search(r",\s*$", between):
        # "said that if the strike goes on, “…”": a condition fronted before the
        # quote is reported too; "told the crowd, “…”" or "said in a statement,
        # “…”" only says to whom and where.
        lead_text = between.lstrip(" ,")
        if FRONTED_CLAUSE.match(lead_text) and lead_text.count(",") == 1:
            return first - len(lead_text)
        if PRONOUN_CLAUSE.match(lead_text) or (
            NOUN_OBJECT.match(lead_text) and CLAUSE.search(lead_text)
        ):
            # "said he rarely asks for help, “except …”", "said the port is
            # closed for now, “but …”": a clause of the reported words' own
            # before the comma.
            return first - len(lead_text)
        return first
    lead_text = between.lstrip(" ,")
    addressee = (
        ADDRESSEE.match(lead_text)
        if attribution.cue.startswith(("told", "tell"))
        else None
    )
    if addressee is not None and not CLAUSE.search(addressee.group()):
        # (Words with a verb of their own are already reported words: "told Lee
        # the plan is dead and it will …".)
        lead_text = lead_text[addressee.end() :]
    elif attribution.cue.startswith(("told", "tell", "ask")):
        lead_text = re.sub(
            r"^(?:to\s+)?(?:reporters|journalists|(?:the\s+)?(?:[A-Z][\w'’.-]*\s+)+"
            r"|the\s+\w+\s+)",
            "",
            lead_text,
        )
    infinitive = INFINITIVE_CUE.match(lead_text)
    if infinitive is not None:
        # (Reported as the object of "called" is: "called the plan “…”".)
        return first - len(lead_text) + infinitive.end()
    preposition = VERB_PREPOSITION.match(lead_text)
    if preposition is not None and (
        preposition.group(1) != "on" or attribution.cue.startswith("call")
    ):
        # "boasted about a plan to …", "warned of a “…”", "called on the council
        # to …": the preposition belongs to the verb; its object is what was said.
        return first - len(lead_text) + preposition.end()
    if ADJUNCT_START.match(lead_text) and not (
        attribution.cue.startswith(("call", "went", "go"))
        and re.match(r"(?:on|upon|for)\b", lead_text)
    ):
        # "said in a radio interview on Monday “…”", "wrote in the Ledger, the …",
        # "vowed at a rally to end “…”": where and when it was said, not what ("called
        # on" is a verb of its own).
        time = TIME_PHRASE.match(lead_text)
        subject = re.search(r"\b(?:he|she|they|it|we|I|there)\b", lead_text)
        infinitive = re.search(r"\bto\s+[a-z]", lead_text)
        comma = list(re.finditer(r",\s+", lead_text))
        if (
            time is not None
            and not ADJUNCT_START.match(lead_text, time.end())
            and re.search(r"\w", lead_text[time.end() :])
        ):
            # "said Thursday his worry is that he …": only when it was said.
            lead_text = lead_text[time.end() :]
        elif subject:
            lead_text = lead_text[subject.start() :]
        elif infinitive:
            lead_text = lead_text[infinitive.start() :]
        elif comma:
            lead_text = lead_text[comma[-1].end() :]
        elif not FINITE_VERB.search(lead_text):
            return first
        else:
            lead_text = TIME_PHRASE.sub("", lead_text)
    return first - len(lead_text.lstrip())


# A noun with its determiner after the cue: the object a that-clause completes
# ("challenged the assertion that …", "stressed the threat that …"), or the subject
# of the reported words ("said the areas that were hacked suggested …"); not a
# time ("said the next morning that …").
NOUN_OBJECT = re.compile(
    r"\s*(?:the|a|an|his|her|their|its)\s+"
    r"(?!(?:\w+\s+)?(?:night|morning|afternoon|evening|day|week|month|year)\b)"
)
# Verbs whose object is the addressee ("told the crowd that …", "emailed his
# aides that …"): the reported words start at "that".
TELLING = ("told", "tell", "assur", "remind", "inform", "warn", "email", "text")


def _verb_of_saying(words: str) -> bool:
    """Whether ``words`` hold a cue used as a verb (not a noun: "the attacks")."""
    return any(
        not NOUN_BEFORE.search(words[max(0, cue.start() - 40) : cue.start()])
        for cue in CUE.finditer(words)
    )


# A naming verb in the infinitive after the cue ("went on to call Lee “…”",
# "continued to portray the crews as “…”"): its object is what was named, as after
# "called".
INFINITIVE_CUE = re.compile(
    r"to\s+(?:call|describe|portray|label|brand|dub|characteri[sz]e|refer\s+to)\s+"
)


# A preposition that a verb of saying takes for its object ("boasted about",
# "warned of", "called for", "called on", "warned against").
VERB_PREPOSITION = re.compile(r"(about|of|for|against|upon|on)\s+")


# A subject pronoun and a verb opening the words after a cue.
PRONOUN_CLAUSE = re.compile(r"(?:he|she|they|we|I)\s+(?:\w+ly\s+)?[a-z]\w+\s")


# Whom a verb of telling addresses, up to the subject of the reported words
# ("told a news conference they are …", "told the crowd in Kessel she will …").
ADDRESSEE = re.compile(
    r"(?:to\s+)?(?:(?:a|an|the|his|her|their|its)\s+)?(?:[\w'’.-]+\s+){0,8}?"
    r"(?=(?:he|she|they|we|I|it|there)\s)"
    # "told host Jane Doe the …": a role and a name.
    r"|[a-z]+\s+(?:[A-Z][\w'’.-]*\s+)+(?=(?:the|a|an)\s)"
)
# Words that open a phrase of time, place or medium after a cue.
ADJUNCT_START = re.compile(
    r"(?:in|on|at|during|via|over|from|outside|inside|while|last|this|earlier|"
    r"later|yesterday|today|tonight|" + "|".join(calendar.day_name) + r")\b"
)
# "on Tuesday", "last week", "this morning" before the reported words.
TIME_PHRASE = re.compile(
    r"^(?:(?:on|last|this|early|late)\s+)?(?:"
    + "|".join(calendar.day_name)
    + r"|night|morning|afternoon|evening|week|month|year|yesterday|today|tonight)"
    r"(?:\s+(?:night|morning|afternoon|evening))?\s+"
)
# A subject pronoun or a finite verb: the words after a cue already make a clause.
CLAUSE = re.compile(
    r"\b(?:he|she|they|we|I|it|is|are|was|were|has|have|had|will|would|can|could|"
    r"should|may|might|must|did|does|do|\w+n't)\b"
)
# A finite verb: reported words, not an adjunct.
FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|can|could|should|may|might|"
    r"must|did|does|do|\w+ed|\w+n't)\b"
)


# A pronoun after a cue: its addressee ("told him") or what it names ("called it").
OBJECT_PRONOUN = re.compile(r"\s*(?:it|them|him|her|this)(?:\s+as)?\s*")
# A relative pronoun that is the object of the cue, then the cue's subject ("which
# he called", "for what aide Sam Lee described"); "which" and "whom" not after a
# preposition ("in which he says …": there the reported words follow the cue).
RELATIVE_OBJECT = re.compile(
    r"(?<![\w’'])(?P<pronoun>what|(?<!\bin\s)(?<!\bof\s)(?<!\bby\s)(?<!\bto\s)"
    r"(?<!\bfor\s)(?<!\bwith\s)(?<!\babout\s)(?:which|whom))\s+"
    r"(?=(?:he|she|they|it|we|I|you|the|an?|his|her|its|their|one|some|many)\s"
    r"|(?:[a-z]+\s+){0,3}[A-Z])(?:(?!\b(?:what|which|whom|who)\b)[^,;:“”\"])*$"
)


def _skip_intro(text: str, start: int, end: int) -> int:
    """Skip a leading conjunction of the reported words ("And …", "But …") and a
    dateline ("KESSEL, Sweden — …")."""
    dateline = DATELINE.match(text, start, end)
    if dateline:
        start = dateline.end()
    match = re.match(r"(?:And|But|So|Yet)\s+", text[start:end])
    return start + match.end() if match else start


# How long a sentence before a coordinated statement is read again for its
# subject; far longer than a real sentence.
COORDINATED_REACH = 1000


def _sentence_quotes(
    text: str,
    masked: str,
    start: int,
    end: int,
    spans: list[_Span],
    paragraph: int,
    context: _Context,
) -> tuple[list[Quote], list[_Span]]:
    """The quotes of one sentence, and the spans left without a cue (their speaker
    may come from a neighbouring sentence). A sentence holds two statements when an
    attribution after a quote goes on into reported words before the next quote
    (“…,” he said, adding that the plan was “dead”)."""
    sourced = _sourced_sentence(text, masked, (start, end), spans, paragraph, context)
    if sourced is not None:
        return [sourced], []
    groups: list[tuple[int, int, list[_Span]]] = []
    group_start, current = start, [spans[0]]
    for left, right in pairwise(spans):
        gap_start, gap_end = left.close + 1, right.open - 1
        if left.closed and _splits(masked, gap_start, gap_end):
            groups.append((group_start, gap_end, current))
            group_start, current = gap_start, []
        elif (
            left.closed
            and (coordinated := _coordinated_cue(masked, gap_start, gap_end)) >= 0
        ):
            # The second statement's frame is the whole sentence before its quote:
            # its subject is the sentence's ("Doe said … and insisted …"); in a
            # long sentence, only its own words (the subject is then the last
            # statement's), so that a chain of statements stays linear.
            groups.append((group_start, coordinated, current))
            near = coordinated - start <= COORDINATED_REACH
            group_start, current = (start if near else gap_start), []
        current.append(right)
    groups.append((group_start, end, current))
    quotes: list[Quote] = []
    left_over: list[_Span] = []
    for group_start, group_end, group in groups:
        quote, rest = _group_quote(
            text, masked, (group_start, group_end), group, paragraph, context
        )
        if quote is not None:
            if not quote.speaker and quotes and quotes[-1].speaker:
                # "Doe said … “…” and insisted that … “…”": a second verb of the
                # same subject.
                quote = replace(
                    quote,
                    speaker=quotes[-1].speaker,
                    role=quotes[-1].role,
                    speaker_kind=quotes[-1].speaker_kind,
                )
            quotes.append(quote)
        left_over.extend(rest)
    chanted = _chanted(text, start, spans, quotes)
    if chanted:
        quotes.extend(
            _one_piece(text, bounds, ("", "", ""), "chant", paragraph)
            for bounds in chanted
        )
        left_over = [
            s for s in left_over if not any(a < s.open < b for a, b in chanted)
        ]
    return quotes, left_over


# Words that give what a crowd called out ("chanting", "chants of", "shouts of"):
# the quote after them is speech, however short, capitalised or unattributed.
CHANT_BEFORE = re.compile(
    r"(?<![\w-])(?:(?:chant(?:s|ed|ing)?|shout(?:s|ed|ing)?|cries|chorus|"
    r"yell(?:s|ed|ing))(?:\s+of)?|(?:calls|cheers|screams)\s+of)\s*[,:]?\s*$",
    re.IGNORECASE,
)
# Between two chants of one crowd ("chanting “…” and “…”").
CHANT_JOIN = re.compile(r"\s*(?:,\s*)?(?:and|or)?\s*")
CHANT_REACH = 20


def _chanted(
    text: str, start: int, spans: list[_Span], quotes: list[Quote]
) -> list[tuple[int, int]]:
    """The chants of a sentence no statement took in: quoted words right after
    "chanting", "chants of", "shouted" (with the next quote joined to them by
    "and"), as ``(start, end)`` with their marks. The other rules leave them out as
    too short to be said or as slogans; a crowd chanting them said them."""
    taken = [part for quote in quotes for part in quote.parts]
    chants: list[tuple[int, int]] = []
    for span in spans:
        a, b = span.open - 1, span.close + (1 if span.closed else 0)
        if any(x <= a < y for x, y in taken):
            continue
        if chants and CHANT_JOIN.fullmatch(text, chants[-1][1], a):
            chants[-1] = (chants[-1][0], b)
        elif CHANT_BEFORE.search(text, max(start, a - CHANT_REACH), a):
            chants.append((a, b))
    return chants


# ", according to the Ledger." closing a sentence after its last quote: the source
# of everything the sentence reports.
CLOSING_SOURCE = re.compile(
    r"(?:,|(?<=,[”\"’]))\s+according\s+to\s+(?P<source>[^,;:“”\"#]{2,100}?)\s*[.!?]?[”\"’)]*\s*$",
    re.IGNORECASE,
)


def _sourced_sentence(
    text: str,
    masked: str,
    bounds: tuple[int, int],
    spans: list[_Span],
    paragraph: int,
    context: _Context,
) -> Quote | None:
    """The statement of a sentence that closes with its source ("“…,” Doe said,
    according to the Ledger." / "Doe said the port was “closed,” according to
    …"): the whole sentence before ", according to", its quotes and any
    attribution of their own, is what the source reports. Its speaker is the one
    that attribution names (the person who said the words, though PolNeAR's gold
    names the outer source); the source only when there is none."""
    start, end = bounds
    last = spans[-1]
    if not last.closed:
        return None
    # (Read in ``text``: no quote follows the last, and a comma may close it.)
    found = CLOSING_SOURCE.search(text, last.close + 1, end)
    if found is None:
        return None
    kept = [s for s in spans if not _rejected(text, s, bounds, "according to")]
    if sum(len(text[s.open : s.close].split()) for s in kept) < 2:
        return None
    cue = "according to"
    # The person who said the words speaks, not the outlet that reported them: an
    # attribution of the sentence's own ("“…,” Doe said, according to …") wins.
    inner = _attribution(text, masked, start, found.start(), kept)
    speaker: _Speaker
    if inner is not None and inner.speaker is not None:
        speaker, cue = inner.speaker, inner.cue
    else:
        at = found.start("source")
        named = _speaker_in(masked[at : found.end("source")], at, before_cue=False)
        speaker = named or _Speaker(description=found.group("source"), position=at)
    lead = start + len(text[start:end]) - len(text[start:end].lstrip())
    lead = _skip_intro(text, lead, found.start())
    who = _resolve(speaker, context, paragraph)
    return _one_piece(text, (lead, found.start()), who, cue, paragraph)


def _one_piece(
    text: str,
    bounds: tuple[int, int],
    who: tuple[str, str, str],
    cue: str,
    paragraph: int,
) -> Quote:
    """A quote of one piece, ``text[start:end]``, by ``who`` (name, role, kind as
    ``_resolve`` gives them)."""
    start, end = bounds
    name, role, kind = who
    return Quote(
        text=text[start:end],
        start=start,
        end=end,
        speaker=name,
        role=role,
        cue=cue,
        paragraph=paragraph,
        parts=((start, end),),
        speaker_kind=kind,
    )


# "and insisted", "and later told", "but also said": a conjunction opening a second
# speech act of the sentence.
COORDINATED = re.compile(
    r"\b(?:and|but)\s+(?:(?:also|then|later|again|\w+ly)\s+)?"
    # The subject may be followed by an adverb or an aside ("and he also noted",
    # "and he, once again, pledged").
    r"(?:(?:" + NAME.pattern + r"|he|she|they|it)"
    r"(?:\s+(?:also|then|later|again|\w+ly)|\s*,[^,“”\"]{1,30},)?\s+)?"
    r"(?=(?i:" + CUE_VERBS + r")\b)"
)


def _coordinated_cue(masked: str, gap_start: int, gap_end: int) -> int:
    """Where a second statement begins between two quotes of one sentence: at a
    conjunction and a new cue ("… “try” and insisted that his party was …"), the
    second verb reporting a second statement; -1 when there is none."""
    found = -1
    for match in COORDINATED.finditer(masked, gap_start, gap_end):
        cue = _cue_in(masked[match.end() : gap_end], last=False)
        if cue is not None and cue.start() == 0:
            found = match.start()
    if found >= 0:
        return found
    participles = [PARTICIPLE_NEXT.match(masked, gap_start, gap_end)]
    participles += PARTICIPLE_CLAUSE.finditer(masked, gap_start, gap_end)
    for participle in participles:
        # "“…,” adding that …", "“…” to even hear of it, arguing that …": a
        # participle of saying, right after a quote or opening a clause of its
        # own, reports a second statement.
        if participle is None:
            continue
        cue = _cue_in(masked[participle.end() : gap_end], last=False)
        if cue is not None and cue.start() == 0:
            found = participle.end()
    return found


# A participle right after a quote ("… “win,” adding that …"), or after a comma
# further on ("… “outraged” by it, arguing that …").
PARTICIPLE_NEXT = re.compile(r"[\s,]*(?=[a-z]+ing\b)")
PARTICIPLE_CLAUSE = re.compile(r",\s+(?=[a-z]+ing\b)")


def _splits(masked: str, gap_start: int, gap_end: int) -> bool:
    """Whether the words between two quotes attribute the first and then report
    more words of the second statement ("he said, adding that the plan was")."""
    speaker, cue, cue_end = _frame_speaker(masked, gap_start, gap_end, after_quote=True)
    if not cue or speaker is None:
        return False
    second = CUE.search(masked, cue_end, gap_end)
    if second is not None and not WH_NEXT.match(masked, second.end(), gap_end):
        return True  # "she said, adding, “…”": a second statement
    # “…,” he said two days later, “…”: words set off by a comma before the next
    # quote say when or who, and the quote goes on after them; but a conjunction
    # opens a clause of its own (“…,” she said, but despite it all, “…”).
    rest = masked[cue_end:gap_end]
    return (
        len(masked[gap_start:cue_end].split()) <= 9
        and len(rest.split()) > 4
        and (not rest.rstrip().endswith(",") or bool(CONJUNCTION_NEXT.match(rest)))
    )


# A question word after a second cue ("…,” she wrote, explaining why she came,
# “…”): the verb says what the writing was about, it reports no words.
WH_NEXT = re.compile(r"\s+(?:why|how|whether|what|where|when)\b")


# A conjunction opening a clause after an attribution ("she said, but …").
CONJUNCTION_NEXT = re.compile(r"\s*,?\s*(?:but|and|yet|so|while|although|though)\b")


# A subject and its verb ("Trump also embraced"): where the reported words start
# when no cue names the speech.
SUBJECT_VERB = re.compile(
    r"(?:" + NAME.pattern + r"|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)(?:\s*,[^,]{1,80},)?"
    r"(?:\s+(?:\w+ly|also|then|again|later|once|has|have|had|was|is|will|would))*"
    r"\s+\w+"
)


# After a subject, the possessive's noun (when the subject read ends with the
# owner) and a copula: "[the mayor]’s answer was", "[Lee Park’s answer] was".
OWNED_NOUN = re.compile(r"(?:['’]s?\s+[a-z]+)?\s+(?:was|is|has\s+been|had\s+been)\b")


# A colon after a word, and a quoted sentence (a capital after the mark) after it.
COLON_BEFORE_SENTENCE = re.compile(r"(?<=\w):\s*#")


# A description a place names ("The Florida senator", "Iowa political hands"): as
# good a subject as the place's name was.
NAMED_DESCRIPTION = re.compile(
    r"(?:(?:The|A|An)\s+)?(?:" + "|".join(sorted(PLACE_NAMES)) + r")\s"
)


def _subject_attribution(
    text: str, masked: str, start: int, spans: list[_Span]
) -> _Attribution | None:
    """No cue: the sentence's named subject, when it has one ("Trump also embraced
    enhanced interrogation — “…”"). Short quotes without a cue were already left
    out as scare quotes."""
    first = spans[0].open - 1
    speaker = _subject(masked[start:first], start)
    if COLON_BEFORE_SENTENCE.search(masked, max(start, first - 3), first + 1) and (
        masked[spans[0].open : spans[0].open + 1] == "#"
        and text[spans[0].open : spans[0].open + 1].isupper()
    ):
        # "Doe could only quip: “…”", "A footnote makes it clear: “…”": a colon
        # introduces the quoted sentence, whoever the subject is.
        return _Attribution(speaker, ":", (start, first), first, False)
    if speaker is None or not (
        speaker.name or speaker.pronoun or NAMED_DESCRIPTION.match(speaker.description)
    ):
        return None
    verb = SUBJECT_VERB.match(masked, speaker.position)
    cue_end = verb.end() if verb else speaker.position
    owned = OWNED_NOUN.match(masked, cue_end) if verb else None
    if owned:
        # "The Kessel mayor’s answer was that …": the owner speaks; the quote's
        # words start after the noun and its verb.
        cue_end = owned.end()
    return _Attribution(speaker, "", (start, first), cue_end, False)


def _group_quote(
    text: str,
    masked: str,
    bounds: tuple[int, int],
    spans: list[_Span],
    paragraph: int,
    context: _Context,
) -> tuple[Quote | None, list[_Span]]:
    """One statement: the quote made of ``spans`` (within ``bounds`` of a sentence)
    with its attribution, or None and the spans when no cue is found."""
    start, end = bounds
    attribution = _attribution(text, masked, start, end, spans)
    kept = [
        s
        for s in spans
        if not _rejected(
            text, s, (start, end), attribution.cue if attribution is not None else ""
        )
    ]
    if not kept:
        return None, []
    if attribution is None:
        attribution = _subject_attribution(text, masked, start, kept)
    if attribution is None:
        return None, kept
    if len(kept) != len(spans):
        attribution = _attribution(text, masked, start, end, kept) or attribution
    if not attribution.after_quote:
        # Quoted words before the cue are not what it reports ("chants of “…”,
        # the senator said his campaign was “…”").
        kept = [s for s in kept if s.open - 1 >= attribution.cue_end] or kept
    name, role, kind = ("", "", "")
    if attribution.speaker is not None:
        name, role, kind = _resolve(attribution.speaker, context, paragraph)
    content_start, content_end, parts = _content(text, start, end, kept, attribution)
    quote = Quote(
        text=" ".join(text[a:b] for a, b in parts),
        start=content_start,
        end=content_end,
        speaker=name,
        role=role,
        cue=attribution.cue,
        paragraph=paragraph,
        parts=parts,
        speaker_kind=kind,
    )
    return quote, []


@dataclass(frozen=True)
class _Who:
    """A resolved speaker, for quotes whose attribution is elsewhere."""

    speaker: str
    role: str
    speaker_kind: str
    cue: str = ""


def _introduction(
    text: str, masked: str, bounds: tuple[int, int], context: _Context
) -> _Who | None:
    """The speaker a paragraph ending with a colon introduces ("Cruz called them on
    it:", "The ministry said in a statement:"), for the quote that follows."""
    p_start, p_end = bounds
    if not text[p_start:p_end].rstrip().endswith(":"):
        return None
    sentences = _sentences(text, p_start, p_end, [])
    s_start = sentences[-1][0] if sentences else p_start
    speaker, cue, _ = _frame_speaker(masked, s_start, p_end, after_quote=False)
    if speaker is None or not cue:
        # "Donald Trump issued the following statement:": the sentence's subject.
        speaker, cue = _subject(masked[s_start:p_end], s_start), ":"
        if speaker is None or not (speaker.name or speaker.pronoun):
            return None
    name, role, kind = _resolve(speaker, context, -1)
    return _Who(name, role, kind, cue) if name else None


def _unattributed(
    text: str, spans: list[_Span], paragraph: int, speaker: Quote | _Who
) -> list[Quote]:
    """Quotes without a cue of their own that continue a speaker's words (the next
    paragraph of a quote, “…” followed by “…,” she said), or that a paragraph
    ending with a colon introduced."""
    quotes = []
    for span in spans:
        a, b = span.open - 1, span.close + (1 if span.closed else 0)
        quotes.append(
            Quote(
                text=text[a:b],
                start=a,
                end=b,
                speaker=speaker.speaker,
                role=speaker.role,
                cue=speaker.cue if isinstance(speaker, _Who) else "",
                paragraph=paragraph,
                parts=((a, b),),
                speaker_kind=speaker.speaker_kind,
            )
        )
    return quotes


def _with_parts(text: str, quote: Quote, spans: list[_Span]) -> Quote:
    """``quote`` with more of the same speaker's quoted sentences of its paragraph
    (“…,” she said. “…”): one statement in several pieces."""
    parts = sorted(
        list(quote.parts)
        + [(s.open - 1, s.close + (1 if s.closed else 0)) for s in spans]
    )
    return replace(
        quote,
        text=" ".join(text[a:b] for a, b in parts),
        start=parts[0][0],
        end=parts[-1][1],
        parts=tuple(parts),
    )


# A connective opening a sentence that goes on with the last speaker's words
# ("“…,” Doe said. Instead, “…”").
CONNECTIVE_ONLY = re.compile(
    r"^\s*(?:Instead|Then|Still|Also|Indeed|However|Again|Later|Now|Yet|But|And|So)"
    r"\s*,?\s*$"
)


def _whole_sentence(text: str, start: int, end: int, spans: list[_Span]) -> bool:
    """Whether the sentence is its quotes (no reporting words), or opens with
    one (“…” and other pocketbook issues)."""
    if not CONNECTIVE_ONLY.sub("", text[start : spans[0].open - 1]).strip():
        return True
    rest = text[start:end]
    for span in spans:
        rest = rest.replace(text[span.open - 1 : span.close + 1], " ")
    return not re.search(r"\w", rest)


# A headline is one short line in title case without a sentence break inside.
HEADLINE_WORDS = 30
# ... and of at most this many characters (its words are a headline's length).
HEADLINE_CHARS = 300
# "Doe: Port ‘Will Close’", "Doe Says Port ‘Will Close’", "Port ‘Will Close,’ Doe
# Says": the attribution conventions of headlines, which drop "said" and "that".
HEADLINE_NAME = r"(?P<name>(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)"
# Words between a headline's speaker and its verb ("Doe Is Now Calling …").
HEADLINE_VERB_WORDS = re.compile(
    r"(?:\s+(?:Is|Are|Was|Were|Has|Have|Had|Will|Just|Now|Again|Also|Still))+$"
)
# Another speaker's turn inside a transcript's paragraph (“… ” Lee: “…”).
NEXT_TURN = re.compile(r"(?<=[.!?”\"’])\s+" + HEADLINE_NAME + r":\s")
HEADLINE_COLON = re.compile(HEADLINE_NAME + r":\s+(?P<content>.+?)\.?$", re.DOTALL)
HEADLINE_CUE = re.compile(
    HEADLINE_NAME + r"\s+(?P<cue>(?i:" + CUE_VERBS + r"))\s+(?P<content>.+?)\.?$"
)
# ("…, Doe Tells Convention": the verb's object may close the headline.)
HEADLINE_CUE_AFTER = re.compile(
    r"(?P<content>.+?,[’”\"]?)\s+"
    + HEADLINE_NAME
    + r"\s+(?P<cue>(?i:"
    + CUE_VERBS
    + r"))(?:\s+[A-Z][\w'’.-]*){0,3}\.?$"
)


# The number of a list's item on a line of its own above the item's headline.
LIST_NUMBER = re.compile(r"\d{1,3}[ \t]*\n[ \t]*")


# A name with an article before a headline's colon labels a column or a series.
LABEL = re.compile(r"(?:The|A|An)\s")


def _headline_quote(
    text: str, bounds: tuple[int, int], paragraph: int, context: _Context
) -> Quote | None:
    """The quote of a headline that attributes it the way headlines do ("Doe:
    …", "Doe Says …", "…, Doe Says"), or of a transcript's paragraph ("Doe: …"):
    its words after the attribution, spoken by the name. Title case says nothing
    there about titles of works, so the quoted words are not tested for one; a
    headline naming no one is left to the rules for sentences (a quoted headline
    is not a quote)."""
    p_start, p_end = bounds
    number = LIST_NUMBER.match(text, p_start, p_end)
    if number is not None:
        # "4\nDoe Asked …": an item of a numbered list, under its number.
        p_start = number.end()
    line = text[p_start:p_end]
    headline = (
        len(line) <= HEADLINE_CHARS
        and len(line.split()) <= HEADLINE_WORDS
        and "\n" not in line
        and not _ends_a_sentence_inside(line.rstrip("."))
        and _title_case(_unquoted(line))
    )
    # "Doe: …" also opens the paragraphs of a transcript, headline or not.
    patterns = (
        (HEADLINE_COLON, HEADLINE_CUE, HEADLINE_CUE_AFTER, HEADLINE_VERB)
        if headline
        else (HEADLINE_COLON,)
    )
    for pattern in patterns:
        match = (
            _headline_verb(text, line, bounds)
            if pattern is HEADLINE_VERB
            else pattern.match(line)
        )
        if match is None or not MARK_CHARACTER.search(match.group("content")):
            continue
        if pattern is HEADLINE_COLON and LABEL.match(match.group("name")):
            # "The Latest: …": a column's label, not a speaker.
            continue
        name, title, gender = _clean_name(
            HEADLINE_VERB_WORDS.sub("", match.group("name"))
        )
        if not name or not _named_elsewhere(text, name.split()[-1], bounds):
            continue
        speaker = _Speaker(
            name=name, title=title, gender=gender, position=p_start + match.start()
        )
        who = _resolve(speaker, context, paragraph)
        start = p_start + match.start("content")
        end = p_start + match.end("content")
        turn = NEXT_TURN.search(text, start, end)
        if turn is not None:
            # "Doe: “…” Lee: “…”": the next speaker's turn ends this one.
            end = turn.start()
        if pattern is HEADLINE_CUE or pattern is HEADLINE_VERB:
            start, end = _headline_content(text, start, end)
        if pattern is HEADLINE_VERB and (colon := COLON_QUOTE.search(text, start, end)):
            # "Doe Addresses The Strike: ‘…’": the words after the colon.
            start = colon.end()
        cue = match.group("cue").lower() if "cue" in match.groupdict() else ":"
        return _one_piece(text, (start, end), who, cue, paragraph)
    return None


# A headline's verb in title case, of any meaning ("Doe Endorses Lee: Port ‘Will
# Close’", "Doe Takes Talk Of A Strike ‘Very Seriously’"): a capitalised word
# ending in -s (not -ss) or -ed after the speaker's name.
HEADLINE_VERB = re.compile(
    r"(?P<name>(?:[A-Z][\w'’.-]*\s+){%d}[A-Z][\w'’.-]*)\s+"
    r"(?P<cue>[A-Z][a-z]*(?:[^\Ws]s|ed))\s+(?P<content>.+?)\.?$"
)
COLON_QUOTE = re.compile(r":\s+(?=[‘“\"])")
HEADLINE_VERBS = [re.compile(HEADLINE_VERB.pattern % n) for n in range(3, -1, -1)]


def _headline_verb(
    text: str, line: str, bounds: tuple[int, int]
) -> re.Match[str] | None:
    """A headline's speaker and verb when the verb is not a cue, the longest name
    the article uses elsewhere ("Jane Doe Wins …" rather than "Jane" and
    "Doe"). A quote that is the verb's whole object is a name, not words said
    ("Kessel Ferries Renames ‘Blue Star’"), unless a colon introduces it."""
    for pattern in HEADLINE_VERBS:
        match = pattern.match(line)
        name = HEADLINE_VERB_WORDS.sub("", match.group("name")) if match else ""
        if name and _named_elsewhere(text, name.split()[-1], bounds):
            assert match is not None
            content = match.group("content")
            if ":" not in content and not re.search(r"\w", _unquoted(content)):
                return None
            return match
    return None


def _next_turns(
    text: str, turn: Quote, p_end: int, paragraph: int, context: _Context
) -> list[Quote]:
    """The turns after the first of a transcript's paragraph ("Doe: “…” Lee:
    “…”"), each its speaker's: at most ``TURNS`` of them, each read up to the
    next (a paragraph of thousands of turns stays linear)."""
    turns: list[Quote] = []
    found = NEXT_TURN.match(text, turn.end, p_end)
    while found is not None and len(turns) < TURNS:
        after = NEXT_TURN.search(text, found.end(), p_end)
        end = after.start() if after is not None else p_end
        following = _headline_quote(
            text, (found.start("name"), end), paragraph, context
        )
        if following is None or following.end <= turn.end:
            break
        turns.append(following)
        turn = following
        found = NEXT_TURN.match(text, turn.end, p_end)
    return turns


# How many speakers' turns after the first one paragraph is read for.
TURNS = 20


# A second verb of a headline's speaker before its quote ("Doe Says Port Will
# Close, Calls Plan ‘A Disgrace’") and a dash closing the headline's words.
HEADLINE_SECOND_CUE = re.compile(r",\s+(?i:" + CUE_VERBS + r")\s+")
HEADLINE_DASH = re.compile(r"\s[–—-]\s")


def _headline_content(text: str, start: int, end: int) -> tuple[int, int]:
    """The words a headline's cue reports: from its second verb when one comes
    before the quote, up to a dash that adds a remark of the headline's own
    ("… – It May Surprise You")."""
    mark = MARK_CHARACTER.search(text, start, end)
    quoted_from = mark.start() if mark is not None else end
    seconds = list(HEADLINE_SECOND_CUE.finditer(text, start, quoted_from))
    if seconds:
        start = seconds[-1].end()
    dash = HEADLINE_DASH.search(text, quoted_from, end)
    if dash is not None:
        end = dash.start()
    return start, end


def _ends_a_sentence_inside(line: str) -> bool:
    """Whether a sentence ends inside ``line``; initials and abbreviations
    ("George W. Bush", "Gov. Lee") end none."""
    return any(
        line[found.start()] != "." or not _abbreviation_at(line, 0, found.start() + 1)
        for found in SENTENCE_END.finditer(line)
    )


def _unquoted(line: str) -> str:
    """``line`` without its quoted words (‘…’ and “…”)."""
    return re.sub(r"[“‘\"][^”’\"]*[”’\"]", " ", line)


def _named_elsewhere(text: str, word: str, bounds: tuple[int, int]) -> bool:
    """Whether the article names ``word`` outside the headline, in the middle of
    a sentence: a speaker ("Holm: …", "Jane Doe Says …") must be a name the
    article uses, not a section or a phrase ("Review: …", "Port Strike Ends:")."""
    pattern = re.compile(r"(?<=[a-z,] )" + re.escape(word) + r"\b")
    return bool(pattern.search(text, 0, bounds[0]) or pattern.search(text, bounds[1]))


# How far into its sentence the speaker of a reporting sentence may stand: it is
# the sentence's subject ("Kessel University's Dagny Holm agreed.").
REPORTING_SUBJECT_WORDS = 6


def _reporting_sentence(masked: str, start: int, end: int) -> _Attribution | None:
    """The attribution of a sentence that reports speech without quoting it: its
    subject speaks ("Doe agreed.", "She says people should …")."""
    speaker, cue, cue_end = _frame_speaker(masked, start, end, after_quote=False)
    if (
        speaker is not None
        and cue
        and len(masked[start : speaker.position].split()) > REPORTING_SUBJECT_WORDS
    ):
        # "Sam Doe, the director of the Port Authority said …" (the appositive's
        # closing comma left out): the name opening the sentence is its subject.
        subject = _subject(masked[start:end], start)
        if subject is not None and subject.name and subject.position < cue_end:
            speaker = subject
    if (
        speaker is None
        or not cue
        or not (speaker.name or speaker.pronoun)
        or len(masked[start : speaker.position].split()) > REPORTING_SUBJECT_WORDS
        or cue in NAMING_VERBS
    ):
        return None
    return _Attribution(speaker, cue, (start, end), cue_end, False)


def _reported_quote(
    text: str,
    attribution: _Attribution,
    spans: list[_Span],
    paragraph: int,
    context: _Context,
) -> Quote | None:
    """The quoted sentence a reporting sentence introduces, with the words that
    sentence reports ("She says people should be free to choose. “It is their
    life.”"); None when its speaker cannot be named."""
    assert attribution.speaker is not None
    name, role, kind = _resolve(attribution.speaker, context, paragraph)
    if not name:
        return None
    sentence_end = attribution.frame[1]
    reported = _reported_start(text, attribution, sentence_end)
    pieces = [(s.open - 1, s.close + (1 if s.closed else 0)) for s in spans]
    if re.search(r"\w", text[reported:sentence_end]):
        pieces = [(reported, pieces[-1][1])]
    return Quote(
        text=" ".join(text[a:b] for a, b in pieces),
        start=pieces[0][0],
        end=pieces[-1][1],
        speaker=name,
        role=role,
        cue=attribution.cue,
        paragraph=paragraph,
        parts=tuple(pieces),
        speaker_kind=kind,
    )


def extract_quotes(text: str) -> list[Quote]:
    """Every direct quote in ``text`` (paragraphs separated by blank lines), in
    order, with its speaker, role and cue."""
    paragraphs = paragraph_spans(text)
    spans = _quoted_spans(text, paragraphs)
    context = _Context(text=text)
    quotes: list[Quote] = []
    masked = _mask(text, spans)
    by_paragraph: dict[int, list[_Span]] = {}
    for span in spans:
        by_paragraph.setdefault(span.paragraph, []).append(span)
    # Quotes without a cue wait for the next attributed quote of their paragraph,
    # else take the speaker of the one just before (same or previous paragraph).
    introduced: _Who | None = None  # by the previous paragraph's closing colon
    touched = -10  # the last paragraph holding (part of) the last quote
    for index, (p_start, p_end) in enumerate(paragraphs):
        own = by_paragraph.get(index, [])
        quoted = [(s.open - 1, s.close + 1) for s in own]
        context.here = []
        context.paragraph_start = p_start
        _register_people(_blank_quoted(text, p_start, p_end, quoted), p_start, context)
        from_before, introduced = (
            introduced,
            _introduction(text, masked, (p_start, p_end), context),
        )
        if not own:
            continue
        headline = _headline_quote(text, (p_start, p_end), index, context)
        if headline is not None:
            quotes.append(headline)
            quotes.extend(_next_turns(text, headline, p_end, index, context))
            touched = index
            continue
        count = len(quotes)
        waiting: list[_Span] = []
        last = -1  # index in ``quotes`` of this paragraph's last attributed quote
        # A sentence that attributes speech without quoting ("Doe agreed.", "She
        # says people should …") introduces the quoted sentence after it.
        reporting: tuple[int, int] | None = None
        for s_start, s_end in _sentences(text, p_start, p_end, quoted):
            in_sentence = [s for s in own if s_start <= s.open - 1 < s_end]
            if not in_sentence:
                reporting = (s_start, s_end)
                subject = _subject(masked[s_start:s_end], s_start)
                person = (
                    context.find(subject.name)
                    if subject is not None and subject.name
                    else None
                )
                if (
                    last >= 0
                    and person is not None
                    and person is not context.find(quotes[last].speaker)
                ):
                    # "“…,” Doe replied. Lee looked surprised. “…?”": someone else
                    # is now the subject; the next quote is not Doe's.
                    last = -1
                continue
            found, left = _sentence_quotes(
                text, masked, s_start, s_end, in_sentence, index, context
            )
            introduced_by, reporting = reporting, None
            if found:
                if waiting:
                    found[0] = _with_parts(text, found[0], waiting)
                    waiting = []
                quotes.extend(found)
                last = len(quotes) - 1
            elif left and _whole_sentence(text, s_start, s_end, left):
                introduction = (
                    _reporting_sentence(masked, *introduced_by)
                    if introduced_by is not None
                    else None
                )
                reported = (
                    _reported_quote(text, introduction, left, index, context)
                    if introduction is not None
                    else None
                )
                if reported is not None:
                    quotes.append(reported)
                    last = len(quotes) - 1
                elif last >= 0:
                    quotes[last] = _with_parts(text, quotes[last], left)
                    touched = index
                else:
                    waiting.extend(left)
        if waiting and from_before is not None:
            quotes.extend(_unattributed(text, waiting, index, from_before))
        elif (
            waiting
            and quotes
            and quotes[-1].speaker
            and touched == index - 1
            and waiting[0].open - 1 == p_start
        ):
            # The next paragraph of the same speaker's words, opening with a
            # quotation mark as the convention has it: one statement. A paragraph
            # that first narrates (“Lee seemed taken aback. “…?””) is not.
            # (So a credit line under it, "- Reuters.", signs nothing.)
            quotes[-1] = _with_parts(text, quotes[-1], waiting)
            touched = index
        elif waiting and (signed := _signature(text, paragraphs, index, context)):
            quotes.extend(_unattributed(text, waiting, index, signed))
        if len(quotes) > count:
            touched = index
    quotes.sort(key=lambda q: q.start)
    return quotes


# A paragraph that is only a dash and a name, with a role after a comma ("- Jane
# Doe.", "— Doe, port chief"): the signature under the quote above it.
# (The name is read as at most 60 characters, then checked word by word: a run of
# NAME's words before a paragraph's end would backtrack exponentially.)
SIGNATURE = re.compile(
    r"[-—–]+[ \t]*(?P<name>[A-Z][\w'’. -]{0,60}?)(?:,[^.\n]{1,80})?\.?"
)
SIGNATURE_WORD = re.compile(NAME_WORD + "|" + PARTICLE)


def _signature(
    text: str, paragraphs: list[tuple[int, int]], index: int, context: _Context
) -> _Who | None:
    """The speaker that signs the quote of paragraph ``index`` from the paragraph
    after it, as fact-checks and epigraphs do (“…”, then "- Jane Doe."): only
    under a paragraph that is all quote, so a reporter's byline under a paragraph
    of news signs nothing."""
    if index + 1 >= len(paragraphs):
        return None
    p_start, p_end = paragraphs[index]
    if text[p_start] not in DOUBLE or text[p_end - 1] not in DOUBLE + ".":
        return None
    signed = SIGNATURE.fullmatch(text, *paragraphs[index + 1])
    if signed is None or not all(
        SIGNATURE_WORD.fullmatch(w) for w in signed.group("name").split()
    ):
        return None
    name, title, gender = _clean_name(signed.group("name").rstrip("."))
    if not name or ORGANISATION_WORDS.search(name):
        # "- Reuters.", "— Kessel Wire": the credit of a wire or a paper.
        return None
    speaker = _Speaker(name=name, title=title, gender=gender, position=signed.start())
    name, role, kind = _resolve(speaker, context, index)
    return _Who(name, role, kind, "—") if name else None


def _mask(text: str, spans: list[_Span]) -> str:
    """``text`` with every quotation (marks included) replaced by ``#``: the words
    around quotes are read for cues and speakers without the quoted words'."""
    pieces = []
    position = 0
    for span in spans:
        a, b = span.open - 1, min(len(text), span.close + 1)
        if a < position:
            continue
        pieces.append(text[position:a])
        pieces.append("#" * (b - a))
        position = b
    pieces.append(text[position:])
    return "".join(pieces)


def _blank_quoted(
    text: str, start: int, end: int, quoted: list[tuple[int, int]]
) -> str:
    """The paragraph with its quoted words blanked out (offsets kept)."""
    chars = list(text[start:end])
    for a, b in quoted:
        for i in range(max(a, start), min(b, end)):
            chars[i - start] = " "
    return "".join(chars)


def quotes_from_paragraphs(paragraphs: list[str] | tuple[str, ...]) -> list[Quote]:
    """The quotes of a stored article's body: offsets into its paragraphs joined by
    blank lines, ``paragraph`` the index of the body paragraph the quote starts in
    (a stored paragraph may hold line breaks the text reader splits on). Only the
    whole paragraphs within QUOTES_MAX_CHARS are read."""
    starts = []
    position = 0
    for paragraph in paragraphs:
        if position + len(paragraph) > QUOTES_MAX_CHARS:
            break
        starts.append(position)
        position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    found = extract_quotes(PARAGRAPH_SEPARATOR.join(paragraphs[: len(starts)]))
    return [replace(q, paragraph=bisect_right(starts, q.start) - 1) for q in found]
