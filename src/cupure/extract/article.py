"""``extract_article``: one article page in, one :class:`ExtractedArticle` out.

The steps, in order:

1. decode and parse the page once (lxml, trafilatura's parser settings);
2. read the page's own metadata (meta tags, JSON-LD, <title>, <h1>s);
3. take figures out of the page with their captions and credits, and prune comment
   threads, disclaimers, cookie banners and related lists, so none of that text can
   reach the body;
4. let trafilatura find the body, and read its XML so that every paragraph, heading,
   list item, table row and line is its own block;
5. ask readability-lxml for a second opinion when trafilatura's body looks cut short
   or run together;
6. drop the repeated headline (with its kicker), keep the standfirst apart (the
   line under the headline that the page's description repeats, atop the body or
   shortly after the headline), place the figures among the paragraphs, and choose
   the lead image.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from readability import Document as ReadabilityDocument
from readability.readability import Unparseable

from cupure.text.mojibake import escaped_mojibake, repair_mojibake, repair_tree_mojibake

from . import dates
from .body import (
    CELL_SEPARATOR,
    HEADINGS,
    PARAGRAPH,
    PREFORMATTED,
    Body,
    block_kind,
    body_from_html,
    body_from_xml,
    html_blocks,
)
from .bylines import READ_TIME, author_elements, choose_byline, labelled_authors
from .decode import decode_html
from .figures import ANCHOR_CHARS, PageFigure, image_key, take_figures
from .metadata import (
    TEXT_DATE,
    UNSHOWN_TAGS,
    byline_window,
    choose_title_source,
    headline_element,
    in_capitals,
    jsonld_image,
    jsonld_publisher,
    language_code,
    page_date_candidates,
    read_metadata,
    reads_the_same,
    shown_dates,
    shown_text,
)
from .repair import close_ignored_end_tags, repair_tree, streams_sections
from .text import (
    clean_text,
    comparable,
    join_url,
    plain_text,
    readable_url,
    url_part,
)
from .types import ExtractedArticle, ExtractionError, Figure, Image, NoArticleText

log = logging.getLogger(__name__)

# Structure (images, tables) kept; comments are reader comments, never the article.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_images": True,
    "include_tables": True,
    "include_comments": False,
    "with_metadata": True,
    # htmldate's extensive search guesses dates from any text ("© 2026" becomes
    # 2026-01-01) and calls dateparser, which is slow; measured on WCXB it also
    # lowered date accuracy (0.785 without, 0.725 with, 200 article pages).
    # original_date=True: htmldate is only asked when the page declares no date
    # of its own, and then the publication is wanted, not the latest date.
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
# The parser settings trafilatura uses for its own parsing: comment nodes left in
# the tree change its choice of body (WCXB 0091 lost every <h3> with them), so
# they go, except on a page that streams sections (found by its comments).
PARSER_OPTIONS: dict[str, Any] = {
    "collect_ids": False,
    "default_doctype": False,
    "remove_pis": True,
}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Pages whose first characters are more than this share of control characters or
# undecodable bytes are binary files served as HTML.
BINARY_SAMPLE_CHARS = 4096
BINARY_MAX_SHARE = 0.05
# Elements that never hold article text, skipped by the fallback body reader.
FALLBACK_SKIP = frozenset(
    {
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "script",
        "style",
        "noscript",
        "button",
    }
)
# The page chrome among them, which a page may use to wrap its whole article
# (:func:`_read_page`): on WCXB dev, an article set in a <header> gets back its
# data table (0089, paragraphs kept 110 → 154 of 154 lines), and no other of the
# 1,497 pages changes but for an ordered list's numbers. A <form> is left out:
# wrapping whole shop and forum pages, it changed 9 pages, no article, and put
# menus back on a market report's (word F1 0.71 → 0.41).
CHROME_TAGS = ("nav", "header", "footer", "aside")
# Chrome inside chrome is looked into this deep for a wrapper.
MAX_CHROME_DEPTH = 3
# Less body text than this is a menu or a stub, not an article (a one-sentence
# brief is about 100 characters).
MIN_ARTICLE_CHARS = 80
# The headline is looked for among this many first blocks of the body.
HEADLINE_SEARCH_BLOCKS = 4
# A standfirst the body left out is looked for among this many elements after the
# headline (the byline's links and spans, a date, a share bar come between).
STANDFIRST_SEARCH_ELEMENTS = 40
# A standfirst is a sentence or two: a description as long as this is the
# article's whole text or its first paragraph pasted into the description field.
STANDFIRST_MAX_WORDS = 50
# Short blocks above the repeated headline are kickers and date lines, not text.
KICKER_MAX_WORDS = 5
# A date line among the first blocks ("Last updated: April 21, 2025", "Published
# on 27/05/2024"): the page's dates are shown apart from the text, so the line
# goes. A date without its label goes only as a piece of the byline (an event's
# page opens with its day). (No capturing group before TEXT_DATE's: it refers
# back to its own.)
_DATE_LABEL = (
    r"(?:(?:last|originally)\s+)?(?:updated|published|posted|modified)"
    r"(?:\s+(?:on|at))?\s*:?\s*"
)
_DATE_AND_TIME = (
    rf"(?:{TEXT_DATE.pattern})"
    r"[\s.,]*(?:(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?\.?\s*"
)
DATE_LINE_BLOCK = re.compile(rf"\s*{_DATE_LABEL}{_DATE_AND_TIME}", re.IGNORECASE)
DATE_BLOCK = re.compile(rf"\s*(?:{_DATE_LABEL})?{_DATE_AND_TIME}", re.IGNORECASE)
# A link to another piece set in the text under a label ("Related: Ferry fares
# frozen", "Also read: …", "See also: …"): furniture, as a list of related
# stories is, however the gold of one site or another keeps it.
TEASER_LINE = re.compile(
    r"\s*(?:related(?:\s+(?:reading|articles?|posts?|stor(?:y|ies)))?|(?:also|must)"
    r"\s+read|read\s+(?:more|next|also)|see\s+also|more|recommended|you\s+may"
    r"\s+also\s+like)\s*:(?:\s+\S+(?:\s+\S+){0,24})?\s*",
    re.IGNORECASE,
)
# A control's or a table of contents' label left alone among the blocks once
# what it labels went ("Table of contents", "Share this post", "Back to top",
# "Read more"), an ad slot's label, a read time.
FURNITURE_LABEL = re.compile(
    r"\s*(?:table\s+of\s+contents?|contents|on\s+this\s+page|in\s+this\s+article"
    r"|jump\s+to(?:\s+section)?|skip\s+to\s+(?:main\s+)?content|article\s+content"
    r"|share(?:\s+this(?:\s+(?:article|post|story|page))?)?|back\s+to\s+(?:top|blog)"
    rf"|read\s+more|continue\s+reading|advertisements?|{READ_TIME.pattern})\s*:?\s*",
    re.IGNORECASE,
)
# The byline as the template prints it above the text, block by block ("Ann
# Lee", "Sep 26, 2022", "2 min read", "Written By"): shown apart from the text,
# so such blocks go while the body's first blocks are all of them.
BYLINE_ECHO_BLOCKS = 8
BYLINE_PIECE = re.compile(
    rf"\s*(?:(?:written|posted|reviewed)\s+)?by\s*:?|\s*{READ_TIME.pattern}\s*"
    r"|\s*[·•|]\s*",
    re.IGNORECASE,
)
# A picture credit as the body's first block ("Credit: Reviewed / Hisense"): the
# lead picture's, shown with it.
CREDIT_BLOCK = re.compile(r"\s*(?:photo|image)?\s*credits?\s*:\s*\S.{0,80}", re.I)
# Class or id names (one token of them) that mark page furniture, never article text.
# Measured on WCXB (400 article pages): these names raise word F1 slightly; "share"
# and "newsletter" lowered it (0.945 → 0.940: themes put them on article wrappers).
BOILERPLATE_NAME = re.compile(
    r"^(?:[a-z0-9]+[-_]+)*(?:comments?|disclaimer|cookies?|consent|related)"
    r"(?:[-_]+[a-z0-9]+)*$"
)
# Cheap pass before the exact test above (a per-token test of every element cost
# 7% of the extraction time).
_NAMED = etree.XPath(".//*[@class or @id]")
_BOILERPLATE_HINT = re.compile(
    "comment|disclaimer|cookie|consent|related|newsletter|signup|subscribe", re.I
)
# A newsletter sign-up box (so named, and holding a form field) is furniture too:
# one page repeated its box three times under the story (WCXB dev, word F1: even
# ids 0.954873 → 0.955015, odd 0.945391 → 0.945413; paragraphs kept unchanged on
# both). The name alone is not enough: without the form field, an element so named
# took 41 gold paragraphs with it on one odd page.
SIGNUP_NAME = re.compile(
    r"^(?:[a-z0-9]+[-_]+)*(?:newsletter|signup|subscribe)(?:[-_]+[a-z0-9]+)*$"
)
# A "boilerplate" container holding more than this share of the page's text is
# more likely the article wrapper with an unlucky class name.
BOILERPLATE_MAX_SHARE = 0.5
# trafilatura's body holding less than this share of the words in the page's <p>
# elements may have stopped early (WCXB: 24 of 400 article pages).
SHORT_BODY_SHARE = 0.7
# readability's body replaces it only when this much longer (WCXB, 400 pages: word
# F1 0.9400 → 0.9436 at 1.2; larger factors recover fewer pages).
LONGER_BODY_FACTOR = 1.2
# One or two blocks of more than this many words are a page's text run together
# (trafilatura's last-resort output), not paragraphs; a replacement must keep at
# least this share of its words.
MONOLITH_MAX_BLOCKS = 2
MONOLITH_WORDS = 250
MONOLITH_KEEP_SHARE = 0.5
# The page's article container replaces trafilatura's body when it has this many
# times its words and holds this share of them (WCXB dev, even ids: paragraphs kept
# 0.838 → 0.849, word F1 unchanged; 1.1 and 0.9 kept 0.853 but lost 0.002 F1).
FULLER_FACTOR = 1.2
FULLER_CONTAINS = 0.95
FALLBACK_BLOCKS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote", "pre"})
# A heading or list item whose text is more than this share links is navigation
# (a table of contents, a related list), not article structure to put back.
RESTORED_MAX_LINK_SHARE = 0.5
# Table cells, and the least rows (of two cells or more) a table needs for its cells
# to be joined back into rows: a single row is a layout box, not data.
CELLS = frozenset({"td", "th"})
MIN_TABLE_ROWS = 2
# Page blocks put back between two body blocks: headings, list items and paragraphs
# (and the rows of data tables, see _data_table). Other table rows and bare <div>
# text lost word F1 when put back (WCXB dev, even ids: half the <div> blocks there
# are widgets, prices and toggles, not article text).
RESTORED_TAGS = frozenset(HEADINGS) | {"p"}
# Text held directly in a <div> comes back only as a paragraph written without <p>:
# at least this many words, ending as a sentence ends, under the same parent as a
# body block, outside furniture (WCXB dev, even ids: 35 gold lines and 22 other
# blurbs put back, paragraphs kept 0.8987 → 0.8997; odd 25 and 11, 0.9086 →
# 0.9093; word F1 up on both: the widgets above are short and end in no full stop).
DIV_PARAGRAPH_MIN_WORDS = 8
# Questions and answers of a FAQ (an element so named, up to FURNITURE_DEPTH levels
# up) are <div> text too, wherever they sit in the body: a question is short, but
# ends in its question mark (WCXB dev: paragraphs kept even 0.8997 → 0.9005, odd
# 0.9093 → 0.9094; word F1 even +0.0001, odd -0.00003 on one page whose gold leaves
# its FAQ out).
FAQ_NAME = re.compile(r"faqs?\d*")
FAQ_MIN_WORDS = 3
SENTENCE_ENDS = (".", "!", "?", "…")
CLOSING_MARKS = "\"'”’)]» "
# Class or id words (one hyphen- or underscore-separated part of a name) of page
# furniture set among the paragraphs: ad slots, bylines, newsletter and share boxes,
# author bios. A paragraph is not put back from inside an element so named, looking
# this many levels up from the paragraph. Headings and lists are not held to it: one
# WCXB article sits in a wrapper named for its "post and ads", and lost 42 of them.
FURNITURE_WORDS = frozenset(
    {"ad", "ads", "advert", "advertisement", "sponsor", "sponsored", "promo"}
    | {"byline", "newsletter", "subscribe", "signup", "cta", "banner", "bio"}
    | {"share", "social", "disclaimer"}
)
FURNITURE_DEPTH = 4
# Headings of the page's own furniture after an article: related and latest lists,
# share buttons, the author box, tags, comments. Not put back even between two body
# blocks: the body may run on into that furniture (WCXB dev: 13 such headings were
# put back on the even ids, 2 of them gold text; 9 and 1 on the odd ids). Matched
# whole, on comparable() text.
FURNITURE_HEADING = re.compile(
    r"(?:related|more|recommended|popular|latest|recent|trending|featured|similar)"
    r"(?: \w+){0,3} (?:posts?|articles?|stories|reads?|reading|news|content|topics"
    r"|resources|guides)(?: \w+){0,3}"
    r"|related|read next|up next|you (?:may|might) also like|share(?: this(?: \w+)?)?"
    r"|about the author|tags|leave a (?:reply|comment)|comments"
)
# A paragraph of at most this many words ending in a colon ("Pros:", "What you
# need:") labels what follows, like a heading, and may come back however often the
# body has it (WCXB dev, paragraphs kept: even ids 0.9061 → 0.9067, odd 0.9171 →
# 0.9174; word F1 even +0.00001, odd +0.00002).
LABEL_MAX_WORDS = 4
_NAME_PARTS = re.compile(r"[-_\s]+")
# A page block sharing this share of its words (of the longer of the two) with a body
# block not found on the page is that block written another way (citation marks or
# links dropped by trafilatura): putting it back would show the paragraph twice.
NEAR_COPY_SHARE = 0.8
# Body blocks are placed on the page in their best order only while they have at
# most this many candidate spots between them (a page of thousands of repeated
# blocks keeps the first-fit placement, and stays fast).
MAX_PLACED_PAIRS = 20_000


def _parse(html: str | bytes) -> lxml_html.HtmlElement:
    text = repair_mojibake(decode_html(html) if isinstance(html, bytes) else html)
    text = _XML_DECLARATION.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        raise ExtractionError("empty page: the document has no content to extract")
    sample = text[:BINARY_SAMPLE_CHARS]
    junk = sum(1 for c in sample if c == "\ufffd" or (c < " " and c not in "\t\n\r"))
    if junk > BINARY_MAX_SHARE * len(sample):
        raise ExtractionError(
            "not an HTML page: the document is binary data (an image, a PDF or an "
            "archive?)"
        )
    # Streamed sections are found by the comments around their placeholders.
    streamed = streams_sections(text)
    # A parser of its own: its log, read by the repair, is of this page alone.
    parser = lxml_html.HTMLParser(**PARSER_OPTIONS, remove_comments=not streamed)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(
            f"unreadable HTML ({error}); is this an HTML page?"
        ) from error
    repair_tree(root, streamed=streamed)
    close_ignored_end_tags(root, parser.error_log)
    if escaped_mojibake(text):
        repair_tree_mojibake(root)
    return root


def _fallback_body(tree: lxml_html.HtmlElement) -> Body:
    """Paragraph-like elements of <article>, <main> or <body>, outside page chrome.

    A <pre> gives one block per line, as the page shows it: a shell session read
    as one paragraph ran its commands together (WCXB dev, paragraphs kept: even
    ids 0.9070 → 0.9072, odd unchanged; word F1 unchanged).
    """
    body = Body()
    roots = tree.xpath("//article") or tree.xpath("//main") or tree.xpath("//body")
    if not roots:
        return body
    root = max(roots, key=lambda element: len(element.text_content()))

    def walk(element: lxml_html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in FALLBACK_SKIP:
                continue
            if child.tag == "pre":
                lines = (clean_text(line) for line in child.text_content().split("\n"))
                body.blocks.extend(line for line in lines if line)
            elif child.tag in FALLBACK_BLOCKS:
                text = clean_text(child.text_content())
                if text:
                    body.blocks.append(text)
            else:
                walk(child)

    walk(root)
    return body


# A link to a note further down the page, shown as its number.
_NOTE_MARK_TEXT = re.compile(r"\d{1,3}")
# Around a number in a bracketed citation ("[1-3]", "(4, 5)").
CITATION_PUNCTUATION = ("[", "(", ",", "-", "–", "]", ")")
_NOTE_TARGET = re.compile(r"fn|foot|note|cite|ref", re.IGNORECASE)
_NOTE_LINKS = etree.XPath("//body//a[contains(@href, '#')]")


def _drop_note_marks(tree: lxml_html.HtmlElement) -> None:
    """Drop the numbers that link to a page's footnotes, with the <sup> around
    them: in text they glue to the word before ("Siemens.1 By walking"), and the
    notes they point to are not part of the article's text.

    A mark is a link to an anchor in the page whose text is a number, set in a
    <sup> or naming a note in its target or class. A number in a bracketed
    citation ("attempts [11], which", "[4,5]") stays: the reader sees it so."""
    for link in _NOTE_LINKS(tree):
        number = link.text_content().strip()
        if not _NOTE_MARK_TEXT.fullmatch(number):
            continue
        parent = link.getparent()
        in_sup = parent is not None and parent.tag == "sup"
        target = f"{link.get('href', '').partition('#')[2]} {link.get('class', '')}"
        if not (in_sup or _NOTE_TARGET.search(target)):
            continue
        mark = link
        while (
            mark.getparent() is not None
            and mark.getparent().tag in ("sup", "span")
            and mark.getparent().text_content().strip() == number
        ):
            mark = mark.getparent()
        before = mark.getprevious()
        before_text = (
            before.tail if before is not None else mark.getparent().text
        ) or ""
        after_text = (mark.tail or "").lstrip()
        if before_text.rstrip().endswith(CITATION_PUNCTUATION) or after_text.startswith(
            CITATION_PUNCTUATION
        ):
            continue
        if mark.getparent() is not None:
            mark.drop_tree()


def _drop_form_choices(tree: lxml_html.HtmlElement) -> None:
    """Drop the choices of a form's drop-down lists (<select>, <datalist>): a reader
    sees one of them at a time, never the list as text, yet readability took a
    filter form's hundreds of options for the article (WCXB 0485). (Only from the
    copy readability reads: dropped from the page trafilatura reads, they changed
    its body on 13 other pages, a sports page's from word F1 0.70 to 0.09.)"""
    for element in tree.xpath("//body//select | //body//datalist"):
        element.drop_tree()


