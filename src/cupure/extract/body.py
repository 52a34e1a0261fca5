"""Body blocks from trafilatura XML: one string per paragraph, heading, list item or
line break.

trafilatura's XML keeps structure, but a block may hold other blocks (a <p> with a
<head> inside, text between two headings, a list inside an item). We read it as a
flow: block elements end the current block and start a new one, inline elements
(<hi>, <ref>, <lb/> …) add to it, so paragraphs are never run together.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from lxml import etree

from .text import clean_text

# trafilatura XML elements that start and end a block of their own.
BLOCK_TAGS = frozenset(
    {"body", "div", "p", "head", "list", "item", "quote", "table", "row", "ab"}
)
# The same roles in HTML, for bodies found by other means (readability-lxml).
HTML_BLOCK_TAGS = frozenset(
    {"body", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl"}
    | {"dt", "dd", "blockquote", "pre", "table", "tr", "section", "article", "main"}
    | {"header", "footer", "figure", "figcaption", "aside", "nav", "form", "hr"}
)
# A line break ends a block: pages fake paragraphs with <br><br>, and an address or
# a quoted e-mail reads better line by line than run together (WCXB paragraphs kept
# 0.800 → 0.814 on 400 article pages). Lines of <pre>/<code> are blocks too.
BREAK_ENDS_BLOCK = True
# A tab in a line of code is this many spaces of indentation.
CODE_TAB_WIDTH = 4
# Separator between table cells when a row becomes one block.
CELL_SEPARATOR = " | "
# A row is one block unless a cell holds a list of at least this many items.
MIN_CELL_LIST_ITEMS = 2
# Items of an ordered list start with their number, as the browser shows them
# ("1. Harvard Business School"): the number is part of what readers see and
# refer to (WCXB dev, even ids: gold lines kept whole 0.830 → 0.838).


@dataclass
class Body:
    """Blocks in reading order and where each picture sat among them."""

    blocks: list[str] = field(default_factory=list)
    images: list[tuple[str, int]] = field(default_factory=list)  # (src, position)


@dataclass
class _Flow:
    blocks_tags: frozenset[str] = BLOCK_TAGS
    picture_tag: str = "graphic"
    break_tag: str = "lb"
    # trafilatura sometimes leaves a table's HTML <th>/<td> behind without their
    # <table> and <tr>: kept apart as cells, or "Baseline" and "Private Internet
    # Access" read as "BaselinePrivate Internet Access" (WCXB 4864).
    cell_tags: frozenset[str] = frozenset({"cell", "td", "th"})
    preformatted_tags: frozenset[str] = frozenset({"code"})
    body: Body = field(default_factory=Body)
    buffer: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    row_tags: frozenset[str] = frozenset({"row", "tr"})
    item_tag: str = "item"
    preformatted: int = 0  # depth inside <code>/<pre>, where newlines are lines
    in_row: int = 0  # depth inside a table row, which is one block whatever it holds
    # The innermost block element open while reading, and the one each block came
    # from (parallel to body.blocks), for passes that judge blocks by their markup.
    open_blocks: list[etree._Element] = field(default_factory=list)
    origins: list[etree._Element | None] = field(default_factory=list)
    skipped: frozenset[str] = frozenset()  # elements read as if absent
    # Elements of a skipped kind read all the same (a <header> that wraps the
    # whole article).
    wrappers: frozenset[etree._Element] = frozenset()
    # The number of an ordered list's item, written before the item's first text:
    # an item often wraps its text in a paragraph (<li><p>…</p></li>), which would
    # otherwise leave the number alone as a block of its own.
    marker: str = ""

    def add(self, text: str | None) -> None:
        if not text:
            return
        if self.marker and text.strip():
            # An item that prints its own number ("<li><div class=stepnum>1</div>
            # <p>Look for a deal…") shows it once, before its text, not "1. 1".
            if text.strip().rstrip(".):").lstrip("0") == self.marker.rstrip(". "):
                return
            self.buffer.append(self.marker)
            self.marker = ""
        if not self.preformatted:
            self.buffer.append(text)
            return
        first, *rest = text.split("\n")
        self.buffer.append(first)
        for line in rest:
            self.flush()
            self.buffer.append(line)

    def has_text(self) -> bool:
        return any(part.strip() for part in self.buffer)

    def flush(self) -> None:
        raw = "".join(self.buffer)
        text = clean_text(raw)
        if text and self.preformatted:
            # A line of code keeps its indentation (tabs as four spaces): it is
            # what nests a block in Python, and what a reader reads code by.
            raw = raw.replace("\u00a0", " ").expandtabs(CODE_TAB_WIDTH)
            text = raw[: len(raw) - len(raw.lstrip())].replace("\n", "") + text
        self.buffer.clear()
        if text:
            self.body.blocks.append(text)
            self.origins.append(self.open_blocks[-1] if self.open_blocks else None)
        # A picture met inside a paragraph is placed after that paragraph.
        position = len(self.body.blocks)
        self.body.images.extend((src, position) for src in self.pending)
        self.pending.clear()

    def picture(self, src: str) -> None:
        if self.has_text():
            self.pending.append(src)
        else:
            self.body.images.append((src, len(self.body.blocks)))

    def _ordered(self, element: etree._Element) -> bool:
        if self.item_tag == "item":
            return element.tag == "list" and element.get("rend") == "ol"
        return element.tag == "ol"

    def _lists_in_cells(self, row: etree._Element) -> bool:
        """Whether every cell of the row that holds text holds a list, one of
        several items: a pros and cons table, whose items a reader reads one by
        one down each column, not run together across the row. A row naming
        what its list is ("proxy_scheme | … | http, https, socks5") stays one."""
        items = [
            len(list(cell.iter(self.item_tag)))
            for cell in row
            if cell.tag in self.cell_tags and "".join(cell.itertext()).strip()
        ]
        return bool(items) and min(items) > 0 and max(items) >= MIN_CELL_LIST_ITEMS

    def walk(self, element: etree._Element, number: int | None = None) -> None:
        tag = element.tag
        if not isinstance(tag, str) or (
            tag in self.skipped
            and not _toggle(element)
            and element not in self.wrappers
        ):
            return
        if tag == self.picture_tag:
            self.picture(element.get("src", ""))
            # trafilatura moves text that followed an image into <graphic> itself.
            self.add(element.text)
            return
        if tag == self.break_tag:
            if BREAK_ENDS_BLOCK:
                self.flush()
            else:
                self.add(" ")
            return
        row = tag in self.row_tags and not self._lists_in_cells(element)
        # trafilatura writes inline and block code alike as <code>; only a
        # multi-line one is a block of its own.
        preformatted = tag in self.preformatted_tags and (
            tag == "pre" or "\n" in "".join(element.itertext()).strip()
        )
        block = (tag in self.blocks_tags or preformatted) and (row or not self.in_row)
        if self.in_row and tag in self.blocks_tags and not row:
            self.add(" ")
        self.preformatted += preformatted
        self.in_row += row
        if block:
            self.flush()
            self.open_blocks.append(element)
        elif tag in self.cell_tags and self.has_text():
            self.add(CELL_SEPARATOR)
        if number is not None and tag == self.item_tag:
            self.marker = f"{number}. "
        self.add(element.text)
        count = _list_start(element) if self._ordered(element) else None
        for child in element:
            if count is not None and child.tag == self.item_tag:
                self.walk(child, count)
                count += 1
            else:
                self.walk(child)
            self.add(child.tail)
        if preformatted:
            self.flush()  # its last line, still read as code (indented)
        self.preformatted -= preformatted
        self.in_row -= row
        if block:
            self.flush()
            self.open_blocks.pop()
        elif tag in self.cell_tags:
            self.add(" ")
        if number is not None:
            self.marker = ""  # an item without text leaves no number behind


def _toggle(element: etree._Element) -> bool:
    """Whether an element is a button that opens a part of the page it names
    (``aria-controls``, ``aria-expanded``): an accordion's title, such as a FAQ's
    question, which is read even where buttons are skipped as controls (WCXB dev,
    paragraphs kept: even ids 0.9072 → 0.9076, odd 0.92241 → 0.92257; word F1
    unchanged on the even ids, odd +0.00001). A site menu's toggle is read too,
    but sits outside the article, where nothing is put back."""
    return (
        element.tag == "button"
        and element.get("aria-controls") is not None
        and element.get("aria-expanded") is not None
    )


def _list_start(element: etree._Element) -> int:
    start = (element.get("start") or "").strip()
    return int(start) if start.isdigit() and len(start) < 6 else 1


def body_from_xml(root: etree._Element | None) -> Body:
    """Walk trafilatura's ``body`` element into blocks and picture positions."""
    flow = _Flow()
    if root is not None:
        flow.walk(root)
        flow.flush()
    return flow.body


