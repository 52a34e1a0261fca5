"""Who wrote the article: people in the byline, the site or agency as the credit.

Witnesses, first useful one wins:

1. declared: JSON-LD ``author`` (people; an Organization author is a credit),
   scholarly ``citation_author`` tags (all of them), ``<meta name="author">``
   and its kin (``article:author`` when it holds a name), the Twitter card's
   "Written by" field, ``itemprop="author"`` / ``rel="author"`` elements;
2. written: "By Ann Lee" under the headline, then the first short "By …"
   element anywhere on the page (outside menus, cards, captions; an article's
   own <footer> counts; "All articles by …", the link to the author's archive,
   is one), a one-word name that element sets apart, the next
   two "By …" elements (a person at the foot after a team credited at the top),
   and the names under an "Author" label (a metadata panel's "Author(s)");
3. guessed from the page's furniture: a name alone on the line beside the date
   line or a job-title line under the headline, an element whose class or id
   names the author ("post-author", "byline"; an author box's first line), and
   trafilatura's guess.

Each is cleaned (:func:`cupure.extract.metadata.clean_byline`), then split into
people and organisations: a name that is the site's, or that ends in a word like
"Team", "Staff" or "Inc", is the credit, never a person; the site's name printed
after a reporter's is cut off. An organisation declared or written as the author
("Harbour Post Staff") ends the search: furniture is not guessed from then (a
credit that is only the site's own name, a CMS default, does not end it).
Written bylines were tried before the meta tags: they are noisier (WCXB dev
author 0.827 → 0.820 all ids), so declarations come first, but for one case: a
"By" line under the headline that is also the page's first "By" element and names
none of the declared people is a guest's byline, the declaration the account
that posted it (WCXB dev author even 0.873 → 0.878, odd 0.814 → 0.819). Nor
does a declared person the page never shows win over a byline the page writes
("By …", an element named "author"): readers see the written one (a team's
name, where the declaration is the account that posted).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any

from lxml import etree

from .metadata import (
    BY_LINE_START,
    BYLINE_LABEL,
    BYLINE_ROLE_WORDS,
    HONORIFIC,
    NAME_PARTICLES,
    PERSON_NAME,
    TEXT_DATE,
    UPPER,
    PageMetadata,
    _is_site_name,
    _jsonld_text,
    _lines_up_to,
    _names_site,
    _types,
    clean_byline,
    host_brand,
    host_label,
    in_foreign,
)
from .text import clean_text, comparable, plain_text

# Meta tags naming the author (not URLs: article:author is often a profile link).
META_AUTHOR = (
    "citation_author",
    "citation_authors",
    "author",
    "og:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "article:author",
)
# A name is at most this many words ("Ann van der Berg", "Mary Ann de Vries").
MAX_NAME_WORDS = 4
# Twitter's card labels ("twitter:label1" "Written by", "twitter:data1" "Ann
# Lee"), which SEO plugins fill with the author; an interview's is its
# interviewer ("Interview by").
TWITTER_LABEL = re.compile(r"twitter:label(\d+)")
TWITTER_AUTHOR_LABELS = frozenset(
    {"written by", "author", "by", "authors", "interview by", "interviewed by"}
)
# The last word of an organisation's name, never of a person's.
ORGANISATION_WORDS = frozenset(
    {"team", "staff", "editors", "editorial", "desk", "newsroom", "inc", "llc"}
    | {"ltd", "media", "news", "press", "group", "agency", "online", "foundation"}
    | {"institute", "university", "services", "solutions", "company", "corp"}
    | {"official", "magazine", "journal", "network", "associates", "partners"}
    | {"contributors", "writers", "bureau", "pc", "llp", "gmbh"}
)
# "By Ann Lee", "Written by Ann Lee and Bo Ek" under the headline: up to four
# capitalised words a name, several names joined by "," "and" "&".
_NAME = (
    rf"(?:{HONORIFIC}[ \t]+)?(?:[{UPPER}]|\d+[a-z])[\w.'’-]*"
    rf"(?:[ \t]+(?:[{UPPER}][\w.'’-]*|(?:{'|'.join(NAME_PARTICLES)})\b)){{0,3}}"
)
# "Contributors: Ann Lee" and "Reporting by Ann Lee" label a byline too; a
# serial comma may come before the last name ("Ann Lee, Bo Ek, and Cy Ng").
BY_NAME = re.compile(
    r"(?:^|[\s|·•(])(?i:by|written by|words by|reporting by|authors?|contributors?)"
    rf"(?::\s*|\s+)({_NAME}(?:\s*(?:,\s*(?:and\b|&)?|\band\b|&)\s*{_NAME})*)"
)
# A company's name led by a digit ("By 3i Global", "By 7seas Studio"): a person's
# name never is; a number alone ("By 2 Min Read") is no name.
DIGIT_LED_NAME = re.compile(r"\d+[a-z][\w.'’-]*\s+[A-Z]")
# The word before "by" when it names a reviewer, an editor or a photographer.
NOT_AUTHOR_BY = frozenset(
    {"reviewed", "checked", "fact-checked", "edited", "editing", "illustrated"}
    | {"photos"}
    | {"photo", "photographed", "illustration", "illustrations", "image", "images"}
)
# The word before "by" when it is a page control's or the software's ("Sort By
# Best Match", "Filter by Brand", "Powered by Hugo"), never a byline's label.
CONTROL_BY = frozenset(
    {"sort", "sorted", "filter", "filtered", "refine", "shop", "browse", "search"}
    | {"order", "ordered", "group", "grouped", "powered"}
)
# Words that make "… by" a byline's label ("Written by", "This post was written
# by"); after any other word a lower-case "by" is a sentence's ("a tool by Ola
# Berg"), not a byline.
BY_LABEL_WORDS = frozenset(
    {"written", "words", "posted", "story", "text", "article", "authored", "report"}
    | {"published", "created", "contributed", "compiled", "recipe", "post", "video"}
    | {"reporting", "posts", "articles", "stories"}
)
# A byline's label before a lower-case "by" is a few words ("This post was
# written by"); more than this many words on its line before it are a sentence.
SENTENCE_BY_WORDS = 10
# The word before "by" (sentence punctuation between them, not a separator).
_WORD_BEFORE_BY = re.compile(r"([\w’'-]+)[,.;:!?\"”’)]*\s+by\W*$", re.IGNORECASE)
# A month and a day after a name on a byline line ("Jan. 31", "September 4").
MONTH_DAY = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE,
)
# Elements whose class or id name the author; the innermost short one is read.
AUTHOR_ELEMENTS = etree.XPath(
    "//body//*[contains(@class, 'author') or contains(@class, 'byline')"
    " or contains(@id, 'author') or contains(@id, 'byline')]"
)
# The XPath above also finds "authorized-dealer", "authoring-tools" and
# "authorization": other words than "author"; an element is read only when a
# class or id names the author itself.
AUTHOR_CLASS = re.compile(r"author(?!i[sz]|ing|ity)|byline", re.I)
# Author boxes, avatars and bios carry names of other things too.
AUTHOR_ELEMENT_SKIP = re.compile(r"bio|desc|avatar|image|img|photo|social|about", re.I)
# A byline's other parts, named so by their classes ("byline__category",
# "byline-date", "author-meta__time"): no names there.
BYLINE_PART = re.compile(
    r"(?:^|[\s_-])(?:categor(?:y|ies)|date|time|tags?|topics?|section|read-?time)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)
AUTHOR_ELEMENT_MAX_WORDS = 8
AUTHOR_ELEMENTS_READ = 5
# "<h3>Author</h3><p>Ann Lee</p>", "<dt>Authors:</dt><dd>…", "<h6>Author(s)</h6>
# <ul><li>…": a label set apart, the names in the element after it.
AUTHOR_LABEL = re.compile(r"(?:authors?|author\(s\)|writers?)\s*:?", re.IGNORECASE)
# (Short text nodes only: a label is a word or two, however indented.)
_AUTHOR_LABEL_NODES = etree.XPath(
    "//body//text()[string-length() < 200]"
    "[contains(translate(., 'AUTHOR', 'author'), 'author')"
    " or contains(translate(., 'WRITE', 'write'), 'write')]"
)
# A list's item, a menu's option or a link saying "Writers" is no label.
NOT_LABEL_TAGS = frozenset({"li", "option", "a", "button", "label", "title", "code"})
# A label alone in its element is read with its parent's next element, this many
# levels up at most ("<div><h3>Author</h3></div><div><p>Ann Lee</p></div>").
AUTHOR_LABEL_LEVELS = 2
# Names under a label, all of them together, are at most as long as a byline,
# and read from this many characters at most.
AUTHOR_LABEL_MAX_WORDS = 12
AUTHOR_LABEL_MAX_CHARS = 300
# "Author(s):" is two words at most.
AUTHOR_LABEL_WORDS = 2
# A label just before an author box that makes its person a reviewer ("Reviewed
# by,", "Medically reviewed by:"), looked for this many levels up.
REVIEWER_LABEL = re.compile(
    r"\b(?:reviewed|fact[- ]checked|edited|approved)\s+by\W*$", re.IGNORECASE
)
REVIEWER_LABEL_LEVELS = 6
# A CMS login declared as the author ("andrew.keaveney", "brandon-peaktwo",
# "mdelatorreq6vkpg2"): one lower-case word joined by dots, hyphens or
# underscores, or holding digits. A blog's handle written on the page
# ("by jsteinhardt") is the name readers see; a declared login is not.
LOGIN_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)+|[a-z]+\d[a-z0-9]*")
# A person's name left when the site's name is cut off its end has this many words.
MIN_NAME_WORDS = 2
# A site's name is at most this many words: only so long a tail is compared with
# it (every tail of a hostile 25,000-word "name" took minutes).
SITE_NAME_MAX_WORDS = 6
# A byline without "By" is looked for among this many lines under the headline.
BYLINE_LINES = 6
# How a byline's date line starts when its date is not written out in full.
DATE_LINE_START = re.compile(
    r"\s*(?:last\s+updated|updated|published|posted)\b"
    # "Posted under Car Tires", "Posted in Recipes": the section, not the date.
    r"(?!\s+(?:under|in|to)\b)",
    re.IGNORECASE,
)
# How long the piece takes to read ("5 min read", "8 minutes read"): a byline's
# line, as its date line is ("Ann Lee · 5 min read").
READ_TIME = re.compile(r"\b\d+\s*(?:min|mins|minutes?)\.?\s+read\b", re.IGNORECASE)
# A job title under a name is short.
ROLE_LINE_MAX_WORDS = 4
# What separates a name from its job title and the date on one byline line.
LINE_PARTS = re.compile(r"\s+[|·•]\s+")
# Words of page furniture read from author boxes and bylines, never of a name
# ("Full Bio", "View posts", "7 min read", "Personal finance"), nor of a
# customer's signature ("Ann Lee Google review", "… Trustpilot") or of what
# a class matched for "authorized" or "authoring" holds ("Authorized Dealer"):
# trafilatura guessed such 9 times on WCXB dev non-article pages, now none.
NOT_NAME_WORDS = frozenset(
    {"bio", "full", "follow", "view", "home", "read", "more", "posts", "profile"}
    | {"share", "about", "min", "minute", "minutes", "contact", "email", "menu"}
    | {"subscribe", "search", "sector", "type", "platform", "finance", "the", "i"}
    | {"when", "our", "your", "for", "with", "in", "of", "to", "we"}
    | {"authorized", "authorised", "authoring", "authorization", "authorisation"}
    | {"testimonial", "testimonials", "review", "reviews", "trustpilot"}
    | {"this", "is", "get"}
)
# A word turning from lower case to a capital twice among other words: several
# links' texts run together ("Digital OrganizationOfficePapers"), no name. Alone
# it is a handle ("EuroStepJam").
RUN_TOGETHER = re.compile(r"[a-z][A-Z]\w*[a-z][A-Z]")
# A degree or certification after a name: capitals ("DVM", "DACVB", "FAND"),
# "Ph.D.", "M.D.", "PhD", "MSc"; a specialty in brackets may follow
# ("VTS (Behavior)").
_CREDENTIAL = (
    r"(?:[A-Z]{2,6}|Ph\.?\s?D\.?|M\.D\.|M\.?Sc\.?|[A-Z]\.[A-Z]\.)"
    r"(?:\s*\([^()]{1,30}\))?"
)
_CREDENTIALED_NAME = rf"{PERSON_NAME.pattern}(?:\s*,\s*{_CREDENTIAL})+"
CREDENTIALED_NAMES = re.compile(
    rf"{_CREDENTIALED_NAME}(?:\s*(?:;|,|&|\band\b)\s*{_CREDENTIALED_NAME})*"
)
# The codes a place is written with after a comma ("Silver Spring, MD", "Austin,
# TX, USA"), never a degree alone.
PLACE_CODES = frozenset(
    re.findall(
        r"\w+",
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS"
        " MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI"
        " WY US USA UK UAE EU",
    )
)
# The lines under the headline looked at for such names.
CREDENTIAL_LINES = 3
# A name of one word: letters, digits and the marks handles hold ("h.lee",
# "ann_lee"), a letter at least.
ONE_WORD_NAME = re.compile(r"[\w.'’-]*[^\W\d_][\w.'’-]*")
# "Posted by David at December 16, 2025": the word between "by" and the date.
POSTED_BY_ON_DATE = re.compile(
    r"\s*(?:(?:written|posted)\s+)?by:?\s+(\S+)\s+(?:on|at)\s+"
    rf"(?:{TEXT_DATE.pattern})",
    re.IGNORECASE,
)


# Witnesses that write the byline on the page in so many words: they overrule a
# declared person the page never shows.
OVERRULING_SOURCES = frozenset(
    {"byline:text", "page:by-line", "page:author-label", "page:author-class"}
)


class Witness(Enum):
    """How a witness knows the author: declared in the page's metadata, written
    as "By …" under the headline, or guessed from the page's furniture."""

    DECLARED = "declared"
    WRITTEN = "written"
    GUESSED = "guessed"