def _prune_boilerplate(tree: lxml_html.HtmlElement) -> None:
    """Remove comment threads, disclaimers, cookie banners, related-story lists and
    newsletter sign-up forms by class or id.

    trafilatura drops most of these itself, but it kept the comment list of one
    of our demo templates as body text. A container holding the <h1> or most of the
    page's text is never removed (WordPress marks whole articles "comments-open").
    """
    body = tree.find("body")
    if body is None:
        return
    doomed = []
    for element in _NAMED(body):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not _BOILERPLATE_HINT.search(names):
            continue
        if _in_code(element):
            continue  # a highlighter's "hljs-comment", "token comment": code
        parts = names.lower().split()
        if any(BOILERPLATE_NAME.search(name) for name in parts) or (
            any(SIGNUP_NAME.search(name) for name in parts)
            and next(element.iter("input"), None) is not None
        ):
            doomed.append(element)
    if not doomed:
        return
    page_chars = len(body.text_content())
    for element in doomed:
        if element.getparent() is None or next(element.iter("h1"), None) is not None:
            continue
        if any(ancestor in doomed for ancestor in element.iterancestors()):
            continue
        if len(element.text_content()) > BOILERPLATE_MAX_SHARE * page_chars:
            continue
        element.drop_tree()


def _in_code(element: lxml_html.HtmlElement) -> bool:
    return element.tag in ("pre", "code") or any(
        ancestor.tag in ("pre", "code") for ancestor in element.iterancestors()
    )


