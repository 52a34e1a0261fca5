"""Comment Markdown becomes safe HTML; every XSS vector ends up as text or nothing."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from cupure.comments import markup
from cupure.comments.markup import (
    count_links,
    normalise_for_repeat,
    render_comment_html,
)


@pytest.fixture(autouse=True)
def _fresh_renderer() -> None:
    """Each test builds the shared renderer itself, so its settings are what the test
    checks (not a renderer an earlier test, or mutation testing's parent process,
    built)."""
    markup._markdown.clear()


def test_markdown_is_rendered() -> None:
    """Emphasis, code, quotes and lists render as their HTML elements."""
    html = render_comment_html("*so* **very** `x`\n\n> quoted\n\n- one\n- two")
    assert "<em>so</em>" in html
    assert "<strong>very</strong>" in html
    assert "<code>x</code>" in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def elements_of(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


SAFE_TAGS = {
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


@pytest.mark.parametrize(
    ("markdown", "shown_as_text"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ('<a href="javascript:alert(1)">x</a>', "&lt;a href="),
        ("<iframe src=//evil.example></iframe>", "&lt;iframe"),
        ("<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"),
        ('<p style="position:fixed">x</p>', "&lt;p style="),
        ("**<b onmouseover=alert(1)>bold</b>**", "&lt;b onmouseover=alert(1)&gt;"),
    ],
)
def test_raw_html_is_shown_as_text(markdown: str, shown_as_text: str) -> None:
    """Raw HTML in a comment is escaped: the reader sees the tags as text, and the
    browser builds no element or attribute from them."""
    html = render_comment_html(markdown)
    assert shown_as_text in html
    built = elements_of(html)
    assert built.tags <= SAFE_TAGS
    assert all(name in {"href", "rel", "start"} for name, _ in built.attributes)


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "[click](  javascript:alert(1))",
        "[click](java&#09;script:alert(1))",
        "[click](&#106;avascript:alert(1))",
    ],
)
def test_dangerous_link_targets_never_become_links(markdown: str) -> None:
    """Markdown links to javascript:, vbscript: or data: URLs never get such a target
    (at most a harmless relative one, as ``java%09script:`` is to a browser)."""
    html = render_comment_html(markdown)
    for name, value in elements_of(html).attributes:
        if name == "href":
            scheme = urlsplit(value.strip()).scheme.lower()
            assert scheme in {"", "http", "https", "mailto"}, value
            assert not value.lower().startswith(("javascript", "vbscript", "data"))


def test_images_and_headings_are_not_rendered() -> None:
    """No images (tracking pixels) and no headings (the page outline) from readers."""
    html = render_comment_html("# Big\n\n![pixel](https://track.example/p.gif)")
    assert "<h1" not in html
    assert "<img" not in html
    assert "# Big" in html


def test_links_carry_rel_attributes() -> None:
    """Readers' links are nofollow/ugc and cannot reach back into our window."""
    html = render_comment_html("[source](https://news.example/a)")
    assert 'href="https://news.example/a"' in html
    assert 'rel="nofollow ugc noopener noreferrer"' in html


def test_count_links_counts_bare_and_markdown_links() -> None:
    text = "see https://a.example and [b](http://b.example) and www.c.example"
    assert count_links(text) == 3
    assert count_links("no links here") == 0


def test_normalise_for_repeat_ignores_case_and_spacing() -> None:
    assert normalise_for_repeat("Hello   World\n") == normalise_for_repeat(
        "hello world"
    )


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        # Raw HTML is text, not markup (markdown-it "html": False).
        ("<em>hi</em>", "<p>&lt;em&gt;hi&lt;/em&gt;</p>"),
        # No headings (the page's outline) in either spelling.
        ("# Title", "<p># Title</p>"),
        ("Title\n===", "<p>Title\n===</p>"),
        # No images: what remains is a link to the picture, never an <img>.
        (
            "![pixel](https://t.example/p.gif)",
            '<p>!<a href="https://t.example/p.gif" rel="nofollow ugc noopener '
            'noreferrer">pixel</a></p>',
        ),
        # Bare URLs are not turned into links, quotes and (c) are left as typed.
        ("see https://x.example now", "<p>see https://x.example now</p>"),
        ('"quoted" (c) -- done', '<p>"quoted" (c) -- done</p>'),
        # A link keeps its title (harmless text), ftp: loses its target.
        (
            '[x](https://a.example/ "Title")',
            '<p><a href="https://a.example/" title="Title" rel="nofollow ugc '
            'noopener noreferrer">x</a></p>',
        ),
        (
            "[files](ftp://f.example/a)",
            '<p><a rel="nofollow ugc noopener noreferrer">files</a></p>',
        ),
        (
            "3. third\n4. fourth",
            '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>',
        ),
    ],
)
def test_renderer_settings_each_hold(markdown: str, html: str) -> None:
    """Each setting of the renderer, pinned by the exact HTML it gives."""
    assert render_comment_html(markdown) == html


def test_repeat_comparison_text_is_casefolded_with_single_spaces() -> None:
    assert normalise_for_repeat("  Straße  IS\n\tclosed ") == "strasse is closed"
