"""Comment Markdown to safe HTML, and the facts moderation needs about it.

No Django here: a pure core, tested without a database. The raw Markdown is what we
store; the HTML is derived from it and stamped with ``SANITIZER_VERSION`` so that a
stricter sanitizer can re-render every stored comment.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

# Bump when the renderer or the allow-list below changes: stored comments whose
# ``sanitizer_version`` is older are re-rendered from their Markdown.
SANITIZER_VERSION = 1

# Inline emphasis, code, quotes, lists and links: enough to argue a point. No images
# (tracking pixels, shock images), no headings (they would break the page's outline).
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Readers' links must not pass our ranking to spammers (ugc, nofollow) nor give the
# target a handle on our window (noopener, noreferrer).
LINK_REL = "nofollow ugc noopener noreferrer"

# What readers usually write as a link, with or without Markdown around it.
_URL_LIKE = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)


def _renderer() -> MarkdownIt:
    # "html": False makes raw HTML in the input plain text: "<script>" is shown, never
    # run. markdown-it also refuses javascript:, vbscript:, file: and data: link
    # targets before nh3 sees them (two locks on one door).
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False}
    )
    md.disable(["image", "heading", "lheading"])
    return md


_markdown: list[MarkdownIt] = []


def _shared_renderer() -> MarkdownIt:
    """The one renderer, built on first use: not at import, so that mutation testing
    (which switches a mutant on after importing) sees its settings. Undecorated on
    purpose: mutmut does not mutate decorated functions."""
    if not _markdown:
        _markdown.append(_renderer())
    return _markdown[0]


def render_comment_html(markdown: str) -> str:
    """The sanitised HTML of a comment's Markdown.

    Raw HTML in the input is escaped and shown as text; only ``ALLOWED_TAGS`` survive;
    links keep http(s)/mailto targets only and carry ``rel="nofollow ugc noopener
    noreferrer"``.
    """
    html = _shared_renderer().render(markdown)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def count_links(markdown: str) -> int:
    """How many links a comment carries: URL-looking text, linked or bare."""
    return len(_URL_LIKE.findall(markdown))


def normalise_for_repeat(markdown: str) -> str:
    """A comment's text reduced for repeat-post comparison: case and spacing ignored."""
    return " ".join(markdown.casefold().split())