def _break_preformatted_lines(tree: lxml_html.HtmlElement) -> None:
    """End each line of a plain-text <pre> with a <br>.

    A <pre> shows its lines as written (a poem, a list, an address, console
    output), but trafilatura reads one it does not take for code as a quotation,
    whose newlines then collapse into spaces like any other text's; a <br> keeps
    each line a line (WCXB dev, paragraphs kept: even ids 0.9067 → 0.9070, odd
    0.9174 → 0.9224; word F1 unchanged on the even ids, odd +0.00002). A <pre>
    holding markup (highlighted code) is left to trafilatura, which reads it as code
    and keeps its lines.
    """
    for pre in list(tree.iter("pre")):
        text = (pre.text or "").strip("\n")
        if len(pre) or "\n" not in text:
            continue
        first, *rest = text.split("\n")
        pre.text = first
        for line in rest:
            etree.SubElement(pre, "br").tail = "\n" + line


def _word_count(texts: Iterable[str]) -> int:
    return sum(len(text.split()) for text in texts)


def _readability_body(tree: lxml_html.HtmlElement) -> Body:
    page = copy.deepcopy(tree)
    _drop_form_choices(page)
    try:
        summary = ReadabilityDocument(page).summary(html_partial=True)
        fragment = lxml_html.fragment_fromstring(summary, create_parent="div")
    # lxml asserts when the summary has no <body>: readability hands a page cut
    # off inside its <head> back as it is.
    except (Unparseable, etree.ParserError, ValueError, AssertionError) as error:
        log.debug("readability found no body", extra={"error": str(error)})
        return Body()
    return body_from_html(fragment)


def _second_opinion(body: Body, tree: lxml_html.HtmlElement) -> Body:
    """Ask readability-lxml when trafilatura kept little of the page's paragraph
    text, or returned it as one run-together block.

    trafilatura sometimes stops at a table or a widget and drops the rest of the
    article; readability's whole-container choice then recovers it. Its body is
    used only when clearly longer, and only asked when trafilatura's looks short,
    so most pages pay nothing for it. When trafilatura falls back to the page's
    whole text in one block, the body with the most paragraphs that keeps most of
    the words wins (readability's, or the page's own paragraph elements).
    """
    found = _word_count(body.blocks)
    monolith = 0 < len(body.blocks) <= MONOLITH_MAX_BLOCKS and any(
        len(block.split()) > MONOLITH_WORDS for block in body.blocks
    )
    if monolith:
        options = [
            other
            for other in (_readability_body(tree), _fallback_body(tree))
            if _word_count(other.blocks) >= MONOLITH_KEEP_SHARE * found
            and len(other.blocks) > len(body.blocks)
        ]
        return max(options, key=lambda o: len(o.blocks), default=body)
    on_page = _word_count(p.text_content() for p in tree.iter("p"))
    if found >= SHORT_BODY_SHARE * on_page:
        return body
    other = _readability_body(tree)
    if _word_count(other.blocks) > LONGER_BODY_FACTOR * found:
        return _with_opening(body, other, tree)
    return body


def _with_opening(body: Body, other: Body, tree: lxml_html.HtmlElement) -> Body:
    """readability's longer body, with trafilatura's opening put back before it
    when readability's container starts further down the page.

    A page whose article is cut in two by a broken embed (an unclosed ``<div>`` in
    a pasted table swallows the rest of the text) gives two containers:
    trafilatura reads the first half and stops at the embed, readability takes the
    longer second half, and the reader lost the first (WCXB 0061: the introduction
    and the first table of a tipping guide). Only an opening is put back: the
    blocks readability left out must be the first of trafilatura's body and all
    lie on the page before everything of readability's found there; what it left
    out further down is more often a related list than the article."""
    kept = {comparable(block) for block in other.blocks}
    opening: list[str] = []
    for block in body.blocks:
        if comparable(block) in kept:
            break
        opening.append(block)
    if not opening or any(
        comparable(block) not in kept for block in body.blocks[len(opening) :]
    ):
        return other
    spots: dict[str, int] = {}
    for index, block in enumerate(_fallback_body(tree).blocks):
        spots.setdefault(comparable(block), index)
    opening_spots = [spots.get(comparable(block)) for block in opening]
    other_spots = [spots[key] for key in kept if key in spots]
    if not other_spots or any(
        spot is None or spot >= min(other_spots) for spot in opening_spots
    ):
        return other
    return Body(
        blocks=opening + other.blocks,
        images=[(src, at) for src, at in body.images if at < len(opening)]
        + [(src, at + len(opening)) for src, at in other.images],
    )


