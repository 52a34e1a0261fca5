"""What a browser does to a parsed page before anyone reads it, done to ours too.

libxml2 parses HTML as it is written; a browser then shows more than that tree
holds. Two cases lost whole articles on real pages:

* **Text after ``</html>``.** Broken themes close the document early
  ("</body></html>" after the header) and write the article after it. A browser
  shows that as part of the body; libxml2 hangs it beside the root, where nothing
  is read (WCXB 0310: a whole article read as its related-post teasers).
* **Streamed sections.** React's streaming server rendering (Next.js and others)
  sends a placeholder where a slow section goes (``<template id="B:0">`` after a
  ``<!--$?-->`` comment, then a "Loading…" fallback up to ``<!--/$-->``) and the
  section itself later, at the end of the body, in ``<div hidden id="S:0">``; a
  small script moves it into place. Without that script the article's sections sit
  hidden after the footer, and the reader saw "Loading paragraph…" (WCXB 0046).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

# The id of a streamed section's content and of its placeholder, with the same number.
STREAMED_ID = re.compile(r"S:([0-9a-z]+)\Z")
# Where a streamed section starts and ends among the comments React writes.
BOUNDARY_OPEN = frozenset({"$", "$?", "$!"})
BOUNDARY_CLOSE = "/$"
# How a page that streams sections shows it in its source, checked before parsing.
STREAMED_MARK = re.compile(r"<div hidden[^>]*\bid=\"S:")
# A fallback is a spinner or a line of text: a placeholder whose closing comment
# is not among this many nodes after it has none (a page of thousands of
# unclosed placeholders would otherwise be read end to end for each).
FALLBACK_MAX_NODES = 50


def streams_sections(html: str) -> bool:
    """Whether ``html`` holds streamed sections (parse it keeping comments)."""
    return STREAMED_MARK.search(html) is not None


def repair_tree(root: lxml_html.HtmlElement, *, streamed: bool = False) -> None:
    """Put the text after ``</html>`` in the body and, on a page parsed with its
    comments because it ``streamed`` sections (:func:`streams_sections`), the
    sections in place, then drop those comments (the rest of the extractor reads a
    tree without comments, as trafilatura parses)."""
    _adopt_trailing_roots(root)
    if streamed:
        _place_streamed_sections(root)
        etree.strip_tags(root, etree.Comment)


def _adopt_trailing_roots(root: lxml_html.HtmlElement) -> None:
    head = root.find("head")
    body = root.find("body")
    if body is None:
        return
    sibling = root.getnext()
    while sibling is not None:
        following = sibling.getnext()
        if isinstance(sibling.tag, str):
            children = sibling if sibling.tag in ("html", "body") else [sibling]
            for child in list(children):
                if child.tag == "head" and head is not None:
                    head.extend(list(child))
                elif child.tag == "body":
                    body.extend(list(child))
                else:
                    body.append(child)
        sibling = following


def _place_streamed_sections(root: lxml_html.HtmlElement) -> None:
    """Move each ``<div hidden id="S:n">`` into the place of its ``<template
    id="B:n">``, dropping the placeholder's fallback, in document order (a moved
    section may hold the placeholder of a later one)."""
    body = root.find("body")
    if body is None:
        return
    sections = [
        element
        for element in body.iter("div")
        if element.get("hidden") is not None
        and STREAMED_ID.match(element.get("id") or "")
    ]
    if not sections:
        return
    placeholders = {
        element.get("id"): element
        for element in root.iter("template")
        if element.get("id")
    }
    for section in sections:
        number = STREAMED_ID.match(section.get("id") or "")
        placeholder = placeholders.get(f"B:{number.group(1)}") if number else None
        if placeholder is None or placeholder.getparent() is None:
            continue
        if _drop_fallback(placeholder):
            placeholder.tail = None  # fallback text ("Loading…")
        for child in list(section):
            placeholder.addprevious(child)
        section.drop_tree()  # lxml.html: its tail stays in place
        placeholder.drop_tree()


def _drop_fallback(placeholder: etree._Element) -> bool:
    """Remove what follows the placeholder up to the boundary's closing comment
    (the fallback, "Loading…"); without a closing comment nothing is removed, as
    there is no telling where the fallback ends."""
    depth = 0
    fallback: list[etree._Element] = []
    node = placeholder.getnext()
    while node is not None and len(fallback) < FALLBACK_MAX_NODES:
        if node.tag is etree.Comment:
            text = (node.text or "").strip()
            if text == BOUNDARY_CLOSE and depth == 0:
                break
            if text in BOUNDARY_OPEN:
                depth += 1
            elif text == BOUNDARY_CLOSE:
                depth -= 1
        fallback.append(node)
        node = node.getnext()
    else:
        return False  # no closing comment near enough
    for node in fallback:
        node.tail = None
        node.getparent().remove(node)
    return True