def body_from_html(root: etree._Element | None) -> Body:
    """Walk an HTML fragment (block elements, <img>, <br>) the same way."""
    return _html_flow(root).body


def html_blocks(
    root: etree._Element,
    skipped: frozenset[str],
    wrappers: frozenset[etree._Element] = frozenset(),
) -> list[tuple[str, etree._Element | None]]:
    """The blocks of an HTML tree read as :func:`body_from_html` reads them, leaving
    the ``skipped`` elements out (but for the ``wrappers``, read as any other), each
    with the innermost block element its text came from (``None`` for text directly
    under ``root``)."""
    flow = _html_flow(root, skipped, wrappers)
    return list(zip(flow.body.blocks, flow.origins, strict=True))


def _html_flow(
    root: etree._Element | None,
    skipped: frozenset[str] = frozenset(),
    wrappers: frozenset[etree._Element] = frozenset(),
) -> _Flow:
    flow = _Flow(
        blocks_tags=HTML_BLOCK_TAGS,
        picture_tag="img",
        break_tag="br",
        cell_tags=frozenset({"td", "th"}),
        preformatted_tags=frozenset({"pre"}),
        row_tags=frozenset({"tr"}),
        item_tag="li",
        skipped=skipped,
        wrappers=wrappers,
    )
    if root is not None:
        flow.walk(root)
        flow.flush()
    return flow