def _fuller_container(body: Body, tree: lxml_html.HtmlElement) -> Body:
    """The paragraphs of the page's <article> (or <main>, or <body> when it has
    neither) from the body's first block to its last, when they hold all of the
    body and clearly more.

    trafilatura drops list-heavy and table-heavy stretches inside an article
    (rankings, "best of" lists, spec tables) as if they were navigation, and when
    it finds no article container at all it gathers the page's loose <p> elements
    and leaves every heading and list between them out; the page's own paragraphs,
    read one by one, keep them. Only the stretch between the body's first and last
    blocks is taken (share buttons, tags and related links around it stay out), and
    only when it contains nearly every word of the body: the same article with more
    of its text. A page without <article> or <main> is read from <body> under the
    same two conditions (WCXB dev, even ids: paragraphs kept 0.848 → 0.859, word F1
    0.942 → 0.945, no page worse).
    """
    if len(body.blocks) < 2:
        return body
    blocks = _fallback_body(tree).blocks
    keys = [comparable(block) for block in blocks]
    first, last = comparable(body.blocks[0]), comparable(body.blocks[-1])
    start = next((i for i, key in enumerate(keys) if key == first), None)
    end = next((i for i in range(len(keys) - 1, -1, -1) if keys[i] == last), None)
    if start is None or end is None or end <= start:
        return body
    other = Body(blocks=blocks[start : end + 1])
    found = Counter(word for block in body.blocks for word in block.lower().split())
    more = Counter(word for block in other.blocks for word in block.lower().split())
    total = sum(found.values())
    if sum(more.values()) <= FULLER_FACTOR * total:
        return body
    if sum((found & more).values()) < FULLER_CONTAINS * total:
        return body
    return other


def _table_rows(table: lxml_html.HtmlElement) -> Iterator[list[str]]:
    """The non-empty cell texts of each row of a table holding no other table, read
    row by row (a table whose first row the body lacks is not read further)."""
    for row in table.iter("tr"):
        cells = [clean_text(cell.text_content()) for cell in row if cell.tag in CELLS]
        if any(cells):
            yield [cell for cell in cells if cell]


def _regroup_table_cells(body: Body, tree: lxml_html.HtmlElement) -> Body:
    """Join back into rows the table cells the body holds one by one.

    trafilatura reads a table whose cells wrap their text in paragraphs
    (<td><p>…</p></td>, as WordPress's table block writes them) as a run of loose
    paragraphs, one per cell: "CAPM", "PMI", "$225" instead of the row a reader
    sees. Where the body holds a table's cells, in order and nothing else, that run
    becomes one block per row, its cells joined as every other table row is (WCXB
    dev, even ids: paragraphs kept 0.8962 → 0.8970, on the two pages with such
    tables; the odd ids have none).
    """
    keys = [comparable(block) for block in body.blocks]
    starts: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        starts.setdefault(key, []).append(index)
    runs: dict[int, tuple[int, list[str]]] = {}  # start -> (end, rows)
    for table in tree.iter("table"):
        if next(table.iterdescendants("table"), None) is not None:
            continue
        read = (row for row in _table_rows(table) if len(row) > 1)
        first = next(read, None)
        if first is None or comparable(first[0]) not in starts:
            continue
        rows = [first, *read]
        if len(rows) < MIN_TABLE_ROWS:
            continue
        cells = [comparable(cell) for row in rows for cell in row]
        for start in starts.get(cells[0], []):
            if keys[start : start + len(cells)] == cells and start not in runs:
                rows_text = [CELL_SEPARATOR.join(row) for row in rows]
                runs[start] = (start + len(cells), rows_text)
                break
    if not runs:
        return body
    blocks: list[str] = []
    moved: list[int] = []  # new position of each old position
    index = 0
    while index < len(body.blocks):
        if index in runs:
            end, rows_text = runs[index]
            moved.extend([len(blocks)] * (end - index))
            blocks.extend(rows_text)
            index = end
        else:
            moved.append(len(blocks))
            blocks.append(body.blocks[index])
            index += 1
    moved.append(len(blocks))
    return Body(
        blocks=blocks, images=[(src, moved[position]) for src, position in body.images]
    )


def _restore_structure(
    body: Body, tree: lxml_html.HtmlElement, reads: _PageReads | None = None
) -> Body:
    """Put back the headings, list items and paragraphs the page shows between two
    body blocks that follow each other on the page.

    trafilatura, when it finds no article container, collects the page's loose
    paragraphs and leaves out every subheading and list between them; it also
    drops short lists inside an article as if they were navigation, and short or
    card-like paragraphs (a lead in a styled box, the entries of a guide). The page
    is read block by block, the body's blocks are found in it in order, and in each
    stretch between two consecutive ones the headings, list items and <p>
    paragraphs come back in place, unless they are links (a table of contents, a
    teaser card, a related list). A stretch holding text that the body has
    elsewhere, or a near copy of a body block not found on the page, is skipped:
    there the body's order is not the page's, or the body holds that text written
    another way, and nothing can be placed. (WCXB dev: paragraphs kept even ids
    0.859 → 0.889, odd 0.882 → 0.901; word F1 0.945 → 0.949 and 0.939 → 0.942.
    Paragraphs too, with the near-copy test: even 0.889 → 0.893, odd 0.901 →
    0.904; word F1 0.949 → 0.951 and 0.942 → 0.945. A heading or list item the
    body has elsewhere comes back too (a review's "Pros" and "Cons" under every
    product), a paragraph it has elsewhere does not: even 0.8953 → 0.8963, odd
    0.9079 → 0.9085, word F1 unchanged. Table rows put back the same way lost word F1:
    most tables skipped there are layout or widgets.)
    """
    if len(body.blocks) < 2:
        return body
    root = tree.find("body")
    if root is None:
        return body
    keys = [comparable(block) for block in body.blocks]
    page, page_keys, found = _read_page(root, keys, reads)
    body = _place_near_copies(body, keys, found, page, page_keys)
    body, keys, found = _drop_furniture_boxes(body, keys, found, page)
    in_body = set(keys)
    parents = Counter(
        origin.getparent()
        for spot in found
        if spot is not None and (origin := page[spot][1]) is not None
    )
    data_tables = {table for table in root.iter("table") if _data_table(table)}
    misplaced = {key for key, spot in zip(keys, found, strict=True) if spot is None}
    unplaced = [Counter(key.split()) for key in misplaced]
    blocks: list[str] = []
    added_before: list[int] = []  # blocks added before each of the body's blocks
    last: int | None = None
    for block, spot in zip(body.blocks, found, strict=True):
        if spot is not None:
            if last is not None:
                between = [
                    (page_keys[index], *page[index]) for index in range(last + 1, spot)
                ]
                if not any(
                    key in misplaced or _near_copy(key, unplaced)
                    for key, _, _ in between
                ):
                    introduced = _introduced_list(*page[last])
                    blocks.extend(
                        text
                        for key, text, origin in between
                        if (key not in in_body or _label(text, origin))
                        and (
                            _restorable(text, origin, parents, data_tables)
                            or _in_list(origin, introduced)
                        )
                    )
            last = spot
        added_before.append(len(blocks) - len(added_before))
        blocks.append(block)
    added = len(blocks) - len(body.blocks)
    if not added:
        return body
    added_before.append(added)
    return Body(
        blocks=blocks,
        images=[
            (src, position + added_before[position]) for src, position in body.images
        ],
    )