@dataclass(frozen=True)
class Byline:
    """The people who wrote the piece, the organisation credited, and where read."""

    people: str  # "Ann Lee, Bo Ek" or ""
    credit: str  # "Reuters", "The Gazette Team" or ""
    source: str  # "jsonld:author", "meta:author", ...
    credit_source: str = ""


def is_organisation(name: str, site_keys: set[str]) -> bool:
    """True for the site's own name, a name ending in an organisation's word, one
    led by a digit ("3i Global"), or one led by the site's one-word brand (its
    desk or edition: "Illinois Admissions" on illinois.example; WCXB dev: an
    article and a non-article page, author figures unchanged)."""
    words = comparable(name).split()
    if not words:
        return False
    return (
        words[-1] in ORGANISATION_WORDS
        or DIGIT_LED_NAME.match(name) is not None
        or _names_site(name, site_keys)
        or (len(words) > 1 and words[0] in site_keys)
    )


def twitter_author(meta: dict[str, str]) -> str:
    """The value of the Twitter card field labelled "Written by", or ""."""
    for key, label in meta.items():
        match = TWITTER_LABEL.fullmatch(key)
        if match and comparable(label) in TWITTER_AUTHOR_LABELS:
            return meta.get(f"twitter:data{match.group(1)}", "")
    return ""


