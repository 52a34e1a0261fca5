"""What a browser does to a parsed page before anyone reads it, done to ours too.

libxml2 parses HTML as it is written; a browser then shows more than that tree
holds. Three cases lost whole articles, or their structure, on real pages:

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
* **End tags libxml2 ignores.** ``<header><div class="search">…</header>``: the
  ``<div>`` is never closed. A browser closes it at ``</header>`` (HTML's tree
  construction pops open elements up to the one the end tag names); libxml2
  ignores the ``</header>`` instead, and the whole article lands inside the page's
  header, where furniture is skipped (WCXB 0269 lost every subheading). The
  parser's log names each ignored end tag and its line; what the page writes
  after that line is moved out to follow the element, as a browser builds it.
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


# End tags that close every element opened inside theirs, in a browser (HTML's "in
# body" rules for these names): libxml2 ignores them when an element opened inside
# is still open, and logs "Opening and ending tag mismatch: header and div".
CLOSES_INNER = frozenset(
    {"address", "article", "aside", "blockquote", "button", "center", "details"}
    | {"dialog", "dir", "dl", "fieldset", "figcaption", "figure", "footer"}
    | {"header", "hgroup", "listing", "main", "menu", "nav", "ol", "pre", "search"}
    | {"section", "summary", "ul", "li", "dd", "dt"}
)
# A browser ignores such an end tag when one of these lies between (its "scope").
SCOPE_LIMITS = frozenset(
    {"table", "td", "th", "caption", "template", "object", "marquee", "applet"}
)
IGNORED_END_TAG = re.compile(r"Opening and ending tag mismatch: (\w+) and \w+")
# A page with more ignored end tags than this is read as parsed (each costs a walk).
IGNORED_END_TAGS_MENDED = 20


def close_ignored_end_tags(
    root: lxml_html.HtmlElement, log: etree._ListErrorLog
) -> None:
    """Close the elements whose end tag libxml2 ignored (:data:`CLOSES_INNER`), as
    a browser would: what the page writes on later lines inside such an element
    moves out to follow it, innermost first. Only lines tell where the end tag
    was, so a page written on one line keeps its tree."""
    ignored = [
        (match.group(1).lower(), entry.line)
        for entry in log
        if (match := IGNORED_END_TAG.match(entry.message))
    ]
    for tag, line in ignored[:IGNORED_END_TAGS_MENDED]:
        if tag in CLOSES_INNER:
            _close_at(root, tag, line)


def _close_at(root: lxml_html.HtmlElement, tag: str, line: int) -> None:
    # The first node written after that line sits inside every element still open
    # there that holds more; the innermost such <tag> is the one the end tag closed.
    first = next((node for node in root.iter() if (node.sourceline or 0) > line), None)
    if first is None:
        return
    open_here = [
        element
        for element in first.iterancestors()
        if (element.sourceline or 0) <= line
    ]
    closed = next(
        (index for index, element in enumerate(open_here) if element.tag == tag),
        None,
    )
    if closed is None or any(
        element.tag in SCOPE_LIMITS for element in open_here[:closed]
    ):
        return  # not open there, or a browser ignores that end tag too
    # Innermost first: what each open element holds after the line, in order.
    moved = [
        child
        for level in open_here[: closed + 1]
        for child in level
        if (child.sourceline or 0) > line
    ]
    anchor = open_here[closed]
    for child in moved:
        anchor.addnext(child)
        anchor = child


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