PageBlocks = list[tuple[str, etree._Element | None]]
# The page's blocks and their keys (comparable text).
PageRead = tuple[PageBlocks, list[str]]


class _PageReads:
    """The page read block by block, kept for the extraction's later passes: the
    tree is not changed after the body is restored, and the blocks are read again
    to say what each body block is (:func:`_as_on_the_page`)."""

    def __init__(self) -> None:
        self.wrappers: frozenset[lxml_html.HtmlElement] | None = None
        self.pages: dict[frozenset[lxml_html.HtmlElement], PageRead] = {}

    def chrome_wrappers(
        self, root: lxml_html.HtmlElement
    ) -> frozenset[lxml_html.HtmlElement]:
        if self.wrappers is None:
            self.wrappers = _chrome_wrappers(root)
        return self.wrappers

    def blocks(
        self,
        root: lxml_html.HtmlElement,
        wrappers: frozenset[lxml_html.HtmlElement],
    ) -> PageRead:
        if wrappers not in self.pages:
            page = html_blocks(root, FALLBACK_SKIP, wrappers)
            self.pages[wrappers] = page, [comparable(text) for text, _ in page]
        return self.pages[wrappers]


def _read_page(
    root: lxml_html.HtmlElement, keys: list[str], reads: _PageReads | None = None
) -> tuple[PageBlocks, list[str], list[int | None]]:
    """The page's blocks outside its chrome, their keys, and where each of the
    body's blocks (``keys``) sits among them (:func:`_page_spots`).

    A <header>, <nav>, <aside> or <footer> that holds most of the page's text and
    most of the body's blocks is no chrome but the article's wrapper (a Webflow
    page sets its whole post in a <header>): it is read like any other element,
    or nothing could be put back in it. Most of the text alone is not enough: a
    shop's mega menu holds most of a product page's.
    """
    reads = reads or _PageReads()
    wrappers = reads.chrome_wrappers(root)
    while True:
        page, page_keys = reads.blocks(root, wrappers)
        spots: dict[str, list[int]] = {}
        for index, key in enumerate(page_keys):
            spots.setdefault(key, []).append(index)
        found = _page_spots(keys, spots)
        origins = [page[spot][1] for spot in found if spot is not None]
        holding = frozenset(
            wrapper
            for wrapper in wrappers
            if _held_in(wrapper, origins) > len(keys) / 2
        )
        if holding == wrappers:
            return page, page_keys, found
        wrappers = holding


def _held_in(
    wrapper: lxml_html.HtmlElement, origins: list[etree._Element | None]
) -> int:
    return sum(
        origin is not None and wrapper in origin.iterancestors() for origin in origins
    )


def _chrome_wrappers(root: lxml_html.HtmlElement) -> frozenset[lxml_html.HtmlElement]:
    """The <header>, <nav>, <aside> or <footer> elements holding most of the
    page's shown text (scripts and styles left out)."""
    least = BOILERPLATE_MAX_SHARE * _shown_chars(root)
    wrappers: set[lxml_html.HtmlElement] = set()
    # Level by level from the outside: chrome inside chrome that is not read is
    # never read either, and a hostile page's thousand nested <aside>s are not
    # each measured.
    level = [root]
    for depth in range(MAX_CHROME_DEPTH):
        level = [
            element
            for holder in level
            for element in _CHROME_AT_DEPTH(holder, depth=depth)
            # Its whole text, spaces and scripts too, is the cheap bound first.
            if len(element.text_content()) > least and _shown_chars(element) > least
        ]
        wrappers.update(level)
    return frozenset(wrappers)


_CHROME_ANCESTORS = "|".join(f"ancestor::{tag}" for tag in CHROME_TAGS)
_CHROME_AT_DEPTH = etree.XPath(
    "|".join(f".//{tag}[count({_CHROME_ANCESTORS}) = $depth]" for tag in CHROME_TAGS)
)


def _shown_chars(element: lxml_html.HtmlElement) -> int:
    """How many characters the element shows: its text but for spaces, scripts
    and styles. (:func:`~cupure.extract.metadata.shown_text` reads the whole
    page's, text node by text node: for a share of it, lengths are enough.)"""
    hidden = sum(_solid_chars(code) for code in element.iter("script", "style"))
    return _solid_chars(element) - hidden


def _solid_chars(element: lxml_html.HtmlElement) -> int:
    text = element.text_content()
    return len(text) - sum(text.count(space) for space in " \t\n\r")


def _drop_furniture_boxes(
    body: Body,
    keys: list[str],
    found: list[int | None],
    page: list[tuple[str, etree._Element | None]],
) -> tuple[Body, list[str], list[int | None]]:
    """Drop a furniture heading the body holds ("Related articles", "About the
    author") with the body blocks after it that sit in the same box on the page.

    trafilatura keeps some of these boxes as body text after the article: teasers
    of other posts, an author's biography and links. The box is the heading's
    largest ancestor holding none of the body's blocks before it; the heading and
    the body blocks after it inside that box go, when there is at least one. A
    heading whose box holds nothing else stays: the article's text goes on after
    it (WCXB dev, word F1: even ids 0.95487 → 0.95509, odd 0.94539 → 0.94613, 13
    pages better; paragraphs kept even unchanged, odd one fewer (0.9228 →
    0.9227), a two-word heading its gold keeps. Dropping a lone heading too lost
    five more paragraphs on the odd ids).
    """
    drop: set[int] = set()
    previous: etree._Element | None = None
    index = 0
    while index < len(keys):
        spot = found[index]
        origin = page[spot][1] if spot is not None else None
        if origin is None:
            index += 1
            continue
        if (
            previous is None
            or origin.tag not in HEADINGS
            or not FURNITURE_HEADING.fullmatch(keys[index])
        ):
            previous = origin
            index += 1
            continue
        box = origin
        holding_previous = {previous, *previous.iterancestors()}
        for ancestor in origin.iterancestors():
            if ancestor.tag in ("body", "html") or ancestor in holding_previous:
                break
            box = ancestor
        start = index
        index += 1
        while index < len(keys):
            spot = found[index]
            inner = page[spot][1] if spot is not None else None
            if inner is None or box not in inner.iterancestors():
                break
            index += 1
        if index > start + 1:
            drop.update(range(start, index))
        else:
            previous = origin
    if not drop:
        return body, keys, found
    kept = [position for position in range(len(keys)) if position not in drop]
    return (
        _without_blocks(body, drop),
        [keys[position] for position in kept],
        [found[position] for position in kept],
    )


def _place_near_copies(
    body: Body,
    keys: list[str],
    found: list[int | None],
    page: list[tuple[str, etree._Element | None]],
    page_keys: list[str],
) -> Body:
    """Place the body blocks not found on the page on their near copies, read as
    the page writes them, when the stretch of page between the two placed blocks
    around them holds exactly one near copy of each, in the body's order.

    trafilatura rewrites some paragraphs (citation marks and numbers left out,
    inline code split off), so they match no page block; their stretch was then
    skipped whole, and the paragraph kept trafilatura's wording. One block
    between two placed ones (WCXB dev, paragraphs kept: even ids 0.9076 → 0.9083,
    odd 0.9226 → 0.9227; word F1 even 0.95171 → 0.95172, odd 0.94545 →
    0.94546); any number of them: even 0.9083 → 0.9095, odd 0.9227 → 0.9228, word
    F1 unchanged. A block with two near copies there (a page written twice) is
    left as it is. ``keys`` and ``found`` are updated in place; a stretch of more
    than ``MAX_PLACED_PAIRS`` block-spot pairs is not searched.
    """
    blocks: list[str] | None = None
    placed = [index for index, spot in enumerate(found) if spot is not None]
    for before, after in itertools.pairwise(placed):
        low, high = found[before], found[after]
        lone = range(before + 1, after)
        if not lone or low is None or high is None:
            continue
        if len(lone) * (high - low) > MAX_PLACED_PAIRS:
            continue
        copies: list[int] = []
        for index in lone:
            words = [Counter(keys[index].split())]
            near = [
                spot
                for spot in range(low + 1, high)
                if _near_copy(page_keys[spot], words)
            ]
            if len(near) != 1 or (copies and near[0] <= copies[-1]):
                break
            copies.append(near[0])
        if len(copies) < len(lone):
            continue
        blocks = blocks or list(body.blocks)
        for index, spot in zip(lone, copies, strict=True):
            found[index] = spot
            blocks[index] = page[spot][0]
            keys[index] = page_keys[spot]
    return body if blocks is None else Body(blocks=blocks, images=body.images)