def without_site(name: str, site_keys: set[str]) -> str:
    """``name`` without the site's name glued after it ("Ann Lee Harbour Post"
    → "Ann Lee"): networks print the publication after the reporter."""
    words = name.split()
    first = max(MIN_NAME_WORDS, len(words) - SITE_NAME_MAX_WORDS)
    for index in range(first, len(words)):
        if _is_site_name(" ".join(words[index:]), site_keys):
            return " ".join(words[:index]).strip(" ,;:/|-–—·")
    return name


def _jsonld_authors(page: PageMetadata) -> tuple[str, list[str]]:
    """The JSON-LD authors: people as one comma-separated string, and the names
    of the Organization authors."""
    authors = page.jsonld.get("author")
    authors = authors if isinstance(authors, list) else [authors]
    people, organisations = [], []
    for author in authors:
        if isinstance(author, dict) and "organization" in _types(author):
            organisations.append(_jsonld_text(author))
        elif author:
            people.append(author)
    return _jsonld_text(people), [name for name in organisations if name]


def author_elements(tree: Any) -> list[str]:
    """The texts of the first few short elements whose class or id name the
    author (read before the page is pruned for its body). Links to an author's
    page ("/author/ann-lee") were tried as a further witness, also when only the
    name whose slug ends the address counts: no net gain on WCXB dev, so they
    are not read."""
    texts: list[str] = []
    for element in AUTHOR_ELEMENTS(tree):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if (
            not AUTHOR_CLASS.search(names)
            or AUTHOR_ELEMENT_SKIP.search(names)
            or in_foreign(element)
            or _after_reviewer_label(element)
        ):
            continue
        if BYLINE_PART.search(names):
            continue
        text = clean_text(" ".join(_texts_without_parts(element)))
        if len(text.split()) > AUTHOR_ELEMENT_MAX_WORDS:
            # An author box: the name first, then the biography (a heading
            # such as "Author Corner" first is no name).
            pieces = (clean_text(piece) for piece in element.itertext())
            text = next((piece for piece in pieces if piece), "")
            if not PERSON_NAME.fullmatch(text) or BYLINE_LABEL.match(text):
                continue
        if any(character.isalnum() for character in text):
            texts.append(text)
            if len(texts) >= AUTHOR_ELEMENTS_READ:
                break
    return texts


