"""Figures in the page: image, caption and credit, read before the body is extracted.

Captions and credits are read here and then removed from the tree, so the body
extractor never sees them and cannot paste them into a paragraph.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import islice

from lxml import etree
from lxml import html as lxml_html

from .text import clean_text, comparable, join_url, url_part

# Containers that hold one picture and its caption (WordPress uses div.wp-caption).
# (Compiled once; "contains" first so the token test runs on few elements.)
FIGURE_XPATH = etree.XPath(
    "//figure | //*[contains(@class, 'wp-caption')]"
    "[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption ')]"
)
CAPTION_XPATH = (
    ".//figcaption"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
)
# Elements outside any figure whose class says they caption the picture before them.
LOOSE_CAPTION_XPATH = etree.XPath(
    "//*[self::p or self::div or self::span or self::small][contains(@class, 'aption')]"
)
# How many preceding siblings a loose caption looks through for its picture.
LOOSE_CAPTION_REACH = 2
# Class names publishers give the credit line of a picture.
CREDIT_CLASS = re.compile(
    r"(^|[\s_-])(credit|credits|copyright|attribution|photographer|image-source"
    r"|photo-source|source|byline|author)($|[\s_-])",
    re.IGNORECASE,
)
# Where a credit starts inside a caption written as one string:
# "Waves at the pier. Photo: Jane Doe / Agency", "(Photo by X/Getty Images)", "© AP".
CREDIT_MARKER = re.compile(
    r"(?:^|(?<=[\s.;,(\[|]))"
    r"(?:(?:photo(?:graph)?s?|image|picture|pic|illustration|graphic|video|foto|bild"
    r"|credit|source)\s*(?:by|credit|courtesy of)?\s*:"
    r"|(?:photo(?:graph)?s?|image|picture|illustration)\s+(?:by|courtesy of)\s"
    r"|credit\s*[:\-]?\s"
    r"|©|\(c\)\s|copyright\s)",
    re.IGNORECASE,
)
# A figure is placed before the body block that starts with the first this many
# characters of the text following it on the page, looked for this many levels up.
ANCHOR_CHARS = 60
ANCHOR_LEVELS = 3
# Siblings looked at on each level: a gallery of text-less pictures otherwise has
# each picture look through all those after it (4,000 pictures took 29 s; the
# longest run on the 1,497 WCXB dev pages is 47).
ANCHOR_SIBLINGS = 100
# Each image URL is keyed several times (body, page figures, lead); parse it once.
IMAGE_KEY_CACHE = 4096
# Renditions of one picture differ by a size suffix: photo-1200x675.jpg, photo-scaled.
IMAGE_SIZE_SUFFIX = re.compile(
    r"(?:[-_]\d{2,5}x\d{2,5}|-scaled)(\.\w+)$", re.IGNORECASE
)
# Lazy-loading attributes that hold the real image URL while src is a placeholder.
LAZY_SRC_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url")


@dataclass(frozen=True)
class PageFigure:
    """A figure found in the page, in document order."""

    src: str
    caption: str
    credit: str
    following: str = ""  # comparable() start of the text after it, to place it


def split_credit(caption: str) -> tuple[str, str]:
    """Split "Waves. Photo: Jane Doe" into ("Waves.", "Photo: Jane Doe")."""
    text = clean_text(caption)
    match = CREDIT_MARKER.search(text)
    if match is None:
        return text, ""
    start = match.start()
    before = text[:start].rstrip()
    credit = text[start:].strip()
    if before.endswith(("(", "[")):
        before = before[:-1].rstrip()
        credit = credit.rstrip(")]").strip()
    return before.rstrip(" -–—|/"), credit


def image_src(img: lxml_html.HtmlElement, base_url: str | None) -> str:
    """The real URL of an <img>: the largest srcset candidate, else a lazy-load
    attribute, else src (placeholders in ``data:`` URLs are skipped)."""
    largest = _largest_in_srcset(img.get("srcset") or img.get("data-srcset") or "")
    if largest:
        return join_url(base_url, largest)
    for attribute in (*LAZY_SRC_ATTRIBUTES, "src"):
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return join_url(base_url, value)
    return ""


def _largest_in_srcset(srcset: str) -> str:
    """The candidate with the largest width ("800w") in a srcset, or ""."""
    best, best_width = "", 0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts or parts[0].startswith("data:"):
            continue
        width = 1
        if len(parts) > 1 and parts[1][:-1].isdigit():
            width = int(parts[1][:-1]) * (1 if parts[1].endswith("w") else 1000)
        if width > best_width:
            best, best_width = parts[0], width
    return best


def same_image(a: str, b: str) -> bool:
    """Whether two URLs name the same picture: same path once host, query and a
    size suffix ("-1200x675", "-scaled") are ignored."""
    key_a, key_b = image_key(a), image_key(b)
    return bool(key_a) and key_a == key_b


@functools.lru_cache(maxsize=IMAGE_KEY_CACHE)
def image_key(url: str) -> str:
    """What two URLs of one picture share (see :func:`same_image`); "" for a URL
    without a path, which names no picture."""
    path = url_part(url, "path")
    if not path.strip("/"):
        return ""
    return IMAGE_SIZE_SUFFIX.sub(r"\1", path)


def _text_without(element: lxml_html.HtmlElement, skip: list) -> str:
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        if node in skip:
            if node.tail:
                parts.append(node.tail)
            return
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not element and node.tail:
            parts.append(node.tail)

    walk(element)
    return clean_text(" ".join(parts))


def _credit_elements(container: lxml_html.HtmlElement) -> list:
    found: list[lxml_html.HtmlElement] = []
    for element in container.iter():
        if not isinstance(element.tag, str) or element is container:
            continue
        is_credit = element.tag == "cite" or CREDIT_CLASS.search(
            element.get("class") or ""
        )
        if is_credit and not any(element in a.iterdescendants() for a in found):
            found.append(element)
    return found


def _preceding_img(element: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The picture a loose caption belongs to: in a sibling just before it, else the
    last one before it inside its parent."""
    sibling = element.getprevious()
    for _ in range(LOOSE_CAPTION_REACH):
        if sibling is None:
            break
        if sibling.tag == "img":
            return sibling
        found = sibling.findall(".//img") if isinstance(sibling.tag, str) else []
        if found:
            return found[-1]
        sibling = sibling.getprevious()
    parent = element.getparent()
    if parent is None:
        return None
    before = None
    for img in parent.iter("img"):
        if img in element.iterancestors() or element in img.iterancestors():
            continue
        if _precedes(img, element):
            before = img
    return before