def _page_spots(keys: list[str], spots: dict[str, list[int]]) -> list[int | None]:
    """Where each body block sits on the page (``None`` where it is not placed), with
    as many blocks placed in page order as can be.

    Each block is first placed at its first spot after the previous block's. That
    misses when one early block matches text far down the page (a standfirst the
    body took from a teaser further on, a heading repeated in a sidebar): every
    block after it is then left unplaced, and nothing is put back around them. The
    longest run of blocks in page order is taken instead when it places more
    (unless the blocks have more than ``MAX_PLACED_PAIRS`` spots between them).
    """
    found: list[int | None] = []
    previous = -1
    for key in keys:
        candidates = spots.get(key, [])
        after = bisect.bisect_right(candidates, previous)
        if after < len(candidates):
            previous = candidates[after]
            found.append(previous)
        else:
            found.append(None)
    placed = sum(spot is not None for spot in found)
    if placed == len(keys):
        return found
    pairs = sum(len(spots.get(key, ())) for key in keys)
    if pairs > MAX_PLACED_PAIRS:
        return found
    best = _longest_page_order(keys, spots)
    return best if sum(spot is not None for spot in best) > placed else found


def _longest_page_order(
    keys: list[str], spots: dict[str, list[int]]
) -> list[int | None]:
    """The longest choice of one spot per block, rising with the blocks' order
    (a longest increasing subsequence over the blocks' candidate spots)."""
    tails: list[int] = []  # smallest last spot of a run of each length
    tail_pair: list[tuple[int, int]] = []  # (block, spot) ending that run
    back: dict[tuple[int, int], tuple[int, int] | None] = {}
    for index, key in enumerate(keys):
        # Spots of one block are tried from the last, so a run never takes two.
        for spot in reversed(spots.get(key, [])):
            length = bisect.bisect_left(tails, spot)
            back[(index, spot)] = tail_pair[length - 1] if length else None
            if length == len(tails):
                tails.append(spot)
                tail_pair.append((index, spot))
            else:
                tails[length] = spot
                tail_pair[length] = (index, spot)
    found: list[int | None] = [None] * len(keys)
    pair = tail_pair[-1] if tail_pair else None
    while pair is not None:
        found[pair[0]] = pair[1]
        pair = back[pair]
    return found


def _label(text: str, origin: lxml_html.HtmlElement | None) -> bool:
    """Whether a page block is a heading, a list item or a paragraph that only
    announces what follows ("Pros:"), which a page may repeat ("Pros", "Cons" under
    every product reviewed) where a paragraph it repeats is a copy (a page written
    twice, for phones and for desktops)."""
    if origin is None:
        return False
    if origin.tag != "p":
        return True
    return text.endswith(":") and len(text.split()) <= LABEL_MAX_WORDS


def _near_copy(key: str, others: list[Counter[str]]) -> bool:
    """Whether the words of ``key`` are nearly those of one of ``others``."""
    if not others:
        return False
    words = Counter(key.split())
    size = sum(words.values())
    for other in others:
        larger = max(size, other.total())
        if min(size, other.total()) >= NEAR_COPY_SHARE * larger and (
            (words & other).total() >= NEAR_COPY_SHARE * larger
        ):
            return True
    return False


def _named_near(
    element: lxml_html.HtmlElement, named: Callable[[list[str]], bool]
) -> bool:
    """Whether the element or one of its ``FURNITURE_DEPTH`` nearest ancestors has a
    class or id whose name parts ``named`` accepts."""
    for level, node in enumerate((element, *element.iterancestors())):
        if level > FURNITURE_DEPTH:
            return False
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if named(_NAME_PARTS.split(names)):
            return True
    return False


def _in_furniture(element: lxml_html.HtmlElement) -> bool:
    """Whether the element or one of its nearest ancestors is named as furniture."""
    return _named_near(element, lambda parts: bool(FURNITURE_WORDS.intersection(parts)))


def _div_paragraph(
    text: str,
    origin: lxml_html.HtmlElement,
    parents: Counter[lxml_html.HtmlElement | None],
) -> bool:
    """Whether text held directly in a <div> is a paragraph written without <p>: it
    reads as a sentence (enough words, ending as sentences end) and sits beside the
    body's own blocks, under the same parent or in the same template slot
    (:func:`_same_slot`), outside page furniture. A price tag, a toggle or a
    widget's label is short and ends in no full stop."""
    if origin.tag != "div" or not text.rstrip(CLOSING_MARKS).endswith(SENTENCE_ENDS):
        return False
    if _in_furniture(origin):
        return False
    if _in_faq(origin):
        return len(text.split()) >= FAQ_MIN_WORDS
    beside = origin.getparent() in parents or _same_slot(origin, parents)
    return beside and len(text.split()) >= DIV_PARAGRAPH_MIN_WORDS


def _same_slot(
    origin: lxml_html.HtmlElement, parents: Counter[lxml_html.HtmlElement | None]
) -> bool:
    """Whether the element is the same template slot as one holding two or more of
    the body's blocks: a rich-text field (same tag, same class) that the editor
    filled with <p> paragraphs in one section and with bare text in the next (WCXB
    4040, a history of coffee told section by section; 4858 and 4265, reviews
    whose verdict boxes hold bare text). One block is not enough: a modal's
    question shares its class with the one box of the page holding a line of the
    body."""
    name = (origin.get("class") or "").strip()
    return bool(name) and any(
        parent is not None
        and parent.tag == origin.tag
        and (parent.get("class") or "").strip() == name
        and parents[parent] >= 2
        for parent in parents
    )


def _in_faq(element: lxml_html.HtmlElement) -> bool:
    """Whether the element or one of its nearest ancestors is named as a list of
    questions and answers."""
    return _named_near(
        element, lambda parts: any(FAQ_NAME.fullmatch(part) for part in parts)
    )


def _restorable(
    text: str,
    origin: lxml_html.HtmlElement | None,
    parents: Counter[lxml_html.HtmlElement | None],
    data_tables: set[lxml_html.HtmlElement],
) -> bool:
    """Whether a page block is a heading, list item, paragraph or data table row
    worth putting back: it has words, is not a link nor mostly links, and is not
    page furniture. ``parents`` counts the elements holding the body's blocks found on
    the page, ``data_tables`` the page's tables of data (:func:`_data_table`)."""
    if origin is None or not any(char.isalpha() for char in text):
        return False
    in_item = origin.tag == "li" or any(a.tag == "li" for a in origin.iterancestors())
    if (
        origin.tag not in RESTORED_TAGS
        and not in_item
        and not (origin.tag == "tr" and _table_of(origin) in data_tables)
        and not _div_paragraph(text, origin, parents)
    ):
        return False
    if origin.tag == "p" and _in_furniture(origin):
        return False
    if origin.tag in HEADINGS and FURNITURE_HEADING.fullmatch(comparable(text)):
        return False
    if any(ancestor.tag == "a" for ancestor in origin.iterancestors()):
        return False
    chars = len(clean_text(origin.text_content()))
    links = origin.iter("a")
    if _plain_label(origin):
        links = (link for link in links if (link.get("href") or "").startswith("#"))
    linked = sum(len(clean_text(link.text_content())) for link in links)
    return linked <= RESTORED_MAX_LINK_SHARE * chars


def _introduced_list(
    text: str, origin: lxml_html.HtmlElement | None
) -> lxml_html.HtmlElement | None:
    """The sub-list a list item's line ending in a colon introduces ("Buying
    options:" and under it the stores, each a link): its items are that item's
    content, links or not, and without them the line dangles. (A colon line
    outside a list item introduces menus, tables of contents and related links as
    often as content: on WCXB dev it put back junk on 9 pages for 7 it mended.)"""
    if origin is None or not text.rstrip().endswith(":"):
        return None
    following = origin.getnext()
    parent = origin.getparent()
    if following is None or following.tag not in ("ul", "ol"):
        return None
    if parent is None or parent.tag != "li":
        return None
    return following