def _texts_without_parts(element: Any) -> Iterator[str]:
    """The element's text pieces, less those of its descendants named as a
    byline's other parts (:data:`BYLINE_PART`), and less comments. (A stack, not
    recursion: a hostile page nests elements deeper than Python recurses.)"""
    if element.text:
        yield element.text
    stack = [(element, iter(element))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack and node.tail:
                yield node.tail
            continue
        names = f"{child.get('class') or ''} {child.get('id') or ''}"
        if isinstance(child.tag, str) and not BYLINE_PART.search(names):
            if child.text:
                yield child.text
            stack.append((child, iter(child)))
        elif child.tail:
            yield child.tail


def labelled_authors(tree: Any) -> str:
    """The names a page sets apart under an "Author" label: in the label's tail
    ("<b>Author:</b> Ann Lee") or in the element after it, a list's items joined
    ("<h6>Author(s)</h6><ul><li>Ann Lee</li><li>Bo Ek</li></ul>"), or "".

    Such a label is read wherever it is, a page's metadata panel being an aside
    (WCXB dev: two articles' only byline). A page whose labels name different
    people lists books or reviews, each with its author: none is the byline.
    Only the first words after a label are read: a hostile page's thousand labels
    inside one another, each holding the whole page, cost no more than one.
    """
    found = ""
    for node in _AUTHOR_LABEL_NODES(tree):
        if node.is_tail or not AUTHOR_LABEL.fullmatch(clean_text(node)):
            continue
        label = node.getparent()
        # The label alone in its element ("<h3>Author</h3>"), not a container's
        # first words.
        if label.tag in NOT_LABEL_TAGS or len(label):
            continue
        # The words right after the label are its names, or it labels nothing.
        tail = label.tail or ""
        text = _words_up_to(tail) if tail.strip() else _text_after(label)
        if not text or not PERSON_NAME.fullmatch(text.split(",")[0].strip()):
            continue
        if found and text != found:
            return ""
        found = text
    return found


def _words_up_to(text: str) -> str:
    """``text`` cleaned when it is a few words, else "" (read from its start only:
    a name is never longer than AUTHOR_LABEL_MAX_CHARS)."""
    words = clean_text(text[:AUTHOR_LABEL_MAX_CHARS]).split()
    return " ".join(words) if len(words) <= AUTHOR_LABEL_MAX_WORDS else ""


def _text_after(label: Any) -> str:
    """The few words of the element after a label (or after the containers that
    hold only the label), a list's items joined by commas, or ""."""
    for _ in range(AUTHOR_LABEL_LEVELS + 1):
        following = next(
            (node for node in label.itersiblings() if isinstance(node.tag, str)),
            None,
        )
        if following is not None:
            items = following if following.tag in ("ul", "ol") else [following]
            names: list[str] = []
            words = 0
            for item in items:
                lines = _lines_up_to(item, AUTHOR_LABEL_MAX_WORDS - words)
                if lines is None:
                    return ""
                if lines:
                    names.append(clean_text(lines.replace("\n", " ")))
                    words += len(names[-1].split())
            return ", ".join(names)
        label = label.getparent()
        shown = None if label is None else _lines_up_to(label, AUTHOR_LABEL_WORDS)
        if not shown or not AUTHOR_LABEL.fullmatch(clean_text(shown)):
            return ""
    return ""


def _after_reviewer_label(element: Any) -> bool:
    """True when the nearest text before the author element (or before one of its
    nearest containers) is a reviewer's label: the box shows who reviewed."""
    nodes = itertools.chain((element,), element.iterancestors())
    for node in itertools.islice(nodes, REVIEWER_LABEL_LEVELS + 1):
        for before in node.itersiblings(preceding=True):
            if not isinstance(before.tag, str):
                continue
            text = clean_text(before.text_content())
            if text:  # the nearest text before it (an avatar shows none)
                return bool(REVIEWER_LABEL.search(text))
    return False


def _names_only(text: str) -> bool:
    """True when no word of ``text`` is furniture's: a word of NOT_NAME_WORDS, or
    links' texts run together beside other words ("Digital
    OrganizationOfficePapers"; a name turns to a capital inside a word once at
    most: "McDonald", "DiCaprio")."""
    text = BYLINE_LABEL.sub("", text).strip()
    if " " in text and RUN_TOGETHER.search(text):
        return False
    words = re.findall(r"[\w'’-]+", text.lower())
    return bool(words) and not any(word in NOT_NAME_WORDS for word in words)


def written_byline(text: str) -> str:
    """The names after "By" in the text under the headline, or "".

    A single word after "by" is a section or a sort order far more often than a
    person ("Shop by City", "Powered by Thrive"): a written byline names a person
    in at least two words.
    """
    # "By Jonathan Sayers Jan. 31, 2026": the date is not part of the name.
    text = MONTH_DAY.sub(lambda match: "\n" + match.group(0), text)
    for match in BY_NAME.finditer(text):
        named = PERSON_NAME.match(match.group(1)) or DIGIT_LED_NAME.match(
            match.group(1)
        )
        if named and not _by_names_someone_else(text[: match.start(1)]):
            return match.group(1)
    return ""


def _by_names_someone_else(before: str) -> bool:
    """True when the "by" that ends ``before`` names a reviewer or a photographer
    ("Medically reviewed by"), or is a sentence's "by" ("a library by"): its
    line's word before it says so."""
    line = before.rstrip().rsplit("\n", 1)[-1]
    found = _WORD_BEFORE_BY.search(line)
    if found is None:
        return False
    word = found.group(1).lower()
    if word in NOT_AUTHOR_BY or word in CONTROL_BY:
        return True
    # "Posted on March 3, 2025 by Ann Lee": a date line's "by" (the date may
    # have been set on a line of its own, after "Posted on").
    date = TEXT_DATE.search(line)
    if date:
        lines = before.rstrip().split("\n")
        start = lines[-2] if date.start() == 0 and len(lines) > 1 else line
        if DATE_LINE_START.match(start):
            return False
    lower_case_by = line.rstrip(" :").endswith("by")
    # "… try this meal plan created by our dietitian Ann Lee": a lower-case "by"
    # far into a sentence is the sentence's, whatever the word before it.
    if lower_case_by and len(line.split()) > SENTENCE_BY_WORDS:
        return True
    return lower_case_by and word not in BY_LABEL_WORDS


def lone_name(by_line: str) -> str:
    """The one word a "By" element names, or "": a blog's handle or first name
    ("by <a>jsteinhardt</a>", "Posted by David at December 16, 2025").

    One word after "by" is a name only where the page's structure says so: in an
    element of its own after the label, or before the date the post went up; a
    sort order or a section ("By Category") is neither.
    """
    label, _, rest = by_line.partition("\n")
    if BY_LINE_START.fullmatch(label.rstrip(": ")):
        word = rest.split("\n", 1)[0]
    else:
        dated = POSTED_BY_ON_DATE.match(by_line)
        word = dated.group(1) if dated else ""
    if ONE_WORD_NAME.fullmatch(word) and word.lower() not in NOT_NAME_WORDS:
        return word
    return ""


def dated_name_line(text: str) -> str:
    """A line that is only a person's name next to a date line among the first
    lines under the headline: a byline without "By" ("Dec 26, 2025" then
    "Mahua Das in").

    A date line is a date, or what a byline's date line starts with ("Last
    Updated:", "Published on …"); the person's job title on the line under the
    name ("Staff Writer") marks a byline too, and is never the name. The name may
    also be the first line under the headline with a tag between it and the
    date line ("Ann Lee", "#Ferries", "Published on Mar 3, 2025").
    """
    lines = text.split("\n")[:BYLINE_LINES]
    for index, line in enumerate(lines):
        if not (_is_date_line(line) or _is_role_line(line)):
            continue
        # "Aaron Ricadela | Senior Writer | July 2, 2025": name and date on one
        # line, the name first among its parts.
        parts = [part.strip() for part in LINE_PARTS.split(line)]
        if len(parts) > 1 and PERSON_NAME.fullmatch(parts[0]) and _names_only(parts[0]):
            return parts[0]
        nearby = [index - 1, index + 1] + ([0] if index == 2 else [])
        for near in nearby:
            if 0 <= near < len(lines) and not _is_role_line(lines[near]):
                name = lines[near].strip(" ,·•|")
                name = re.sub(r"^By(?=[A-Z])|\s+(?:in|on|at)$", "", name)
                if PERSON_NAME.fullmatch(name) and _names_only(name):
                    return name
    return ""


def credentialed_names(text: str) -> str:
    """The first lines under the headline when one of them is only names each
    followed by a degree ("Ellen Lindell, VMD, DACVB; Debra Horwitz, DVM & Gary
    Landsberg, DVM"): the authors of a medical or scientific piece, written
    without "By"."""
    for line in text.split("\n")[:CREDENTIAL_LINES]:
        if not CREDENTIALED_NAMES.fullmatch(line):
            continue
        # "Silver Spring, MD" is a place: a state's code alone is no degree.
        degrees = set(re.findall(r",\s*([^,;&]+)", line))
        if degrees - PLACE_CODES:
            return line
    return ""


def _is_date_line(line: str) -> bool:
    return bool(
        TEXT_DATE.search(line) or DATE_LINE_START.match(line) or READ_TIME.search(line)
    )


def _is_role_line(line: str) -> bool:
    """A short line holding a job title ("Staff Writer", "Sales Director")."""
    words = re.findall(r"[\w-]+", line.lower())
    return 0 < len(words) <= ROLE_LINE_MAX_WORDS and any(
        word in BYLINE_ROLE_WORDS for word in words
    )


def _split_names(raw: str, site_keys: set[str]) -> tuple[list[str], list[str]]:
    """The people and the organisations a witness names, cleaned, the site's
    name cut off a reporter's."""
    people: list[str] = []
    organisations: list[str] = []
    for name in clean_byline(raw).split(", "):
        if name:
            name = without_site(name, site_keys)
            kind = organisations if is_organisation(name, site_keys) else people
            kind.append(name)
    return people, organisations


def _written_twice(window_text: str, by_line: str, site_keys: set[str]) -> list[str]:
    """The people a "By" line under the headline names when the page's first "By"
    element names the same people, else []: the byline as readers see it."""
    under = written_byline(window_text)
    people = _split_names(under, site_keys)[0] if _names_only(under) else []
    element = _split_names(written_byline(by_line), site_keys)[0]
    return people if people and _keys(people) == _keys(element) else []


def _echoes_login(name: str, logins: list[str]) -> bool:
    """True when ``name``'s letters start one of the logins' ("Mdelatorreq" for
    "mdelatorreq6vkpg2")."""
    letters = re.sub(r"[\W\d_]", "", name.lower())
    return bool(letters) and any(
        re.sub(r"[\W\d_]", "", login).startswith(letters) for login in logins
    )


def _opens(name: str, credit: str) -> bool:
    """True when ``name`` is the first words of ``credit``, and shorter."""
    key = comparable(name)
    return bool(key) and comparable(credit).startswith(f"{key} ")


def _cut_at(written: str, by_element: str) -> str:
    """The byline under the headline, cut where the page's "By" element ends the
    name: the text under the headline runs inline elements together ("Written
    By: <a>Celeste Longacre</a> <span>Gardener & Astrologer</span>" reads
    "Celeste Longacre Gardener"), the element keeps each piece apart."""
    if by_element and written.startswith(by_element + " "):
        return by_element
    return written


def _not_title(name: str, page: PageMetadata) -> str:
    """``name``, or "" when the page's headline or <title> holds it: a breadcrumb
    or a section above the date line ("Cleaning Industry Trends") is no byline."""
    key = comparable(name)
    titles = (*page.headings, page.html_title, page.meta.get("og:title", ""))
    if key and any(f" {key} " in f" {comparable(title)} " for title in titles):
        return ""
    return name


def _share(names: list[str], others: list[str]) -> bool:
    """True when the two lists name a person in common."""
    return bool(_keys(names) & _keys(others))


def _keys(names: list[str]) -> set[str]:
    return {comparable(name) for name in names}


def choose_byline(
    *,
    page: PageMetadata,
    author_texts: list[str],
    byline_text: str,
    labelled: str = "",
    extracted: str,
    page_text: str = "",
    site_names: list[str],
) -> Byline:
    """Choose the byline by the module's order of witnesses."""
    # A host ("www.harbourpost.example") names the site without "www." and its
    # top-level domain; a subdomain's host ("help.harbourpost.example") also by
    # its brand alone.
    site_keys = {
        comparable(host_label(name) if " " not in name else name)
        for name in site_names
        if name
    }
    site_keys |= {
        comparable(host_brand(name))
        for name in site_names
        if name and " " not in name and "." in name
    }
    site_keys.discard("")
    jsonld_people, jsonld_organisations = _jsonld_authors(page)
    witnesses: list[tuple[str, str, Witness]] = [
        ("jsonld:author", jsonld_people, Witness.DECLARED)
    ]
    witnesses += [
        (f"meta:{key}", page.meta.get(key, ""), Witness.DECLARED)
        for key in META_AUTHOR
        if "://" not in page.meta.get(key, "")
    ]
    witnesses.append(("meta:twitter:data", twitter_author(page.meta), Witness.DECLARED))
    witnesses.append(("page:author", page.byline_hint, Witness.DECLARED))
    first_by_line = page.by_lines[0] if page.by_lines else ""
    by_element = written_byline(first_by_line)
    witnesses.append(
        (
            "byline:text",
            _cut_at(written_byline(byline_text), by_element),
            Witness.WRITTEN,
        )
    )
    witnesses.append(("page:by-line", by_element, Witness.WRITTEN))
    witnesses.append(("page:by-line", lone_name(first_by_line), Witness.WRITTEN))
    witnesses.append(
        ("byline:credentials", credentialed_names(byline_text), Witness.WRITTEN)
    )
    witnesses += [
        ("page:by-line", written_byline(text), Witness.WRITTEN)
        for text in page.by_lines[1:]
    ]
    witnesses.append(("page:author-label", labelled, Witness.WRITTEN))
    witnesses.append(
        (
            "byline:name-line",
            _not_title(dated_name_line(byline_text), page),
            Witness.GUESSED,
        )
    )
    witnesses += [("page:author-class", text, Witness.GUESSED) for text in author_texts]
    witnesses.append(("trafilatura", plain_text(extracted), Witness.GUESSED))
    # An organisation's name is kept whole ("Centre for Ports and
    # Ferries" is one author, not two).
    credit = jsonld_organisations[0] if jsonld_organisations else ""
    credit_source = "jsonld:author" if credit else ""
    guests = _written_twice(byline_text, first_by_line, site_keys)
    logins: list[str] = []
    hidden: Byline | None = None
    shown = _Shown(page_text)
    for source, raw, witness in witnesses:
        if hidden is not None:
            # A byline the page writes ("By …", an element named "author"),
            # beside a declared person it never shows: the page's byline is
            # what readers see (the declaration is a CMS account's).
            people, organisations = _split_names(raw, site_keys)
            if (
                source in OVERRULING_SOURCES
                and (people or organisations)
                and _names_only(raw)
            ):
                if people:
                    return Byline(", ".join(people), "", source)
                return Byline("", organisations[0], "", source)
            continue
        # A page that declares or writes its author to be an organisation
        # ("Harbour Post Staff") has no person to guess from its furniture; the
        # site's own name there is often a CMS default, and a person may follow.
        if (
            witness is Witness.GUESSED
            and credit
            and not _is_site_name(credit, site_keys)
        ):
            break
        people, organisations = _split_names(raw, site_keys)
        if witness is Witness.DECLARED:
            logins += [name for name in people if LOGIN_NAME.fullmatch(name)]
            people = [name for name in people if name not in logins]
        if witness is Witness.GUESSED:
            people = [name for name in people if _name_shaped(name)]
        if source == "trafilatura":
            # trafilatura reads the same declaration, and capitalises the login.
            people = [name for name in people if not _echoes_login(name, logins)]
            # It also cuts a credit down to its first words ("Human" of the
            # site "Human in the Loop"): that is no person.
            people = [name for name in people if not _opens(name, credit)]
        if organisations and not credit:
            credit, credit_source = organisations[0], source
        # Text read off the page names people only when it holds no furniture
        # words ("Full Bio", "7 min read"); an organisation it names is a credit.
        if not people or not (witness is Witness.DECLARED or _names_only(raw)):
            continue
        # The account that posted a guest's piece is declared, the guest written.
        if witness is Witness.DECLARED and guests and not _share(guests, people):
            return Byline(", ".join(guests), credit, "byline:text", credit_source)
        found = Byline(", ".join(people), credit, source, credit_source)
        if witness is not Witness.DECLARED or not page_text:
            return found
        if any(shown(name) for name in people):
            return found
        # A declared person the page never shows is held while the witnesses
        # that follow are searched for a byline the page writes.
        hidden = found
    return hidden or Byline("", credit, "", credit_source)


def _name_shaped(name: str) -> bool:
    """True for a name guessed from the page's furniture that could be a person's
    or a handle: at most four words, each after the first capitalised or a
    particle. Menu text and a footer's credit in an element named "author" are not
    ("Authorities Governing Board Actions Open submenu LSC Code", "Government
    Websites by CivicPlus"): WCXB dev, 3 such bylines gone, none right lost."""
    words = name.split()
    return len(words) <= MAX_NAME_WORDS and all(
        word[0].isupper() or not word[0].isalpha() or word in NAME_PARTICLES
        for word in words[1:]
    )


class _Shown:
    """Whether the page's visible text holds a name (the text is folded for
    comparison once, when first asked)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = ""

    def __call__(self, name: str) -> bool:
        if not self.folded:
            self.folded = f" {comparable(self.text)} "
        key = comparable(name)
        return bool(key) and f" {key} " in self.folded
