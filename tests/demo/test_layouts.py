"""Each publisher's pages use their own markup, as real CMSs do.

Rendered through DemoSite directly (no sockets): the extractor is meant to meet
these different structures, so losing one would weaken the demo.
"""

import json
from datetime import UTC, datetime

import lxml.html
import pytest

from cupure.demo.catalog import load_catalog
from cupure.demo.site import DemoSite

CATALOG = load_catalog()
SITE = DemoSite(CATALOG, "http://127.0.0.1:9", datetime(2026, 11, 25, 12, tzinfo=UTC))


def _page(publisher: str, *, with_figure: bool = False):
    for article in CATALOG.articles_of(publisher):
        if article.inline_figures or not with_figure:
            response = SITE.respond(SITE.article_path(article))
            assert response.status == 200
            return article, lxml.html.fromstring(response.body)
    raise AssertionError(f"{publisher} has no article with an inline figure")


def test_herald_uses_article_and_figure_with_figcaption_credit():
    article, doc = _page("harbour-herald", with_figure=True)
    (story,) = doc.xpath("//article")
    figures = story.xpath(".//figure")
    assert len(figures) == 1 + len(article.inline_figures)
    assert figures[0].xpath(".//figcaption/span[@class='credit']")


def test_evening_post_is_div_soup_with_caption_paragraph_and_credit_span():
    article, doc = _page("evening-post", with_figure=True)
    assert not doc.xpath("//article | //figure")
    (body,) = doc.xpath("//div[@class='story-body']")
    assert body.xpath(".//p[@class='caption']") and body.xpath(
        ".//span[@class='credit']"
    )
    captions = doc.xpath("//p[@class='caption']/text()")
    assert article.lead.caption in captions


def test_gazette_uses_picture_with_srcset():
    _, doc = _page("marrowdale-gazette")
    (hero,) = doc.xpath("//figure[contains(@class, 'hero')]")
    assert hero.xpath(".//picture/source/@srcset")
    (srcset,) = hero.xpath(".//img/@srcset")
    assert "600w" in srcset and "1200w" in srcset


def test_northshore_interleaves_ad_slots_with_paragraphs():
    _, doc = _page("northshore-daily")
    assert doc.xpath("//div[@class='article-text']/div[@class='ad-slot']")
    assert doc.xpath("//div[@class='img-caption']/em[@class='img-credit']")


def test_lantern_carries_json_ld_news_article():
    article, doc = _page("the-lantern")
    (ld,) = doc.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(ld)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["author"]["name"] == article.author


@pytest.mark.parametrize("publisher", [p.slug for p in CATALOG.publishers])
def test_article_body_html_escapes_content(publisher):
    """Quotes and apostrophes in the prose arrive as text, never as markup."""
    article, doc = _page(publisher)
    assert doc.xpath("//h1")[0].text_content() == article.headline