def _in_list(
    origin: lxml_html.HtmlElement | None, listing: lxml_html.HtmlElement | None
) -> bool:
    if origin is None or listing is None:
        return False
    holder = next(origin.iterancestors("ul", "ol"), None)
    return holder is listing and any(char.isalpha() for char in origin.text_content())


def _table_of(row: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    return next(row.iterancestors("table"), None)


def _data_table(table: lxml_html.HtmlElement) -> bool:
    """Whether a table holds data: it declares a header (<thead> or <th>), has at
    least ``MIN_TABLE_ROWS`` rows of two cells or more, and holds no other table.

    Its rows come back between body blocks like paragraphs (a ranking, a price
    comparison the body skipped); a table without a header is more often layout or
    a widget, whose rows lost word F1 when put back (WCXB dev, paragraphs kept:
    even ids 0.9039 → 0.9061, odd 0.9170 → 0.9171; word F1 even +0.00003, odd
    +0.0001).
    """
    if table.find("thead") is None and next(table.iter("th"), None) is None:
        return False
    if next(table.iterdescendants("table"), None) is not None:
        return False
    rows = (row for row in table.iter("tr") if sum(c.tag in CELLS for c in row) > 1)
    return len(list(itertools.islice(rows, MIN_TABLE_ROWS))) == MIN_TABLE_ROWS


def _plain_label(origin: lxml_html.HtmlElement) -> bool:
    """Whether a heading or list item is written as bare markup: no class on it, nor
    on the list holding an item.

    Its links then count as navigation only when they lead to a place on the same
    page (a table of contents). Lists and headings an author writes into the text
    carry no class (a list of sources, of the products or companies compared, each
    linked), while the related-story cards, tag lists and menus a template adds
    around an article are styled by class names (WCXB dev, paragraphs kept: even
    ids 0.9005 → 0.9039, odd 0.9094 → 0.9170; word F1 0.9515 → 0.9517 and 0.9452
    → 0.9453).
    """
    if origin.tag == "p" or origin.get("class"):
        return False
    parent = origin.getparent()
    return origin.tag != "li" or parent is None or not parent.get("class")


def _by_image(page_figures: list[PageFigure]) -> dict[str, PageFigure]:
    """The first page figure of each picture, by :func:`image_key`."""
    found: dict[str, PageFigure] = {}
    for figure in page_figures:
        key = image_key(figure.src)
        if key:
            found.setdefault(key, figure)
    return found


def _lead_and_figures(
    body: Body, page_figures: list[PageFigure], declared_lead: str
) -> tuple[Image | None, list[Figure]]:
    """The lead picture (declared, or shown before the first paragraph) and the rest.

    Pictures are matched by key (a dictionary, not a pairwise comparison: a page
    of 5,000 captioned pictures took 56 s)."""
    by_image = _by_image(page_figures)
    figures: list[Figure] = []
    seen: set[str] = set()
    for src, position in body.images:
        key = image_key(src) if src else ""
        if not src or key in seen or not readable_url(src):
            continue
        if key:
            seen.add(key)
        found = by_image.get(key)
        figures.append(
            Figure(
                src=src,
                caption=found.caption if found else "",
                credit=found.credit if found else "",
                position=position,
            )
        )
    figures.extend(_placed_by_page_order(body, page_figures, seen))
    figures.sort(key=lambda figure: figure.position)
    lead: Image | None = None
    if figures and figures[0].position == 0:
        first = figures.pop(0)
        lead = Image(src=first.src, caption=first.caption, credit=first.credit)
    elif declared_lead:
        found = by_image.get(image_key(declared_lead))
        lead = Image(
            src=declared_lead,
            caption=found.caption if found else "",
            credit=found.credit if found else "",
        )
    if lead is not None:
        lead_key = image_key(lead.src)
        figures = [f for f in figures if not lead_key or image_key(f.src) != lead_key]
    return lead, figures


def _placed_by_page_order(
    body: Body, page_figures: list[PageFigure], seen: set[str]
) -> list[Figure]:
    """Figures the body extractor dropped, placed before the block that follows
    them on the page (figures followed by no body text are left out). ``seen``
    holds the keys of the pictures already placed; those placed here join it."""
    placed: list[Figure] = []
    if not any(f.following for f in page_figures):
        return placed
    # The first block with each start, by the start's length: a figure goes
    # before the first block whose start its following text begins with.
    firsts: dict[int, dict[str, int]] = {}
    for index, block in enumerate(body.blocks):
        start = comparable(block[: ANCHOR_CHARS * 2])[:ANCHOR_CHARS]
        if start:
            firsts.setdefault(len(start), {}).setdefault(start, index)
    for page_figure in page_figures:
        key = image_key(page_figure.src)
        if not page_figure.following or (key and key in seen):
            continue
        positions = [
            starts[page_figure.following[:length]]
            for length, starts in firsts.items()
            if page_figure.following[:length] in starts
        ]
        if positions:
            if key:
                seen.add(key)
            placed.append(
                Figure(
                    src=page_figure.src,
                    caption=page_figure.caption,
                    credit=page_figure.credit,
                    position=min(positions),
                )
            )
    return placed


def _drop_strays(
    body: Body, title: str, summary: str, page_figures: list[PageFigure]
) -> tuple[Body, str]:
    """Drop the headline repeated near the top (with a kicker above it), the
    standfirst when it repeats the page's description, and any block that is a
    caption or credit; return the body and the standfirst ("" when none).

    The standfirst is the line under the headline that the page's description
    repeats: it is shown apart, under the headline, and is the article's summary.
    Picture positions are recounted so they still name the paragraphs before them.
    """
    stray = {comparable(text) for f in page_figures for text in (f.caption, f.credit)}
    stray.discard("")
    keep = [
        comparable(block) not in stray
        and not TEASER_LINE.fullmatch(block)
        and not FURNITURE_LABEL.fullmatch(block)
        for block in body.blocks
    ]
    headline = comparable(title)
    for index, block in enumerate(body.blocks[:HEADLINE_SEARCH_BLOCKS]):
        # The headline as the page shows it may be in capitals, the title not.
        shouted = in_capitals(block) and reads_the_same(title, block)
        if keep[index] and (comparable(block) == headline or shouted):
            keep[index] = False
            # A section label ("Business") or date line above the headline goes too.
            for before in range(index):
                if len(body.blocks[before].split()) <= KICKER_MAX_WORDS:
                    keep[before] = False
            break
    description = comparable(summary)
    standfirst = ""
    for index, block in enumerate(body.blocks[:HEADLINE_SEARCH_BLOCKS]):
        if description and comparable(block) == description:
            standfirst = standfirst or (block if keep[index] else "")
            keep[index] = False
        if DATE_LINE_BLOCK.fullmatch(block):
            keep[index] = False
    dropped = {index for index, flag in enumerate(keep) if not flag}
    return _without_blocks(body, dropped), standfirst


def _standfirst_near(headline: lxml_html.HtmlElement | None, description: str) -> str:
    """The text of the element shortly after the headline that is the page's
    description: a standfirst printed under the headline (a subhead, a dek, an
    excerpt) that trafilatura leaves out of the body as often as not."""
    key = comparable(description)
    if headline is None or not key or len(key.split()) > STANDFIRST_MAX_WORDS:
        return ""
    for element in itertools.islice(_following(headline), STANDFIRST_SEARCH_ELEMENTS):
        if not isinstance(element.tag, str) or element.tag in UNSHOWN_TAGS:
            continue
        text = clean_text(element.text_content())
        if comparable(text) == key:
            return text
    return ""


def _following(element: lxml_html.HtmlElement) -> Iterator[lxml_html.HtmlElement]:
    """The elements after ``element`` in document order (not inside it), read
    lazily: a page may hold a hundred thousand."""
    node: lxml_html.HtmlElement | None = element
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter()
        node = node.getparent()


def _drop_byline_echo(body: Body, people: str, credit: str) -> Body:
    """The body without the byline block by block at its top: the chosen
    people's names (alone or after "By"), date lines, read times and "Written
    By" labels, as long as the body's first blocks are only such pieces."""
    # Each person, all of them as the byline joins them, and the credit.
    names = {comparable(name) for name in (*people.split(", "), people, credit)}
    names.discard("")
    if not names:
        return body
    drop = 0
    for block in body.blocks[:BYLINE_ECHO_BLOCKS]:
        key = comparable(BYLINE_PIECE.sub(" ", block))
        if not (key in names or not key or DATE_BLOCK.fullmatch(block)):
            break
        drop += 1
    # Never the whole body: a piece that is only its byline is still a piece.
    return _without_blocks(body, set(range(min(drop, len(body.blocks) - 1))))


def _without_blocks(body: Body, dropped: set[int]) -> Body:
    """The body without the blocks at ``dropped``, pictures keeping their place."""
    if not dropped:
        return body
    kept_before = [0]
    for index in range(len(body.blocks)):
        kept_before.append(kept_before[-1] + (index not in dropped))
    return Body(
        blocks=[b for index, b in enumerate(body.blocks) if index not in dropped],
        images=[(src, kept_before[position]) for src, position in body.images],
    )


def _leading_credit(body: Body) -> tuple[Body, str]:
    """The body without a picture credit that opens it ("Credit: Reviewed /
    Hisense"), and that credit: it is the lead picture's, shown under it."""
    if len(body.blocks) < 2 or not CREDIT_BLOCK.fullmatch(body.blocks[0]):
        return body, ""
    return _without_blocks(body, {0}), body.blocks[0]


def extract_article(html: str | bytes, *, url: str | None = None) -> ExtractedArticle:
    """Turn an article page into a clean :class:`ExtractedArticle`.

    ``html`` may be bytes in any encoding (BOM, then <meta charset>, then UTF-8, then a
    guess). ``url`` is the address the page was fetched from; relative links and
    image sources are resolved against it. Raises :class:`ExtractionError` when the
    page is empty or holds no article text.
    """
    tree = _parse(html)
    page = read_metadata(tree, url)
    headline = headline_element(tree, page)
    window = byline_window(tree, headline)
    author_texts = author_elements(tree)
    labelled = labelled_authors(tree)
    page_text = shown_text(tree)
    description = plain_text(
        page.meta.get("og:description") or page.meta.get("description") or ""
    )
    standfirst_shown = _standfirst_near(headline, description)
    page_dates = page_date_candidates(tree, page, url, window, page_text)
    written_days = shown_dates(page_text)
    base_url = url or page.canonical or None
    base = tree.find(".//base")
    if base is not None and base.get("href"):
        base_url = join_url(base_url, base.get("href", "")) or base_url
    page_figures = take_figures(tree, base_url)
    _drop_note_marks(tree)
    _prune_boilerplate(tree)
    _break_preformatted_lines(tree)
    document = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    # bare_extraction returns a Document (never the dict form, without as_dict).
    body = (
        body_from_xml(document.body)  # type: ignore[union-attr]
        if document is not None
        else Body()
    )
    body = _second_opinion(body, tree)
    body = _fuller_container(body, tree)
    body = _regroup_table_cells(body, tree)
    reads = _PageReads()
    body = _restore_structure(body, tree, reads)
    if not body.blocks:
        body = _fallback_body(tree)

    meta = page.meta
    host = url_part(url or page.canonical, "hostname")
    # trafilatura falls back to the page's <title> for the site name: a "site name"
    # that is the whole declared title would strip every title candidate away.
    declared_titles = {
        comparable(text)
        for text in (meta.get("og:title"), page.html_title, meta.get("twitter:title"))
        if text
    }
    guessed_site = plain_text(getattr(document, "sitename", None))
    if comparable(guessed_site) in declared_titles:
        guessed_site = ""
    site_name, site_source = next(
        (
            (name, source)
            for source, name in (
                ("meta:og:site_name", plain_text(meta.get("og:site_name"))),
                ("jsonld:publisher", jsonld_publisher(page)),
                ("trafilatura", guessed_site),
                ("url:host", host),
            )
            if name
        ),
        ("", ""),
    )
    title, title_source = choose_title_source(
        page, getattr(document, "title", None) or "", site_name, host
    )
    body, standfirst = _drop_strays(body, title, description, page_figures)
    standfirst_source = "body:description" if standfirst else ""
    if (
        not standfirst
        and standfirst_shown
        and comparable(standfirst_shown) not in map(comparable, body.blocks)
    ):
        standfirst, standfirst_source = standfirst_shown, "page:description"
    # A page without text still says what it is (its title, date, picture):
    # those go with the error, for a feed entry's text to stand in for the body.
    textless = sum(len(block) for block in body.blocks) < MIN_ARTICLE_CHARS
    declared_lead = (
        meta.get("og:image") or jsonld_image(page) or meta.get("twitter:image")
    )
    declared_lead = join_url(base_url, declared_lead) if declared_lead else ""
    byline = choose_byline(
        page=page,
        author_texts=author_texts,
        byline_text=window.text,
        labelled=labelled,
        page_text=page_text,
        extracted=getattr(document, "author", None) or "",
        site_names=[site_name, meta.get("og:site_name", ""), host],
    )
    figures: list[Figure] = []
    if textless:
        body, lead_credit = Body(), ""
        lead = Image(src=declared_lead) if declared_lead else None
    else:
        body = _drop_byline_echo(body, byline.people, byline.credit)
        body, lead_credit = _leading_credit(body)
        lead, figures = _lead_and_figures(body, page_figures, declared_lead)
    if lead is not None and lead_credit and not lead.credit:
        lead = Image(src=lead.src, caption=lead.caption, credit=lead_credit)
    choice = dates.choose_dates(
        [*page_dates, dates.candidate("htmldate", getattr(document, "date", None))],
        shown=written_days,
    )
    paragraphs, kinds = _as_on_the_page(body.blocks, tree, reads)
    article = ExtractedArticle(
        title=title,
        byline=byline.people,
        credit=byline.credit,
        published=choice.published,
        updated=choice.updated,
        date_candidates=choice.candidates,
        shown_days=written_days,
        sources={
            "title": title_source,
            "byline": byline.source,
            "credit": byline.credit_source,
            "site_name": site_source,
            "published": choice.published_source,
            "updated": choice.updated_source,
            "standfirst": standfirst_source,
        },
        site_name=site_name,
        canonical_url=page.canonical or url or "",
        language=language_code(page.lang)
        or (getattr(document, "language", None) or ""),
        lead_image=lead,
        paragraphs=tuple(paragraphs),
        block_kinds=kinds,
        figures=tuple(figures),
        standfirst=standfirst,
    )
    if textless:
        raise NoArticleText(
            "no article text found: the page has no paragraphs outside menus and "
            "boilerplate (is it a listing, a login wall or a script-only page?)",
            page=article,
        )
    return article


def _as_on_the_page(
    blocks: list[str], tree: lxml_html.HtmlElement, reads: _PageReads | None = None
) -> tuple[list[str], tuple[str, ...]]:
    """The body's blocks with what each is on the page (:func:`block_kind`): the
    blocks are found on the page in order, as :func:`_restore_structure` finds
    them, and a block not found there (text trafilatura rewrote) is a paragraph.
    A line of code is given back as the page indents it: trafilatura reads a
    <pre> without markup as a quotation, whose lines lose their indentation."""
    root = tree.find("body")
    if root is None or not blocks:
        return blocks, (PARAGRAPH,) * len(blocks)
    page, _, found = _read_page(root, [comparable(block) for block in blocks], reads)
    shown: list[str] = []
    kinds: list[str] = []
    for block, spot in zip(blocks, found, strict=True):
        origin = page[spot] if spot is not None else None
        kind = block_kind(block, origin[1] if origin else None)
        if origin and kind == PREFORMATTED and origin[0].strip() == block.strip():
            block = origin[0]
        shown.append(block)
        kinds.append(kind)
    return shown, tuple(kinds)