# What a block is, as the page marks it up: the article page shows each the way the
# publisher did (a subheading as a heading, a list's items as a list, a table's rows
# as a table) instead of as so many paragraphs. "p" is also every block whose place
# on the page is not known.
PARAGRAPH = "p"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LIST_ITEM = "li"
NUMBERED_ITEM = "oli"  # its number already opens its text ("1. Preheat the oven")
TABLE_ROW = "row"  # its cells joined by CELL_SEPARATOR
HEADER_ROW = "hrow"  # a table row of header cells (<th>) only
QUOTE = "quote"
PREFORMATTED = "pre"
BLOCK_KINDS = frozenset(
    {PARAGRAPH, *HEADINGS, LIST_ITEM, NUMBERED_ITEM, TABLE_ROW, HEADER_ROW}
    | {QUOTE, PREFORMATTED}
)
# A paragraph inside a list item or a quotation is looked up this many levels.
KIND_ANCESTORS = 4
# A heading element holding more words than this is a paragraph set in one: on the
# 793 WCXB dev articles, 13,361 of 13,393 heading blocks have at most 20 words; of
# the 32 longer, none reads as a heading (leads, promotions, a FAQ's question
# with its answer).
MAX_HEADING_WORDS = 20
# How a numbered item's text opens (the marker _Flow writes before it).
NUMBERED_TEXT = re.compile(r"\d+\. ")


def block_kind(text: str, origin: etree._Element | None) -> str:
    """The kind of the block ``text``, whose text came from ``origin``, the
    innermost HTML block element around it (``html_blocks``): a heading, a list
    item (a paragraph set in one too), a table row (of header cells or not), a
    line of preformatted text, a quotation's paragraph, else a paragraph.

    Two are paragraphs whatever their markup: a "heading" of more than
    :data:`MAX_HEADING_WORDS` words (a lead or a promotion set in <h2>), and a
    block in a numbered item that does not open with its number, a paragraph of
    the item after its first (the number went to the item's heading; the article
    page never numbers items itself)."""
    kind = _markup_kind(origin)
    if kind in HEADINGS and len(text.split()) > MAX_HEADING_WORDS:
        return PARAGRAPH
    if kind == NUMBERED_ITEM and not NUMBERED_TEXT.match(text):
        return PARAGRAPH
    return kind


def _markup_kind(origin: etree._Element | None) -> str:
    if origin is None:
        return PARAGRAPH
    tag = origin.tag
    if tag in HEADINGS:
        return str(tag)
    if tag == "tr":
        cells = [child.tag for child in origin if child.tag in ("td", "th")]
        return HEADER_ROW if cells and set(cells) == {"th"} else TABLE_ROW
    for level, element in enumerate(itertools.chain([origin], origin.iterancestors())):
        if level > KIND_ANCESTORS:
            break
        if element.tag == "pre":
            return PREFORMATTED
        if element.tag == "li":
            parent = element.getparent()
            ordered = parent is not None and parent.tag == "ol"
            return NUMBERED_ITEM if ordered else LIST_ITEM
        if element.tag in ("blockquote", "q"):
            return QUOTE
        if element.tag in ("td", "th", "table"):
            break
    return PARAGRAPH
