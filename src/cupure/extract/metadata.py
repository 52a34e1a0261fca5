"""Page metadata read from the parsed HTML: meta tags, JSON-LD, <title>, <h1>, links."""

from __future__ import annotations

import json
import logging
import re
from collections import deque
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from . import dates
from .text import clean_text, comparable, join_url, plain_text, url_part

log = logging.getLogger(__name__)

# schema.org types whose JSON-LD object describes the article itself.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "webpage",
    }
)
# Two titles whose folded texts match this closely are one title written two
# ways ("BEST DRIP COFFEE MAKER IN 2026" and "Best Drip Coffee Maker 2026"); words
# in another order ("Marathon Beginner Plan") are another title.
SAME_TITLE_RATIO = 0.9
# Longer "headings" are whole paragraphs wrapped in <h1> by page builders.
MAX_HEADLINE_CHARS = 300
# An <h1> sharing at least this share of its words with the <title>, og:title or
# JSON-LD headline is the article's headline (and not the logo or a section name).
HEADLINE_AGREEMENT = 0.5
# A headline-length <h1> (at least this many words) needs only this share: it is the
# headline the publisher reworded for search engines and social cards, while logos,
# section names and menu labels are a few words long.
LONG_HEADLINE_WORDS = 8
LONG_HEADLINE_AGREEMENT = 0.3
# What one "?" of a mis-encoded <h1> stands for in the declared title: one or two
# characters ("Planning?" for "Planning:", "Beginner?" for "Beginner's").
LOST_CHARACTERS = ".{1,2}"
# More "?" than this is a heading in another script lost whole, not a few quotes or
# dashes lost; the test is also exponential in the count on a hostile page.
MAX_LOST_CHARACTERS = 6
PIPE_TAIL = re.compile(r"\s+\|\s+")
# A part before " | " shorter than this is a label ("News | ..."), not the headline.
MIN_HEADLINE_WORDS = 3
BYLINE_SPLIT = re.compile(r"\s*;\s*|\s+\|\s+")
BYLINE_LABEL = re.compile(
    r"^(?:(?:written|posted|published|reviewed|edited|article|words|story|text"
    r"|authored|reporting)\s+by|view\s+(?:all\s+)?posts\s+by"
    r"|read\s+more\s+(?:about|from)|by|author|authors|contributors?)\b[:\s]*",
    re.IGNORECASE,
)
# "Shelby Loos Reviewed by Molly Price": a reviewer or editor is not an author.
BYLINE_REVIEWER = re.compile(
    r"\s*\b(?:medically\s+|expert\s+)?(?:reviewed|fact[- ]checked|edited|editing)"
    r"\s+by\b.*$",
    re.IGNORECASE,
)
# Several names in one part: "Ann Lee and Bo Ek", "Ann Lee, Bo Ek", and with a
# serial comma "Ann Lee, Bo Ek, and Cy Ng".
BYLINE_NAMES_SPLIT = re.compile(
    r"\s*,\s*(?:(?:and|&)\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE
)
# The same part cut at its commas only, and a comma's group at "and" or "&".
BYLINE_COMMA = re.compile(r"\s*,\s*")
BYLINE_JOINED = re.compile(r"^(?:and|&)\s+|\s+and\s+|\s*&\s*", re.IGNORECASE)
# A social handle after a name ("Ann Lee @annlee", "Ann Lee (@annlee)") is no
# part of it; an e-mail address's "@" follows a word and is left to the rest.
BYLINE_HANDLE = re.compile(r"\(?(?<![\w.])@\w[\w.]*\)?")
# A byline written as a sentence ends with its full stop ("… by Ann Lee and Bo
# Ek."): a last word of two letters or more, not an initial ("A.D.") or an
# abbreviation ("Jr.", "Co.").
SENTENCE_STOP = re.compile(r"\b([^\W\d_]{2,})\.$")
ABBREVIATIONS = frozenset({"jr", "sr", "st", "co", "inc", "ltd", "corp", "bros"})
# A second name must look like one: two to four capitalised words (particles
# allowed); "Hardware", "DVM" or "Digital Security Expert" after a comma are a
# beat, a degree or a job title.
# Capital and small letters a name is written with: A-Z and a-z, and the accented
# letters of the Latin alphabets ("Élodie", "Łukasz Šťastný").
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
LOWER = "a-z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.islower())
# The small words inside a name ("Ann van der Berg").
NAME_PARTICLES = ("de", "van", "von", "da", "del", "der", "bin", "al")
PERSON_NAME = re.compile(
    rf"[{UPPER}][\w.'’-]*(?:\s+(?:[{UPPER}][\w.'’-]*|{'|'.join(NAME_PARTICLES)}))"
    r"{1,3}"
)
# Several people named in a row, each perhaps with an honorific: "Dr Marna van der
# Merwe, Dr Dieter Veldsman, Erik van Vulpen", "Rui Ma, Heba Ledwon & Suparn Patra".
# A title before a name ("Dr Marna van der Merwe").
HONORIFIC = r"(?:Dr|Prof|Mr|Mrs|Ms)\.?"
_LISTED_PERSON = rf"(?:{HONORIFIC}\s+)?{PERSON_NAME.pattern}"
NAME_LIST = re.compile(
    rf"{_LISTED_PERSON}(?:\s*(?:,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*)"
    rf"{_LISTED_PERSON})+"
)
# A first name alone ("Mira"), as "Mira and Tom" bylines give them.
FIRST_NAME = re.compile(rf"[{UPPER}][{LOWER}'’-]+")
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
)
# A date glued to the name: "Supermove February 8", "ServiceTitan November",
# "Ann Lee 12/03/2024". Months that are also first names (May, June, April, August)
# only count when a number follows.
BYLINE_DATE_TAIL = re.compile(
    rf"\s+(?:on\s+)?(?:{_MONTH}\s+\d.*"
    r"|(?:january|february|march|september|october|november|december)"
    r"|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}.*|on\s+\d{1,4}[/.-]\w+[/.-]\d{1,4}.*)$",
    re.IGNORECASE,
)
# "This post was written by Ann Lee": everything up to "written by" goes.
BYLINE_LEAD_IN = re.compile(
    r"^(?:.{0,40}?\b(?:written|posted)|\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})\s+by\s+",
    re.IGNORECASE,
)
# A job title or "Published"/"Last updated" glued after the name ("Keith Barry
# Senior Autos Reporter", "Zackery Cuevas Writer, Hardware") starts at one of these
# words, after a name of at least two words.
BYLINE_ROLE_WORDS = frozenset(
    {"senior", "staff", "contributing", "writer", "reporter", "editor", "published"}
    | {"correspondent", "contributor", "columnist", "updated", "last", "founder"}
    | {"co-founder", "ceo", "cto", "head", "lead", "expert", "consultant", "manager"}
    | {"director", "specialist", "attorney", "educator", "educators", "analyst"}
    | {"reviewed", "medically", "chief", "president", "editor-in-chief", "former"}
)
# A part that is only a month or a date ("Dec", "October 3") is not a name.
BYLINE_DATE_ONLY = re.compile(rf"{_MONTH}(?:\s+\d.*)?|\d[\d/.\- ]*", re.IGNORECASE)
# Template text that themes put where the author's name should be.
BYLINE_PLACEHOLDERS = frozenset(
    {"", "written by", "the author", "author", "undefined", "null", "none", "admin"}
    | {"updated", "published", "posted", "unknown", "anonymous", "guest", "editor"}
    | {"posted on", "about the author", "view more posts", "view all posts"}
    | {"webmaster", "site admin", "administrator"}
)
# A word that makes any name a CMS account, not a person ("NOC Admin", "Site
# Administrator").
ACCOUNT_WORDS = frozenset({"admin", "administrator", "webmaster"})
# A template's unfilled key ("page.head.extra.author") or a web address is no name,
# nor is an address spelt as words ("Www Facebook Com", "TopGear com", as
# trafilatura reads one). Each alternative starts only where its run of letters
# or of non-spaces starts: tried inside the run, a hostile run of 100,000
# letters took seconds.
BYLINE_NOT_A_NAME = re.compile(
    r"(?-i:(?<![a-z_])[a-z_]+(?:\.[a-z_]+){2,})|(?<!\S)\S*://\S*|\bwww\b.*"
    r"|^.*\s(?-i:com|org|net)$",
    re.IGNORECASE,
)
# Elements that name the author in the page itself (the first short one is used).
BYLINE_XPATH = etree.XPath("//a[@rel='author'] | //*[@itemprop='author']")
# The name inside an author's microdata (itemprop="author" itemscope): its text
# or, on a <meta>, its content. The whole element holds the person's card too
# ("KumikoGoingCrAzY 159 1 silver badge 6 bronze badges" on Stack Exchange).
MICRODATA_NAME = etree.XPath(".//*[@itemprop='name']")
# Scholarly metadata (the Highwire Press tags that Google Scholar reads) gives
# each author a tag of their own, often as "Lee, Ann": every one is read, joined
# with "; ", first name first.
LISTED_META = frozenset({"citation_author", "citation_authors"})
# Open Graph gives each author an article:author tag of their own: all are read.
EVERY_VALUE_META = frozenset({"article:author"})
# Longer "author" elements are author boxes with a biography, not a byline.
BYLINE_HINT_MAX_WORDS = 6
# Text nodes that may start a written byline ("By", "Written by", and the link to
# the author's archive: "All articles by", "More stories by"); the test that they
# do is BY_LINE_START.
_BY_TEXT_NODES = etree.XPath("//body//text()[contains(translate(., 'BY', 'by'), 'by')]")
# An author's box may say it in a sentence: "This post was written by Ann Lee,
# Head of Marketing" (its label counts as the one word "by").
_BY_SENTENCE_LEAD = (
    r"(?:this|the)\s+(?:blog\s+)?(?:post|article|piece|story|guide)\s+"
    r"(?:was|is)\s+(?:written|authored)\s+"
)
BY_SENTENCE = re.compile(rf"{_BY_SENTENCE_LEAD}by\b", re.IGNORECASE)
BY_LINE_START = re.compile(
    r"^\s*(?:(?:written|words|story|text|article|posted)\s+"
    r"|(?:(?:view|see)\s+)?(?:all|more)\s+(?:posts|articles|stories)\s+"
    rf"|{_BY_SENTENCE_LEAD})?by\b",
    re.IGNORECASE,
)
# A word of a byline element: punctuation alone ("." "," between links) is none.
_WORD = re.compile(r"\S*\w\S*")
# A byline element ("By Ann Lee · Review Editor · Updated March 5") is short.
BY_LINE_MAX_WORDS = 12
# A byline block that links each author and says a few words about them is at
# most this long ("Written by Ann Lee, six years covering ferries, …").
LINKED_BYLINE_WORDS = 50
# A team credited at the top, the person who wrote the piece at its foot ("By
# Harbour Desk Team" … "Written by Ann Lee"): a few "By" elements are read.
BY_LINES_READ = 3
# "<span>By</span><span>Ann Lee</span>": a label alone is read with its parent,
# this many levels up at most.
BY_LINE_LEVELS = 2
# Authors of comments, related stories (cards, teasers) and widgets are not the
# article's; an element inside one (this many levels up) is skipped. Nor are the
# customers quoted in testimonials, carousels and pricing tables ("billed
# annually" under a price, "Gregory, Trustpilot"): WCXB dev non-article pages
# credited 7 such, articles unchanged. A bare "review" is not among them: a
# review's byline is its author's.
FOREIGN_CONTAINER = re.compile(
    r"comment|related|widget|sidebar|footer|card|recommend|menu|dropdown|teaser"
    r"|testimonial|pricing|customer|quote|slider|carousel",
    re.I,
)
FOREIGN_LEVELS = 6
# Page builders name every block a widget: Elementor's "elementor-widget-wrap"
# and "elementor-widget-container" wrap the article's own text as much as a
# sidebar's; "elementor-widget-posts" is the widget "posts".
BUILDER_WIDGET = re.compile(r"\belementor-widget(?:-(?:wrap|container)\b|-|\b)", re.I)
# Elements that own the <footer> inside them (HTML's sectioning content and the
# body).
SECTIONING_TAGS = frozenset({"article", "section", "aside", "nav", "body"})
# An <h1> holding a declared title of at least MIN_INNER_WORDS words after at most
# MAX_EXTRA_WORDS of label or date is that title ("Blog: …", "Dec 18 2025 …").
MIN_INNER_WORDS = 2
MAX_EXTRA_WORDS = 5
# How a date line or byline printed after the headline inside its <h1> starts.
DATELINE_START = re.compile(
    r"(?:posted|published|updated|written|last\s+updated|by)\b", re.IGNORECASE
)
# Shorter parts of a title must equal the site name to be taken for it.
MIN_SITE_CHARS = 5
# A part containing the site's name ("DailyBugle.com", "Houstonia Magazine") is
# that name only when the name is at least this share of it: a headline that
# mentions the site ("Best Bugle Reader Offers" on bugle.example) is
# not the site's name.
MIN_SITE_SHARE = 0.5
# A web address's host ("dailybugle.com", "www.bugle.co.uk").
DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}", re.IGNORECASE)
# What a link aggregator prints after a headline inside its <h1>: the linked
# story's site in brackets, then the comment count ("… (example.com) 87").
SOURCE_TAG = re.compile(rf"\(\s*{DOMAIN.pattern}\s*\)(?:\s+\d+)?", re.IGNORECASE)
# The classes a blog theme gives a post's title ("entry-title", "post-title",
# "sa-post-title", "wp-block-post-title"): some themes print the headline in an
# <h2> or <h3> and keep <h1> for the blog's name.
POST_TITLE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:entry|post|article)[-_]title(?:\s|$)", re.I
)
# A site's name is a few words: a longer part the <title> adds to the og:title
# ("Rain returns - what it means for the farms") is the headline's own subtitle.
MAX_SITE_NAME_WORDS = 5
# Separators publishers put between the headline and the site name in <title>.
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|·|•|/|:)\s+")
# The same, and a colon after a blog's name ("Bugle Blog: Rain returns"), where
# the <title> is read beside a declared title it repeats.
SITE_PREFIX_SEPARATORS = re.compile(rf"{TITLE_SEPARATORS.pattern}|:\s+")


