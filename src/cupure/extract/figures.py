"""Figures in the page: image, caption and credit, read before the body is extracted.

Captions and credits are read here and then removed from the tree, so the body
extractor never sees them and cannot paste them into a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from .text import clean_text

# Containers that hold one picture and its caption (WordPress uses div.wp-caption).
FIGURE_XPATH = (
    "//figure"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption ')]"
)
CAPTION_XPATH = (
    ".//figcaption"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')]"
)
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
# Lazy-loading attributes that hold the real image URL while src is a placeholder.
LAZY_SRC_ATTRIBUTES = ("data-src", "data-lazy-src", "data-original", "data-url")


@dataclass(frozen=True)
class PageFigure:
    """A figure found in the page, in document order."""

    src: str
    caption: str
    credit: str


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
    """The real URL of an <img>: lazy-load attributes first, then src, then srcset."""
    for attribute in (*LAZY_SRC_ATTRIBUTES, "src"):
        value = (img.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return urljoin(base_url or "", value)
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    if srcset:
        return urljoin(base_url or "", srcset.split(",")[0].split()[0])
    return ""


def same_image(a: str, b: str) -> bool:
    """Whether two URLs name the same picture (ignoring query strings and host)."""
    if not a or not b:
        return False
    path_a, path_b = urlsplit(a).path, urlsplit(b).path
    return path_a == path_b and bool(path_a.strip("/"))


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
    found = []
    for element in container.iter():
        if not isinstance(element.tag, str) or element is container:
            continue
        is_credit = element.tag == "cite" or CREDIT_CLASS.search(
            element.get("class") or ""
        )
        if is_credit and not any(element in a.iterdescendants() for a in found):
            found.append(element)
    return found


def take_figures(tree: lxml_html.HtmlElement, base_url: str | None) -> list[PageFigure]:
    """Read each figure's image, caption and credit, then drop the captions."""
    figures: list[PageFigure] = []
    containers = tree.xpath(FIGURE_XPATH)
    inside = set()
    for container in containers:
        if container in inside:
            continue
        inside.update(container.iterdescendants())
        img = next(container.iter("img"), None)
        src = image_src(img, base_url) if img is not None else ""
        credits = _credit_elements(container)
        credit = clean_text(" ".join(c.text_content() for c in credits))
        captions = container.xpath(CAPTION_XPATH)
        caption = clean_text(" ".join(_text_without(c, credits) for c in captions))
        caption, inline_credit = split_credit(caption)
        credit = credit or inline_credit
        if src:
            figures.append(PageFigure(src=src, caption=caption, credit=credit))
            if img is not None:
                img.set("src", src)
        for element in [*captions, *credits]:
            parent = element.getparent()
            if parent is not None:
                element.drop_tree()
    return figures
