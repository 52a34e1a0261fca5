"""The extractor on every article page of the bundled demo publishers.

The demo renders the same catalog through six different templates (semantic
<figure>s, div soup with loose captions, <picture>/srcset, JSON-LD, comment widgets,
kickers and standfirsts). The catalog is the ground truth: each page must give back
exactly the article's paragraphs, subheadings and list items in order, each
marked as what it is (a paragraph, a heading, a list item), its lead
picture's caption and credit, and its inline figures where they stand.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from cupure.demo import catalog as demo_catalog
from cupure.demo.site import DemoSite
from cupure.extract import extract_article
from cupure.extract.body import HEADINGS

BASE_URL = "http://127.0.0.1:8000"
# Templates print a marker before the credit ("Photograph: …", "©"); the catalog
# holds the bare credit.
CREDIT_MARKER = re.compile(r"^(?:Photograph|Picture|Photo|Image)s?:\s*|^©\s*")

CATALOG = demo_catalog.load_catalog()
SITE = DemoSite(CATALOG, BASE_URL, datetime(2026, 11, 25, 12, tzinfo=UTC))


def _expected_blocks(
    article: demo_catalog.Article,
) -> tuple[list[str], list[str], list[int]]:
    """Body blocks in order, what each is ("heading" for a subheading at any
    level, the templates set them as <h2> or <h3>), and the number of blocks
    before each inline figure."""
    blocks: list[str] = []
    kinds: list[str] = []
    positions: list[int] = []
    for block in article.blocks:
        if isinstance(block, demo_catalog.InlineFigure):
            positions.append(len(blocks))
        elif isinstance(block, demo_catalog.BulletList):
            blocks.extend(" ".join(item.split()) for item in block.items)
            kinds.extend("li" for _ in block.items)
        else:
            blocks.append(" ".join(block.text.split()))
            heading = isinstance(block, demo_catalog.Subheading)
            kinds.append("heading" if heading else "p")
    return blocks, kinds, positions


def _kind(kind: str) -> str:
    return "heading" if kind in HEADINGS else kind


@pytest.mark.parametrize("article", CATALOG.articles, ids=lambda a: a.key)
def test_demo_article_page(article: demo_catalog.Article) -> None:
    """Headline, byline, every block as its own paragraph, captions and credits
    apart from the text, figures in place."""
    page = SITE.respond(SITE.article_path(article))
    extracted = extract_article(page.body, url=SITE.article_url(article))
    blocks, kinds, positions = _expected_blocks(article)
    assert extracted.title == " ".join(article.headline.split())
    assert extracted.byline == article.author
    assert list(extracted.paragraphs) == blocks
    assert [_kind(kind) for kind in extracted.block_kinds] == kinds
    # A template that prints the summary under the headline (a standfirst, a
    # subhead, an excerpt) gets it back apart from the paragraphs.
    summary = " ".join(article.summary.split())
    body = lxml_html.document_fromstring(page.body).find("body")
    shown = any(
        " ".join(element.text_content().split()) == summary
        for element in body.iter()
        if isinstance(element.tag, str) and element.tag not in ("script", "template")
    )
    assert extracted.standfirst == (summary if shown else "")
    lead = extracted.lead_image
    assert lead is not None
    assert article.lead.image_id in lead.src
    assert lead.caption == " ".join(article.lead.caption.split())
    assert CREDIT_MARKER.sub("", lead.credit) == " ".join(article.lead.credit.split())
    inline = article.inline_figures
    assert [f.position for f in extracted.figures] == positions
    for found, expected in zip(extracted.figures, inline, strict=True):
        assert expected.image_id in found.src
        assert found.caption == " ".join(expected.caption.split())
        assert CREDIT_MARKER.sub("", found.credit) == " ".join(expected.credit.split())