def _precedes(a: lxml_html.HtmlElement, b: lxml_html.HtmlElement) -> bool:
    for element in a.itersiblings():
        if element is b or b in element.iterdescendants():
            return True
    parent = a.getparent()
    return parent is not None and parent is not b and _precedes(parent, b)


def _unwrap(credit: str) -> str:
    """ "(Northshore Daily)" → "Northshore Daily"."""
    text = clean_text(credit)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text


def _anchor(text: str) -> str:
    # Cut before normalising: a following sibling may hold the whole article.
    return comparable(clean_text(text)[: ANCHOR_CHARS * 2])[:ANCHOR_CHARS]


def _leading_text(element: lxml_html.HtmlElement) -> str:
    """The start of ``element``'s text, enough for :func:`_anchor`: read piece by
    piece, not joined whole (a sibling may hold the whole article, and each of
    many pictures before it would copy it)."""
    pieces: list[str] = []
    letters = 0
    for piece in element.itertext():
        pieces.append(piece)
        letters += sum(map(len, piece.split()))
        if letters > ANCHOR_CHARS * 2:
            break
    return "".join(pieces)


def _following_text(element: lxml_html.HtmlElement, skip: list) -> str:
    """The start of the first text after ``element`` in reading order (its own
    caption and credit skipped), for placing the figure among body paragraphs."""
    current: lxml_html.HtmlElement | None = element
    for _ in range(ANCHOR_LEVELS):
        if current is None:
            return ""
        if current.tail and current.tail.strip():
            return _anchor(current.tail)
        for sibling in islice(current.itersiblings(), ANCHOR_SIBLINGS):
            if sibling in skip or not isinstance(sibling.tag, str):
                continue
            text = _anchor(_leading_text(sibling))
            if text:
                return text
            if sibling.tail and sibling.tail.strip():
                return _anchor(sibling.tail)
        current = current.getparent()
    return ""


def _record(
    figures: list[PageFigure],
    img: lxml_html.HtmlElement | None,
    captions: list,
    credits: list,
    base_url: str | None,
    anchor: lxml_html.HtmlElement,
) -> None:
    """Add one figure, then drop its caption and credit elements from the tree."""
    src = image_src(img, base_url) if img is not None else ""
    following = _following_text(anchor, [*captions, *credits])
    credit = _unwrap(" ".join(c.text_content() for c in credits))
    caption = clean_text(" ".join(_text_without(c, credits) for c in captions))
    caption, inline_credit = split_credit(caption)
    if src:
        figures.append(
            PageFigure(
                src=src,
                caption=caption,
                credit=credit or inline_credit,
                following=following,
            )
        )
        if img is not None:
            img.set("src", src)
    for element in [*captions, *credits]:
        if element.getparent() is not None:
            element.drop_tree()


def take_figures(tree: lxml_html.HtmlElement, base_url: str | None) -> list[PageFigure]:
    """Read each figure's image, caption and credit, then drop the captions.

    Figures are <figure> and WordPress ``wp-caption`` containers, and also "loose"
    captions: an element whose class names a caption, next to the picture it
    describes (``<div class="img"><img></div><p class="caption">…</p>``).
    """
    figures: list[PageFigure] = []
    inside: set = set()
    for container in FIGURE_XPATH(tree):
        if container in inside:
            continue
        inside.update(container.iter())
        credits = _credit_elements(container)
        captions = container.xpath(CAPTION_XPATH)
        img = next(container.iter("img"), None)
        _record(figures, img, captions, credits, base_url, container)
    for caption in LOOSE_CAPTION_XPATH(tree):
        if caption in inside or caption.getparent() is None:
            continue
        credits = _credit_elements(caption)
        following = caption.getnext()
        if following is not None and CREDIT_CLASS.search(following.get("class") or ""):
            credits.append(following)
        _record(figures, _preceding_img(caption), [caption], credits, base_url, caption)
    return figures