@dataclass
class PageMetadata:
    """Everything the page says about itself outside the body text."""

    meta: dict[str, str] = field(default_factory=dict)
    jsonld: dict[str, Any] = field(default_factory=dict)
    html_title: str = ""
    headings: list[str] = field(default_factory=list)  # every <h1>, in order
    # Headings of another level that a blog theme marks as a post's title
    # (class "entry-title", "post-title"), in order.
    titled: list[str] = field(default_factory=list)
    byline_hint: str = ""  # the text of a rel="author" / itemprop="author" element
    # The first few short elements of the page that start with "By", in order.
    by_lines: tuple[str, ...] = ()
    canonical: str = ""
    lang: str = ""


def _iter_jsonld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _iter_jsonld_objects(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _iter_jsonld_objects(value["@graph"])
        if isinstance(value.get("mainEntity"), dict | list):
            yield from _iter_jsonld_objects(value["mainEntity"])


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _article_jsonld(tree: lxml_html.HtmlElement) -> dict[str, Any]:
    """Return the JSON-LD object describing the article (non-WebPage types first),
    its authors given by reference resolved."""
    best: dict[str, Any] = {}
    found = False  # an article type besides WebPage: the search is over
    people: dict[str, dict[str, Any]] = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = script.text or ""
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            # RecursionError: nested past Python's limit ({"a":{"a":… 2,000 deep).
            log.debug("Skipping unreadable JSON-LD block", extra={"chars": len(raw)})
            continue
        for obj in _iter_jsonld_objects(data):
            if isinstance(obj.get("@id"), str) and "person" in _types(obj):
                people.setdefault(obj["@id"], obj)
            kinds = _types(obj) & ARTICLE_TYPES
            if kinds and not found and (kinds != {"webpage"} or not best):
                best, found = obj, kinds != {"webpage"}
    return _with_authors_resolved(best, people) if best else best


def _with_authors_resolved(
    article: dict[str, Any], people: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The article with each author given only by reference ({"@id": …}, as SEO
    plugins write a graph) replaced by the Person of that @id. A reference to an
    Organization is left unread: plugins point the author at the publisher when
    the site names no person."""
    # Dublin Core's "creator" stands for the author where none is given.
    authors = article.get("author") or article.get("creator")
    if not isinstance(authors, dict | list):
        return {**article, "author": authors} if authors else article
    listed = authors if isinstance(authors, list) else [authors]
    resolved = [
        people.get(author["@id"], author)
        if isinstance(author, dict)
        and isinstance(author.get("@id"), str)
        and not author.get("name")
        else author
        for author in listed
    ]
    return {**article, "author": resolved}


# A lower-case letter and a capital that meet where one element's text ends.
_GLUED = re.compile(r"[a-z][A-Z]")


def element_text(element: Any) -> str:
    """An element's text with a space for each <br> ("Weekend<br>Coding"), and
    between a child element and the text it runs into when a word would turn to
    a capital there: a subtitle set on a line of its own by the style sheet ("The
    Best Notion Alternatives<span class=block>Top Note-taking Tools</span>")."""
    parts: list[str] = []

    def add(piece: str) -> None:
        if piece and parts and _GLUED.match(parts[-1][-1:] + piece[:1]):
            parts.append(" ")
        parts.append(piece)

    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            if event == "start" and node.tail:  # a comment: only its tail is text
                parts.append(node.tail)
            continue
        if event == "start":
            if node.tag == "br":
                parts.append(" ")
            else:
                add(node.text or "")
        elif node is not element and node.tail:
            add(node.tail)
    return clean_text("".join(parts))


def read_metadata(tree: lxml_html.HtmlElement, url: str | None) -> PageMetadata:
    """Collect meta tags (first value wins; every author of a scholarly listing),
    JSON-LD, <title>, <h1>s, canonical."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = (element.get("content") or "").strip()
        if not (key and content):
            continue
        key = key.strip().lower()
        if key in LISTED_META:
            content = _first_name_first(content)
            meta[key] = f"{meta[key]}; {content}" if key in meta else content
        elif key in EVERY_VALUE_META and key in meta and "://" not in content:
            # One tag per author; a profile link among them is no name.
            meta[key] = content if "://" in meta[key] else f"{meta[key]}; {content}"
        else:
            meta.setdefault(key, content)
    title_el = tree.find(".//title")
    html_title = plain_text(title_el.text_content()) if title_el is not None else ""
    headings = [element_text(h) for h in tree.iter("h1")]
    headings = [h for h in headings if 0 < len(h) <= MAX_HEADLINE_CHARS]
    titled = [
        element_text(e)
        for e in tree.iter("h2", "h3")
        if POST_TITLE_CLASS.search(e.get("class") or "")
    ]
    titled = [t for t in titled if 0 < len(t) <= MAX_HEADLINE_CHARS]
    canonical = ""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            canonical = link.get("href", "").strip()
            break
    canonical = canonical or meta.get("og:url", "")
    if canonical:
        canonical = join_url(url, canonical)
    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("og:locale", "")
    lang = lang or meta.get("content-language", "") or meta.get("language", "")
    byline_hint = ""
    for element in BYLINE_XPATH(tree):
        text = clean_text(element.text_content())
        # An author the page does not show (only <meta> inside) is another
        # post's, on a card in a list of posts.
        text = text and (_microdata_name(element) or text)
        if 0 < len(text.split()) <= BYLINE_HINT_MAX_WORDS:
            byline_hint = text
            break
    return PageMetadata(
        byline_hint=byline_hint,
        by_lines=_by_lines(tree),
        meta=meta,
        jsonld=_article_jsonld(tree),
        html_title=html_title,
        headings=headings,
        titled=titled,
        canonical=canonical,
        lang=lang,
    )


def _first_name_first(name: str) -> str:
    """ "Lee, Ann" → "Ann Lee"; a name without one comma is kept as it is."""
    last, comma, first = name.partition(",")
    if not comma or "," in first:
        return name
    return f"{first.strip()} {last.strip()}"


def in_foreign(element: Any) -> bool:
    """True for an element inside page furniture that carries other bylines:
    comments, related stories, cards, widgets, sidebars, footers, navigation."""
    for level, node in enumerate((element, *element.iterancestors())):
        if level > FOREIGN_LEVELS:
            return False
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        names = BUILDER_WIDGET.sub(" ", names)
        if node.tag in ("aside", "nav") or FOREIGN_CONTAINER.search(names):
            return True
        if node.tag == "footer" and not _footer_of_article(node):
            return True
    return False


def _footer_of_article(footer: Any) -> bool:
    """True for a <footer> whose nearest sectioning element is an <article>: HTML
    gives such a footer to its article ("Posted by Ann Lee on …"), where the
    page's own footer carries the site's links."""
    for ancestor in footer.iterancestors():
        if ancestor.tag in SECTIONING_TAGS:
            return ancestor.tag == "article"
    return False


def _by_lines(tree: lxml_html.HtmlElement) -> tuple[str, ...]:
    """The texts of the first short elements that start with "By" (or "Written
    by"), outside furniture, figures and headings: the byline as the page shows
    it, wherever the theme put it (above the headline, under the lead picture,
    beside the author's photo, after the last paragraph).

    Each of its pieces is a line of its own ("<span>By</span><span>Ann Lee</span>"
    is "By", "Ann Lee"), so a name stops where its link or element ends ("By
    <a>Ann Lee</a> Read The Print Issue").
    """
    found: list[str] = []
    for node in _BY_TEXT_NODES(tree):
        if not BY_LINE_START.match(node):
            continue
        element, text = _label_line(node, LINKED_BYLINE_WORDS, _holds_more_than_by)
        if text is None:  # too long for a byline, and its containers longer
            continue
        if element is not None and _byline_words(text) > BY_LINE_MAX_WORDS:
            text = _linked_byline(node, element, text)
        words = _byline_words(text)
        if element is None or not (
            1 < words <= BY_LINE_MAX_WORDS or _lists_names(text)
        ):
            continue
        # "<em>Salt Roads</em> by Ida Varn": a book's "by", not a byline.
        if not BY_LINE_START.match(text):
            continue
        if any(
            node.tag in ("figure", "figcaption", "h1", "script", "style")
            for node in (element, *element.iterancestors())
        ) or in_foreign(element):
            continue
        if text not in found:
            found.append(text)
            if len(found) == BY_LINES_READ:
                break
    return tuple(found)


def _holds_more_than_by(text: str) -> bool:
    return len(text.split()) > 1 and not BY_LINE_START.fullmatch(
        clean_text(text).rstrip(":")
    )


def _holds_a_date(text: str) -> bool:
    return TEXT_DATE.search(text) is not None


def _label_line(
    node: Any, max_words: int, complete: Callable[[str], bool]
) -> tuple[Any, str | None]:
    """The element whose text is the line a label's text ``node`` opens, and that
    text: the label's own element, or its container up to :data:`BY_LINE_LEVELS`
    up until ``complete`` says the text holds what the label labels ("<span>By
    </span><a>Ann Lee</a>"). The text is None when an element holds more than
    ``max_words`` words."""
    element = node.getparent()
    if node.is_tail:
        element = element.getparent()
    text: str | None = ""
    for _ in range(BY_LINE_LEVELS + 1):
        if element is None:
            break
        text = _lines_up_to(element, max_words)
        if text is None or complete(text):
            break
        element = element.getparent()
    return element, text


def _lines_up_to(element: Any, max_words: int) -> str | None:
    """The element's text pieces, a line each, or None as soon as they hold more
    than ``max_words`` words: a page of a thousand "Written by" labels in one
    container would otherwise read the container's whole text a thousand times."""
    lines: list[str] = []
    words = 0
    for piece in element.itertext():
        line = clean_text(piece)
        if line:
            words += _word_count(line)
            if words > max_words:
                return None
            lines.append(line)
    return "\n".join(lines)


def _linked_byline(label: str, element: Any, text: str) -> str:
    """ "Written by Ann Lee, Bo Ek" from a byline block that sets its label apart
    and links each author, a few words about them after the link ("<b>Written
    by</b> <a>Ann Lee</a>, six years covering ferries <a>Bo Ek</a>, editor"), or
    ``text`` unchanged: such a block is too long to be read as a "By" line."""
    label = clean_text(label).rstrip(": ")
    if not BY_LINE_START.fullmatch(label) or _word_count(text) > LINKED_BYLINE_WORDS:
        return text
    names: list[str] = []
    for link in element.iter("a"):
        name = clean_text(link.text_content())
        if PERSON_NAME.fullmatch(name) and name not in names:
            names.append(name)
    return f"{label} {', '.join(names)}" if names else text


def _lists_names(by_line: str) -> bool:
    """True for a "By" line that names people only, however many ("Written by Dr
    Marna van der Merwe, Dr Dieter Veldsman, Erik van Vulpen")."""
    label = BY_LINE_START.match(by_line)
    names = " ".join(by_line[label.end() :].split()).strip(" :") if label else ""
    return (
        _word_count(names) <= LINKED_BYLINE_WORDS
        and NAME_LIST.fullmatch(names) is not None
    )


def _byline_words(text: str) -> int:
    return _word_count(BY_SENTENCE.sub("by", text, count=1))


def _word_count(text: str) -> int:
    """Words in ``text``; the stops and commas between links are none ("Tags:
    <a>ferries</a>, <a>fares</a>.")."""
    return len(_WORD.findall(text))


def language_code(value: str) -> str:
    """Return the primary language subtag in lower case: ``en-GB`` → ``en``."""
    primary = re.split(r"[-_\s,;]", value.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""


# A name is a string, a list of them or a Person; lists of lists 900 deep are a
# hostile page's, and would exhaust the stack of a walk that follows them all.
JSONLD_MAX_DEPTH = 12


def _jsonld_text(value: Any, depth: int = 0) -> str:
    if depth > JSONLD_MAX_DEPTH:
        return ""
    if isinstance(value, dict):
        # A Person may be given by its parts only ("givenName", "familyName").
        name = value.get("name") or " ".join(
            str(value[key]) for key in ("givenName", "familyName") if value.get(key)
        )
        # Some plugins write the name as a list of one (["Ann Lee"]).
        if isinstance(name, list):
            return _jsonld_text(name, depth + 1)
        return plain_text(str(name))
    if isinstance(value, list):
        names = [_jsonld_text(item, depth + 1) for item in value]
        return ", ".join(name for name in names if name)
    return plain_text(str(value)) if value else ""


def jsonld_author(page: PageMetadata) -> str:
    """The author name(s) from JSON-LD, comma separated; organisations are skipped
    (they name the publisher, not who wrote the piece)."""
    authors = page.jsonld.get("author")
    authors = authors if isinstance(authors, list) else [authors]
    people = [
        a for a in authors if not (isinstance(a, dict) and "organization" in _types(a))
    ]
    return _jsonld_text(people)


def _without_role(name: str) -> str:
    words = name.split()
    for index in range(2, len(words)):
        if words[index].strip(",").lower() in BYLINE_ROLE_WORDS:
            return " ".join(words[:index]).strip(" ,;:|-–—")
    return name


def clean_byline(value: str | None) -> str:
    """Tidy an author string: drop "By"/"Author" labels, reviewers, trailing dates,
    job titles, placeholders ("Written By", "undefined"), and join several names
    with ", "."""
    names: list[str] = []
    text = BYLINE_LEAD_IN.sub("", BYLINE_HANDLE.sub("", plain_text(value)))
    parts = BYLINE_SPLIT.split(text)
    for part in parts:
        part = BYLINE_LABEL.sub("", part).strip()
        reviewer = BYLINE_REVIEWER.search(part)
        # "Reporting by Ann Lee; Editing by Bo Ek": the editor's part goes whole.
        if reviewer and (reviewer.start() > 0 or len(parts) > 1):
            part = part[: reviewer.start()]
        titles = _joined_titles(part)
        for index, piece in enumerate(BYLINE_NAMES_SPLIT.split(part)):
            if piece in titles:
                continue
            name = BYLINE_DATE_TAIL.sub("", piece).strip(" ,;:|-–—©")
            # "Mira and Tom": after a first name alone, first names follow.
            first_names = bool(names) and FIRST_NAME.fullmatch(names[0]) is not None
            if (index > 0 or names) and not _person_like(name, first_names):
                continue
            name = _without_role(name)
            if BYLINE_DATE_ONLY.fullmatch(name):
                continue
            name = BYLINE_NOT_A_NAME.sub("", name).strip(" ,;:|-–—")
            name = _without_full_stop(name)
            key = comparable(name)
            placeholder = key in BYLINE_PLACEHOLDERS or bool(
                ACCOUNT_WORDS.intersection(key.split())
            )
            if name and not placeholder and name not in names:
                names.append(name)
    return ", ".join(names)


def _without_full_stop(name: str) -> str:
    stop = SENTENCE_STOP.search(name)
    if stop and stop.group(1).lower() not in ABBREVIATIONS:
        return name[: stop.end() - 1]
    return name


def _joined_titles(part: str) -> set[str]:
    """The pieces of a job title that joins two with "&" or "and" after a name
    ("Ann Lee, Master Gardener & Garden Educator"): when one of them is a title
    (a job's word among its first two words), its partners are too."""
    titles: set[str] = set()
    for group in BYLINE_COMMA.split(part)[1:]:
        pieces = BYLINE_JOINED.split(group)
        if len(pieces) > 1 and any(
            word.lower() in BYLINE_ROLE_WORDS
            for piece in pieces
            for word in piece.split()[:2]
        ):
            titles.update(pieces)
    return titles


def _person_like(name: str, first_names: bool = False) -> bool:
    """True for a name shaped like a person's: two to four capitalised words, or
    one when the byline names people by their first names."""
    if not PERSON_NAME.fullmatch(name) and not (
        first_names and FIRST_NAME.fullmatch(name)
    ):
        return False
    return not any(word.lower() in BYLINE_ROLE_WORDS for word in name.split())


def jsonld_publisher(page: PageMetadata) -> str:
    """The publisher name from JSON-LD."""
    return _jsonld_text(page.jsonld.get("publisher"))


def jsonld_image(page: PageMetadata) -> str:
    """The first image URL named in the article's JSON-LD."""
    value = page.jsonld.get("image")
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl") or ""
    return value.strip() if isinstance(value, str) else ""


def parse_datetime(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or date-time; naive values are taken as UTC."""
    parsed = dates.parse_datetime(value)
    return parsed[0] if parsed else None


# Meta tags naming the publication (name or property, lower case), most common first.
META_PUBLISHED = (
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish_date",
    "publish-date",
    "published-date",
    "published_date",
    "publication_date",
    "pubdate",
    "published",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:publishtime",
    "og:publish_date",
    "citation_publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
)
META_MODIFIED = (
    "article:modified_time",
    "og:updated_time",
    "og:article:modified_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
)
# Other CMSs' names for the same fields ("w-published-date", "published_at",
# "cdc:first_published", "lastmodifieddate"), letters only, by their endings.
META_PUBLISHED_ENDINGS = (
    "publisheddate",
    "publishdate",
    "publishedtime",
    "publishtime",
    "publishedat",
    "datepublished",
    "firstpublished",
    "pubdate",
    "datepub",
)
META_MODIFIED_ENDINGS = (
    "modifieddate",
    "modifiedtime",
    "datemodified",
    "lastmodified",
    "updateddate",
    "updatedtime",
    "updatedat",
    "lastupdated",
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAME = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
# Dates as bylines write them: "March 5, 2024", "5 March 2024", "2024-03-05",
# "05/03/2024" (only when the day cannot be the month), "05.03.2024" (day first),
# "2024.03.05" or "2024/03/05" (year first, then always month and day). A written
# month's year may run into the next element's word ("April 26, 2024Updated on:",
# two <time>s with no space between).
TEXT_DATE = re.compile(
    rf"\b{_MONTH_NAME}\s+{_ORDINAL},?\s+(\d{{4}})(?!\d)"
    rf"|\b{_ORDINAL}\s+{_MONTH_NAME},?\s+(\d{{4}})(?!\d)"
    r"|\b(\d{4})-(\d{2})-(\d{2})(?:\b|(?=T\d))"
    r"|\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
    r"|\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"
    r"|\b(\d{4})([./])(\d{1,2})\17(\d{1,2})\b",
    re.IGNORECASE,
)
# Words just before a date that say it is the piece's own: a date so labelled is
# read further from the headline than an unlabelled one.
DATE_LABEL = re.compile(
    r"(?:published|posted|updated|modified)\W*(?:on|at)?\W*$", re.IGNORECASE
)
# Words just before a date that make it an update, not the publication.
UPDATE_LABEL = re.compile(
    r"(?:updated|modified|revised|reviewed|edited|refreshed)\W*(?:on|at)?\W*$",
    re.IGNORECASE,
)
LABEL_CHARS = 30
# A date the update's label follows is the publication it updates ("December 3,
# 2025. Updated: December 7, 2025", "2 May 2025 (updated 9 May)").
BEFORE_UPDATE_LABEL = re.compile(
    r"\W{0,3}\s*(?:last\s+)?(?:updated|modified|revised)\b", re.IGNORECASE
)
# A page that re-dates its byline on every revision may still say when the piece
# first went out ("This article was originally published on 26 Sep 2019 at 4:12pm
# but has been regularly updated", "Originally Posted November 12, 2024"): that
# is the publication, wherever the page says it. ("First published" is not read:
# reviews say it of the books and records they review.)
ORIGINALLY_PUBLISHED = re.compile(
    r"\boriginally\s+(?:published|posted)\W{0,3}(?:on|in)?\W{0,3}", re.IGNORECASE
)
# The byline's date sits just after the headline: this much text after the <h1>
# is searched (a longer reach finds dates quoted in the article).
BYLINE_WINDOW_CHARS = 300
# Many templates put the date line just above the headline instead, after the
# section label ("Nutrition  March 1, 2024", "Back to blog  Dec 12, 2025  4 min
# read"); further up are menus and lists of other posts with their own dates.
ABOVE_HEADLINE_CHARS = 80
# A captioned lead image or a standfirst can push the byline past
# BYLINE_WINDOW_CHARS; a date labelled "Published" or "Updated" is still read up to
# this far after the headline.
LABELLED_WINDOW_CHARS = 1000
# A byline or date line is short ("By Ann Lee | Mar 11, 2023 | Brakes", at most
# about 120 characters); a date in a longer line is in a sentence of the article
# ("My story begins on Friday, November 7, 2025, when..."), an event it reports.
DATELINE_MAX_CHARS = 150
# Elements that do not break a line of text.
INLINE_TAGS = frozenset(
    {"a", "span", "b", "strong", "em", "i", "u", "small", "abbr", "time", "sup"}
    | {"sub", "mark", "cite", "font", "bdi"}
)
# A meta value written as text is one date and perhaps its weekday and time
# ("Thu, 09/25/2025 - 11:38"); a longer value is a sentence, not a date field.
META_WRITTEN_MAX_CHARS = 40
URL_DATE = re.compile(r"/(\d{4})[/-](\d{2})[/-](\d{2})(?:[/-]|$)")
_TIME_ELEMENTS = etree.XPath("//time[@datetime] | //*[@itemprop][@datetime]")


def _text_date(
    match: re.Match[str], declared: Collection[date] = frozenset()
) -> date | None:
    """The day a :data:`TEXT_DATE` match writes. "05/03/2024" and "05.03.2024"
    name two days: the one among ``declared`` (the page's metadata) is the order
    the page writes; without it, slashes are read only when the day cannot be the
    month, and dots day first."""
    g = match.groups()
    try:
        if g[0]:
            return date(int(g[2]), _MONTHS[g[0].lower()], int(g[1]))
        if g[4]:
            return date(int(g[5]), _MONTHS[g[4].lower()], int(g[3]))
        if g[6]:
            return date(int(g[6]), int(g[7]), int(g[8]))
        if g[9]:
            year, first, second = int(g[11]), int(g[9]), int(g[10])
            return _numeric_date(year, first, second, declared, day_first=False)
        if g[12]:
            year, first, second = int(g[14]), int(g[12]), int(g[13])
            return _numeric_date(year, first, second, declared, day_first=True)
        if g[15]:
            return date(int(g[15]), int(g[17]), int(g[18]))
    except (ValueError, KeyError):
        return None
    return None


def _numeric_date(
    year: int, first: int, second: int, declared: Collection[date], *, day_first: bool
) -> date | None:
    """The day "first/second/year" writes. When both orders name a day, a
    declared day settles which (a page writing "09.10.2024" whose metadata says
    September 10 writes month first); else day first when ``day_first``, and no
    date when the order cannot be told."""
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    if len(set(readings)) < 2:
        return readings[0] if readings else None
    named = [reading for reading in readings if reading in declared]
    if len(named) == 1:
        return named[0]
    return readings[0] if day_first else None


def text_dates(
    text: str,
    *,
    labelled_beyond: int | None = None,
    datelines_only: bool = False,
    declared: Collection[date] = frozenset(),
) -> list[tuple[date, str]]:
    """Dates written in ``text``, each with its kind (published, or modified when an
    "Updated"-like word precedes it). With ``labelled_beyond``, only the dates
    ending past that many characters that a "Published", "Posted" or
    "Updated"-like word precedes, or an "Updated" label follows (the publication
    it updates); with ``datelines_only``, only the dates on a
    line of at most :data:`DATELINE_MAX_CHARS`. ``declared`` days settle the
    order of day and month in numeric dates."""
    found = []
    for match in TEXT_DATE.finditer(text):
        value = _text_date(match, declared)
        if value is None:
            continue
        if datelines_only and _line_length(text, match) > DATELINE_MAX_CHARS:
            continue
        before = text[max(0, match.start() - LABEL_CHARS) : match.start()]
        if labelled_beyond is not None and (
            match.end() <= labelled_beyond
            or not (
                DATE_LABEL.search(before)
                or BEFORE_UPDATE_LABEL.match(text, match.end())
            )
        ):
            continue
        kind = dates.Kind.MODIFIED if UPDATE_LABEL.search(before) else "published"
        found.append((value, kind))
    return found


# Elements whose text a browser never shows.
UNSHOWN_TAGS = frozenset({"script", "style", "noscript", "template"})
# The text a reader sees: not the text of scripts (JSON-LD, analytics configs full
# of ISO dates), styles or templates. (A parent test, not an ancestor one: twice
# as fast, and these elements hold text, not markup.)
_SHOWN_TEXT = etree.XPath(
    "//body//text()[not(parent::script or parent::style or parent::template)]"
)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
# Every date TEXT_DATE reads holds a four-digit year with at most this many
# characters of it before the year ("September 30th, 2025") and after it
# ("2025-09-30"), once runs of white space are one space.
_BEFORE_YEAR, _AFTER_YEAR = 30, 12
# The window around a year widens to whole words, but not past this many characters:
# a longer "word" is code or data shown as text (a JSON blob of 89,000 characters
# holding hundreds of numbers), and reading it whole for each number took seconds.
_LONGEST_WORD = 40


def shown_text(tree: lxml_html.HtmlElement) -> str:
    """The page's visible text, its text nodes joined by one space."""
    return " ".join(" ".join(_SHOWN_TEXT(tree)).split())


def shown_dates(text: str) -> frozenset[date]:
    """Every day written anywhere in the page's visible ``text`` (:func:`shown_text`),
    whatever its label.

    Text nodes are joined with a space (by shown_text) so that "Get started" and
    "December 17, 2025" in two elements do not run together into one word the
    pattern misses. The pattern runs only around four-digit numbers (not inside
    longer ones), not along the whole text: a page's text is long and its dates
    few; and only a few dozen characters around each (:data:`_LONGEST_WORD`).
    """
    days = set()
    for year in _YEAR.finditer(text):
        before, after = year.start() - _BEFORE_YEAR, year.end() + _AFTER_YEAR
        lowest = max(0, before - _LONGEST_WORD)
        start = text.rfind(" ", lowest, max(0, before)) + 1 or lowest
        end = text.find(" ", after, after + _LONGEST_WORD)
        stop = end if end >= 0 else after + _LONGEST_WORD
        for match in TEXT_DATE.finditer(text, start, stop):
            day = _text_date(match)
            if day is not None:
                days.add(day)
    return frozenset(days)


def _line_length(text: str, match: re.Match[str]) -> int:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return (len(text) if end < 0 else end) - start


@dataclass(frozen=True)
class BylineWindow:
    """The page just after the headline: its text, and its ``<time>`` elements as
    ``(datetime attribute, kind)``; ``above`` is the text just above the headline
    (at most :data:`ABOVE_HEADLINE_CHARS`)."""

    text: str = ""
    times: tuple[tuple[str, str], ...] = ()
    above: str = ""
    reach: str = ""  # ``text`` and what follows, up to LABELLED_WINDOW_CHARS
    # The datetime of each <time> element in ``above`` (a date line set above
    # the headline: "<time datetime=…>10/12/2023 7:38 PM</time>").
    above_times: tuple[str, ...] = ()


def byline_window(tree: lxml_html.HtmlElement, heading: Any) -> BylineWindow:
    """Read the text (and ``<time>`` elements) just after ``heading``, in document
    order, up to :data:`BYLINE_WINDOW_CHARS`; block elements end a line, so a
    name is never run into the next element's words. The text just above the
    heading (outside it) is kept too, up to :data:`ABOVE_HEADLINE_CHARS`, and the
    text after it up to :data:`LABELLED_WINDOW_CHARS`, where only labelled dates
    are read."""
    if heading is None:
        return BylineWindow()
    parts: list[str] = []
    times: list[tuple[str, str]] = []
    # Each piece holds a character at least: this many pieces hold the text wanted.
    above: deque[str] = deque(maxlen=ABOVE_HEADLINE_CHARS)
    # <time> elements above the heading, with the characters of text before them.
    above_times: list[tuple[str, int]] = []
    above_chars = 0
    size = 0
    position = "above"
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if element is heading:
            position = "after" if event == "end" else "inside"
            if position == "after" and element.tail:
                parts.append(element.tail)
            continue
        if position == "inside" or not isinstance(element.tag, str):
            continue
        if element.tag in UNSHOWN_TAGS:
            continue
        if position == "above":
            if event == "start" and element.tag == "time" and element.get("datetime"):
                above_times.append((element.get("datetime", ""), above_chars))
            piece = element.text if event == "start" else element.tail
            if piece and piece.strip():
                above.append(piece)
                above_chars += len(piece.strip())
            continue
        if (
            event == "start"
            and element.tag == "time"
            and element.get("datetime")
            and size <= BYLINE_WINDOW_CHARS
        ):
            names = (element.get("class") or "").lower()
            modified = (
                "updated" in names and "published" not in names
            ) or "modified" in names
            kind = dates.Kind.MODIFIED if modified else dates.Kind.PUBLISHED
            times.append((element.get("datetime", ""), kind))
        if element.tag not in INLINE_TAGS:
            parts.append("\n")
        piece = element.text if event == "start" else element.tail
        if piece and piece.strip():
            parts.append(piece)
            size += len(piece.strip())
            if size > LABELLED_WINDOW_CHARS:
                break
        elif piece:
            # "<a>Shivkumar M</a> <span>Head of…": the space between two inline
            # elements keeps their words apart.
            parts.append(" ")
    lines = (clean_text(line) for line in "".join(parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    above_text = clean_text(" ".join(above))[-ABOVE_HEADLINE_CHARS:]
    return BylineWindow(
        text=text[:BYLINE_WINDOW_CHARS],
        times=tuple(times),
        above=above_text,
        above_times=tuple(
            raw
            for raw, before in above_times
            if above_chars - before <= ABOVE_HEADLINE_CHARS
        ),
        reach=text[:LABELLED_WINDOW_CHARS],
    )


def page_date_candidates(
    tree: lxml_html.HtmlElement,
    page: PageMetadata,
    url: str | None,
    window: BylineWindow | None = None,
    text: str = "",
) -> list[dates.DateCandidate | None]:
    """Every date the page gives, named by where it was read; ``text`` is the
    page's visible text (:func:`shown_text`), searched for the day the page says
    the piece was originally published."""
    found: list[dates.DateCandidate | None] = [
        dates.candidate("page:originally", original_publication(text))
    ]
    ld = page.jsonld
    for key, kind in (
        ("datePublished", dates.Kind.PUBLISHED),
        ("dateCreated", dates.Kind.PUBLISHED),
        ("dateModified", dates.Kind.MODIFIED),
    ):
        raw = _jsonld_scalar(ld.get(key))
        found.append(dates.candidate(f"jsonld:{key}", raw, kind))
    found.append(
        meta_date_candidate(
            "meta:article:published_time", page.meta.get("article:published_time")
        )
    )
    for key in META_PUBLISHED:
        found.append(meta_date_candidate(f"meta:{key}", page.meta.get(key)))
    for key in META_MODIFIED:
        found.append(
            meta_date_candidate(f"meta:{key}", page.meta.get(key), dates.Kind.MODIFIED)
        )
    for key, content in page.meta.items():
        if key in META_PUBLISHED or key in META_MODIFIED:
            continue
        folded = re.sub(r"[^a-z]", "", key)
        if folded.endswith(META_PUBLISHED_ENDINGS):
            found.append(meta_date_candidate(f"meta:{key}", content))
        elif folded.endswith(META_MODIFIED_ENDINGS):
            found.append(
                meta_date_candidate(f"meta:{key}", content, dates.Kind.MODIFIED)
            )
    for element in _TIME_ELEMENTS(tree):
        prop = (element.get("itemprop") or "").strip()
        if prop in ("datePublished", "dateModified"):
            kind = "published" if prop == "datePublished" else dates.Kind.MODIFIED
            found.append(dates.candidate(f"time:{prop}", element.get("datetime"), kind))
    if window is not None:
        declared = {c.value.date() for c in found if c is not None}
        for raw, kind in window.times:
            found.append(dates.candidate("byline:time", raw, kind))
        for value, kind in text_dates(
            window.text, datelines_only=True, declared=declared
        ):
            found.append(dates.candidate("byline:text", value, kind))
        for raw in window.above_times:
            found.append(dates.candidate("byline:above", raw))
        for value, kind in text_dates(window.above, declared=declared):
            found.append(dates.candidate("byline:above", value, kind))
        beyond = len(window.text)
        for value, kind in text_dates(
            window.reach, labelled_beyond=beyond, datelines_only=True, declared=declared
        ):
            found.append(dates.candidate("byline:labelled", value, kind))
    labelled = labelled_page_dates(tree, text or None)
    kinds = [kind for _, kind in labelled]
    # Two days labelled "Published" (or two "Updated") are a list of posts or of
    # versions, not this piece's dates.
    if len(set(kinds)) == len(kinds):
        for value, kind in labelled:
            found.append(dates.candidate("page:labelled", value, kind))
    match = URL_DATE.search(url_part(url or page.canonical, "path"))
    if match:
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            day = None
        found.append(dates.candidate("url", day))
    return found


# Text nodes that may hold a date label ("Published", "Posted on", "Last updated:"):
# short, so a paragraph quoting one is not read. (contains() on the two cases
# costs a third of translate()-folding every text node of the page.)
_LABELLED_DATE_NODES = etree.XPath(
    "//body//text()[contains(., 'ublished') or contains(., 'osted')"
    " or contains(., 'pdated') or contains(., 'UBLISHED') or contains(., 'OSTED')"
    " or contains(., 'PDATED')][string-length() < 120]"
)
# A line that opens with its label. ("First published" is not among them: reviews
# say it of the books and records they review.)
PAGE_DATE_LABEL = re.compile(
    r"\s*(?:date\s+|last\s+)?(?:published|posted|updated)\b", re.IGNORECASE
)
UPDATE_LABEL_START = re.compile(r"\s*(?:last\s+)?updated\b", re.IGNORECASE)
_DATE_LABEL_WORD = re.compile(r"published|posted|updated", re.IGNORECASE)
# A labelled date line is a few words ("Published on Monday, August 13, 2025 at
# 10:15 am"); and the first few labels on a page are enough.
PAGE_LABEL_WORDS = 16
LONGEST_DATE_CHARS = 30  # "September 30th, 2025", with room to spare
PAGE_LABELS_READ = 20


def labelled_page_dates(
    tree: lxml_html.HtmlElement, text: str | None = None
) -> list[tuple[date, str]]:
    """Dates the page labels as its own anywhere ("Published August 13, 2025" under
    the article, "Last updated: November 13, 2025" at the foot of the page),
    outside comments, related stories and other furniture, each with its kind
    (published, or modified). ``text``, the page's visible text when known,
    spares the search of a page that writes no labelled date."""
    found: list[tuple[date, str]] = []
    # (A labelled date starts at most LABEL_CHARS after its label and is at most
    # LONGEST_DATE_CHARS long.)
    if text is not None and not any(
        TEXT_DATE.search(
            text, label.end(), label.end() + LABEL_CHARS + LONGEST_DATE_CHARS
        )
        for label in _DATE_LABEL_WORD.finditer(text)
    ):
        return found
    for index, node in enumerate(_LABELLED_DATE_NODES(tree)):
        if index >= PAGE_LABELS_READ:
            break
        if not PAGE_DATE_LABEL.match(node):
            continue
        # "<span>Published</span> <time>August 13, 2025</time>"
        element, line = _label_line(node, PAGE_LABEL_WORDS, _holds_a_date)
        if not line or element is None or in_foreign(element):
            continue
        parent = element.getparent()
        if UPDATE_LABEL_START.match(node) and parent is not None:
            # "<p>December 3, 2025. <i>Updated: December 7, 2025</i></p>": the
            # update's line may follow the publication it updates.
            line = _lines_up_to(parent, PAGE_LABEL_WORDS) or line
        for value, kind in text_dates(clean_text(line), labelled_beyond=0):
            if (value, kind) not in found:
                found.append((value, kind))
    return found


def original_publication(text: str) -> date | None:
    """The first day ``text`` says the piece was "originally published" on."""
    for label in ORIGINALLY_PUBLISHED.finditer(text):
        match = TEXT_DATE.match(text, label.end())
        day = _text_date(match) if match else None
        if day is not None:
            return day
    return None


def meta_date_candidate(
    source: str, raw: str | None, kind: str = dates.Kind.PUBLISHED
) -> dates.DateCandidate | None:
    """A date from a meta tag: ISO 8601, RFC 2822 or epoch seconds, else one
    written the way bylines write it. Meta tags have no set format and some CMSs
    fill them with the text they print ("July 17, 2025", "Dec 19th 2025",
    "2025/12/18"); such a value holds the day only. (JSON-LD is not read so:
    schema.org asks for ISO 8601, and the written JSON-LD dates seen were
    template stamps, the same day for publication and update; WCXB dev, odd
    ids, 3 pages lost.)"""
    found = dates.candidate(source, raw, kind)
    if found is not None or not raw or len(raw) > META_WRITTEN_MAX_CHARS:
        return found
    written = {value for value, _ in text_dates(raw)}
    if len(written) != 1:
        return None
    return dates.candidate(source, written.pop(), kind)


def _jsonld_scalar(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _strip_site(title: str, site_names: list[str]) -> str:
    """Drop a leading or trailing " | Site" part when it names the site."""
    names = {comparable(name) for name in site_names if name}
    names.discard("")
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        # "dailybugle.com Rain returns": the site's address before the headline,
        # with no separator.
        first, _, rest = title.partition(" ")
        if rest and DOMAIN.fullmatch(first) and _names_site(first, names):
            return rest
        return title
    while len(parts) > 1 and _names_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _names_site(parts[0], names):
        parts.pop(0)
    if len(parts) == len(TITLE_SEPARATORS.split(title)):
        return title
    # Re-cut the original string so the separators inside the headline survive.
    kept = " ".join(parts)
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if start >= 0 and end > start else kept


def host_label(host: str) -> str:
    """The site's name as its host spells it: "www.dailybugle.com" → "dailybugle"
    (the "www." and the top-level domain name no site)."""
    return re.sub(r"^www\.", "", host).rsplit(".", 1)[0] if host else ""


def host_brand(host: str) -> str:
    """The host's own name, subdomains aside: "apps.shopify.com" → "shopify"."""
    return host_label(host).rsplit(".", 1)[-1]


def _is_site_name(text: str, names: set[str]) -> bool:
    """True when ``text`` is exactly one of the site's names (spaces aside)."""
    squashed = comparable(text).replace(" ", "")
    return bool(squashed) and squashed in {name.replace(" ", "") for name in names}


def _names_site(part: str, names: set[str]) -> bool:
    key = comparable(part)
    if not key:
        return False
    squashed = key.replace(" ", "")
    for name in names:
        bare = name.replace(" ", "")
        if key == name or squashed == bare:
            return True
        # "DailyBugle.com" names "Daily Bugle"; a word like "news" alone does not.
        shorter, longer = sorted((len(squashed), len(bare)))
        if (
            shorter >= MIN_SITE_CHARS
            and shorter >= MIN_SITE_SHARE * longer
            and (squashed in bare or bare in squashed)
        ):
            return True
    return False


def _agreement(heading: str, candidate: str) -> float:
    """Share of the heading's words that the candidate title also uses."""
    words = set(comparable(heading).split())
    other = set(comparable(candidate).split())
    return len(words & other) / len(words) if words else 0.0


def choose_title(page: PageMetadata, extracted: str, site_name: str, host: str) -> str:
    """The article's own headline (see :func:`choose_title_source`)."""
    return choose_title_source(page, extracted, site_name, host)[0]


def choose_title_source(
    page: PageMetadata, extracted: str, site_name: str, host: str
) -> tuple[str, str]:
    """Pick the article's own headline, without the site name around it, and say
    where it was read.

    The <h1> readers see wins when it agrees with <title>, og:title or the JSON-LD
    headline (publishers tune those for search engines and social cards, and the
    logo is often an <h1> too; a headline-length <h1> needs to agree less, see
    :data:`LONG_HEADLINE_WORDS`); else a post title of another level that agrees
    (a theme's "entry-title" <h2>); else og:title, JSON-LD headline or <title> without
    the site name. A " | …" tail is cut from either. An <h1> that is a declared
    title after a label or a date ("Blog: …", "Dec 18 2025 …") gives way to that
    title, and so does an <h1> in capitals to the first declared title that reads
    the same in the publisher's case.
    """
    named = [
        ("og:title", plain_text(page.meta.get("og:title"))),
        ("jsonld:headline", _jsonld_text(page.jsonld.get("headline"))),
        ("twitter:title", plain_text(page.meta.get("twitter:title"))),
        ("title", page.html_title),
        ("trafilatura", plain_text(extracted)),
    ]
    named = [(source, text) for source, text in named if text]
    sites = [site_name, page.meta.get("og:site_name", ""), host_label(host)]
    site_keys = {comparable(name) for name in sites if name}
    # The host's own name ("shopify" of apps.shopify.com) in a " | " tail.
    brand = comparable(host_brand(host))
    sites += _title_site_names(
        page.html_title,
        [text for _, text in named[:3] if not _names_site(text, site_keys)],
    )
    site_keys = {comparable(name) for name in sites if name}
    # The <h1> must agree with what the page declares; trafilatura's title is often
    # read from that same <h1> (a blog's name, a logo), so it only counts when the
    # page declares nothing.
    declared = [text for source, text in named if source != "trafilatura"]
    candidates = declared or [text for _, text in named]
    # A summary pasted into a title field agrees with any short label it shares
    # a word with: it is no witness while a real title is declared.
    candidates = [c for c in candidates if not _is_sentence(c)] or candidates
    best, best_source = _shown_headline(page, candidates, site_keys)
    if best:
        inners = [
            (source, _drop_pipe_tail(_strip_site(text, sites), brand))
            for source, text in named[:4]
        ]
        if in_capitals(best):
            # "BEST DRIP COFFEE MAKER IN 2026": the headline as the publisher wrote
            # it is the first declared title that reads the same, unless that one
            # is in capitals too.
            same = next((i for i in inners if reads_the_same(i[1], best)), None)
            if same is not None and not in_capitals(same[1]):
                return same[1], f"{same[0]} (h1 in capitals)"
        for source, inner in inners:
            if _inside_with_extra(inner, best) or _before_dateline(inner, best):
                return inner, f"{source} (inside h1)"
            if _lost_to_question_marks(inner, best):
                return inner, f"{source} (h1 mis-encoded)"
        return _drop_pipe_tail(_strip_site(best, sites), brand), best_source
    # A sentence ("Here are the six types of HR outsourcing.") is the summary
    # pasted into a title field: another declared title goes first.
    for source, candidate in sorted(named, key=lambda item: _is_sentence(item[1])):
        stripped = _drop_pipe_tail(_strip_site(candidate, sites), brand)
        # The site's name alone ("Harbour Post") is never the headline.
        if stripped and not _is_site_name(stripped, site_keys):
            return stripped, source
    headings = _h1s(page, candidates, site_keys)
    return (headings[0], "h1") if headings else ("", "")


def in_capitals(text: str) -> bool:
    """True for a title of two words or more written in capitals only."""
    letters = [c for c in text if c.isalpha()]
    return len(text.split()) > 1 and bool(letters) and all(c.isupper() for c in letters)


def reads_the_same(declared: str, heading: str) -> bool:
    """True when two titles differ by case, punctuation and a small word or so."""
    a, b = comparable(declared), comparable(heading)
    return bool(a) and SequenceMatcher(None, a, b).ratio() >= SAME_TITLE_RATIO


def _shown_headline(
    page: PageMetadata, candidates: list[str], site_keys: set[str]
) -> tuple[str, str]:
    """The <h1> agreeing with the declared titles (see :func:`_agreeing_heading`);
    failing that, a post title of another level that does ("h1" or "post title"),
    or ("", "")."""
    best = _agreeing_heading(_scored(_h1s(page, candidates, site_keys), candidates))
    if best:
        return best, "h1"
    # Some themes keep <h1> for the blog's name and print the post's title in an
    # <h2> or <h3>.
    titled = [
        t for t in page.titled if len(t.split()) > 1 and not _names_site(t, site_keys)
    ]
    best = _agreeing_heading(_scored(titled, candidates))
    return (best, "post title") if best else ("", "")


def _h1s(page: PageMetadata, candidates: list[str], site_keys: set[str]) -> list[str]:
    """The <h1>s that may be the headline: not the site's name; and a one-word
    <h1> ("Discord"), which agrees with any title that uses the word, only when it
    is a whole declared title or opens one (a dictionary's headword: "Harbour"
    beside "HARBOUR Definition & Meaning")."""
    return [
        h
        for h in page.headings
        if not _names_site(h, site_keys)
        and (len(h.split()) > 1 or _opens_a_title(h, candidates))
    ]


def _scored(headings: list[str], candidates: list[str]) -> list[tuple[float, int, str]]:
    """Each heading with its best agreement and its rank (earlier first on ties)."""
    return [
        (max((_agreement(h, c) for c in candidates), default=0.0), -index, h)
        for index, h in enumerate(headings)
    ]


def _opens_a_title(word: str, titles: list[str]) -> bool:
    """True when ``word`` is the first word of one of ``titles`` (or all of it)."""
    key = comparable(word)
    return any(comparable(title).split()[:1] == [key] for title in titles)


def _is_sentence(title: str) -> bool:
    """True when ``title`` ends with a full stop after a word: headlines do not
    ("… in the U.S." ends with an abbreviation, "Wait..." with an ellipsis)."""
    last = title.rsplit(maxsplit=1)[-1] if title.strip() else ""
    return last.endswith(".") and "." not in last[:-1] and len(last) > 1


def _title_site_names(html_title: str, declared: list[str]) -> list[str]:
    """What the <title> adds to a declared title by a separator: "Bugle Blog:
    Rain returns" beside an og:title "Rain returns" names the site "Bugle Blog"
    (whatever the host or og:site_name call it)."""
    names = []
    for text in declared:
        if not text or comparable(text) == comparable(html_title):
            continue
        for match in SITE_PREFIX_SEPARATORS.finditer(html_title):
            head, tail = html_title[: match.start()], html_title[match.end() :]
            if comparable(head) == comparable(text):
                names.append(tail)
            elif comparable(tail) == comparable(text):
                names.append(head)
    return [name for name in names if len(name.split()) <= MAX_SITE_NAME_WORDS]


def _lost_to_question_marks(declared: str, heading: str) -> bool:
    """True when ``heading`` is ``declared`` with "?" in place of some of its
    characters ("Beginner? Guide" for "Beginner's Guide"): a template written
    in a charset that lacked them, where the declared title kept them."""
    if not 0 < heading.count("?") <= MAX_LOST_CHARACTERS or declared == heading:
        return False
    pattern = "".join(
        LOST_CHARACTERS if char == "?" else re.escape(char) for char in heading
    )
    return re.fullmatch(pattern, declared, re.IGNORECASE) is not None


def _agreeing_heading(scored: list[tuple[float, int, str]]) -> str:
    """The <h1> that agrees best with a declared title; failing that, the first
    headline-length <h1> that agrees loosely with one."""
    if not scored:
        return ""
    score, _, best = max(scored)
    if score >= HEADLINE_AGREEMENT:
        return best
    for score, _, heading in scored:
        if (
            len(heading.split()) >= LONG_HEADLINE_WORDS
            and score >= LONG_HEADLINE_AGREEMENT
        ):
            return heading
    return ""


def _inside_with_extra(inner: str, heading: str) -> bool:
    """True when ``heading`` is ``inner`` after a label ("Blog:", "News |") or a
    date ("Dec 18 2025"): words after a title are not tested, since declared
    titles are often the <h1> cut short."""
    if len(inner.split()) < MIN_INNER_WORDS:
        return False
    start = heading.casefold().rfind(inner.casefold())
    if start <= 0 or start + len(inner) != len(heading):
        return False
    extra = heading[:start].strip()
    if not extra or len(extra.split()) > MAX_EXTRA_WORDS:
        return False
    return extra[-1] in ":|-–—»" or TEXT_DATE.fullmatch(extra) is not None


def _before_dateline(inner: str, heading: str) -> bool:
    """True when ``heading`` is ``inner`` followed by its date line or byline
    ("… Posted on May 9, 2023 by ann", "… By Ann Lee"), or by a link aggregator's
    source tag ("… (example.com) 87"): themes that print the post's meta inside
    its <h1>."""
    if len(inner.split()) < MIN_INNER_WORDS:
        return False
    if not heading.casefold().startswith(inner.casefold()):
        return False
    rest = heading[len(inner) :].strip(" ,|-–—·")
    return bool(rest) and (
        DATELINE_START.match(rest) is not None
        or TEXT_DATE.match(rest) is not None
        or SOURCE_TAG.fullmatch(rest) is not None
    )


def _microdata_name(element: Any) -> str:
    """The name an author's microdata gives (its first ``itemprop="name"``); ""
    when it gives none."""
    for name in MICRODATA_NAME(element):
        text = clean_text(name.get("content") if name.tag == "meta" else None)
        text = text or clean_text(name.text_content())
        if text:
            return text
    return ""


def headline_element(tree: lxml_html.HtmlElement, page: PageMetadata) -> Any:
    """The <h1> most like the declared titles (the first <h1> when none agrees)."""
    declared = [
        plain_text(page.meta.get("og:title")),
        _jsonld_text(page.jsonld.get("headline")),
        page.html_title,
    ]
    declared = [d for d in declared if d]
    # A logo <h1> ("Houstonia Magazine") agrees wholly with "Headline | Houstonia
    # Magazine" too: among equal agreements, the heading sharing more words wins.
    best, best_score = None, (-1.0, 0)
    for element in headline_candidates(tree):
        text = element_text(element)
        if not text or len(text) > MAX_HEADLINE_CHARS:
            continue
        score = max(
            ((_agreement(text, d), len(comparable(text).split())) for d in declared),
            default=(0.0, 0),
        )
        if score > best_score:
            best, best_score = element, score
    return best


def headline_candidates(tree: lxml_html.HtmlElement) -> Iterator[Any]:
    """Every <h1>, in order; for an empty one, the paragraph just after it.

    libxml2 parses by HTML 4's rules, where a <p> start tag closes an open <h1>:
    "<h1><p>Headline</p></h1>" becomes an empty <h1> followed by the headline's
    <p>, and the page then seemed to have no headline (nor a byline after it).
    """
    for element in tree.iter("h1"):
        following = element.getnext()
        if (
            not element_text(element)
            and following is not None
            and following.tag == "p"
            and not (element.tail or "").strip()
        ):
            yield following
        else:
            yield element


def _drop_pipe_tail(title: str, brand: str = "") -> str:
    """Cut " | Top 19 Companies", " | Opinion": a pipe is never inside a headline.
    A short head stays whole ("News | …" is a label), unless the tail holds the
    host's name as a word ("Klatch Coffee | Shopify App Store" on
    apps.shopify.com): that tail is the site's section, not the headline's end."""
    head, *tail = PIPE_TAIL.split(title, maxsplit=1)
    head = head.strip()
    if len(head.split()) >= MIN_HEADLINE_WORDS:
        return head
    named = len(brand) >= MIN_SITE_CHARS and brand in comparable("".join(tail)).split()
    return head if named and head else title
