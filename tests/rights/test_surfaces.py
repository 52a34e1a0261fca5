"""Each display policy on each surface that shows an article (issue #18, item 1):
the article page (attribution and rel=canonical included), RSS, Atom, JSON Feed,
search snippets, the sitemap, OpenGraph/Twitter meta; and the publisher's signals
on the same surfaces. Runs on SQLite and, with CUPURE_DATABASE_URL, PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

import feedparser
import pytest
from django.test import Client

from cupure.articles.models import Article, Figure
from cupure.rights.policy import Signals, decide
from cupure.rights.selectors import in_sitemap_q
from cupure.search.selectors import search_articles
from cupure.search.services import search_index_article
from cupure.sources.services import publisher_get_or_create

pytestmark = pytest.mark.django_db

POLICIES = ["full", "excerpt", "headline"]
PUBLISHED = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
LEAD = "Lead words about the {name} harbour crossing reopening this morning."
SECOND = "Second paragraph {name} with the engineers' account of the repairs."
THIRD = "Third paragraph {name} closing words only full copies may carry."


@dataclass
class Case:
    policy: str
    article: Article

    @property
    def name(self) -> str:
        return self.policy


def _article(policy: str, robots: dict | None = None, n: int = 0) -> Article:
    publisher = publisher_get_or_create(
        name=f"{policy.title()} Paper {n}",
        homepage_url=f"https://{policy}{n}.example/",
        display_policy=policy,
    )
    words = {"name": f"{policy}{n}"}
    article = Article.objects.create(
        publisher=publisher,
        url=f"https://{policy}{n}.example/news/1",
        canonical_url=f"https://{policy}{n}.example/news/1",
        title=f"Crossing reopens {policy}{n}",
        slug=f"crossing-{policy}{n}",
        byline="Mara Quist",
        published=PUBLISHED,
        site_name=publisher.name,
        summary=LEAD.format(**words),
        paragraphs=[p.format(**words) for p in (LEAD, SECOND, THIRD)],
        lead_image_src=f"https://{policy}{n}.example/img/lead.jpg",
        lead_image_caption="The crossing.",
        robots=robots or {},
    )
    Figure.objects.create(
        article=article,
        position=1,
        src=f"https://{policy}{n}.example/img/inline.jpg",
        caption="Inline figure.",
    )
    _attach_images(article)
    search_index_article(article=article)
    return article


_image_sizes = itertools.count(1)


def _attach_images(article: Article) -> None:
    """Stored copies of the article's lead image and figure, as ingest would have
    fetched them (cupure.images), each a picture of its own (distinct sizes, so
    distinct content hashes and file names)."""
    from cupure.images.models import ArticleImage
    from cupure.images.services import image_store
    from tests.imaging import samples

    sources = [(None, article.lead_image_src, 1200)]
    sources += [(figure, figure.src, 800) for figure in article.figures.all()]
    for figure, url, width in sources:
        data = samples.photo(width + next(_image_sizes), 450)
        ArticleImage.objects.create(
            article=article,
            figure=figure,
            source_url=url,
            image=image_store(data=data),
            status=ArticleImage.Status.STORED,
        )


def _lead(article: Article) -> str:
    """The path stem of the article's lead image renditions (without width)."""
    from cupure.images.selectors import article_pictures

    pictures = article_pictures(article)
    assert pictures.lead
    return pictures.lead.src.rsplit("-", 1)[0]


def _inline(article: Article) -> str:
    from cupure.images.selectors import article_pictures

    (figure,) = article_pictures(article).figures.values()
    return figure.src.rsplit("-", 1)[0]


def _share(article: Article) -> str:
    from cupure.images.selectors import article_pictures

    pictures = article_pictures(article)
    assert pictures.lead
    return f"http://testserver{pictures.lead.share_url}"


@pytest.fixture
def cases() -> dict[str, Article]:
    return {policy: _article(policy) for policy in POLICIES}


def _meta(html: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{key}" content="([^"]*)"', html)
    return match.group(1) if match else None


def _canonical(html: str) -> str:
    match = re.search(r'<link rel="canonical" href="([^"]*)"', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize("policy", POLICIES)
def test_article_page(client: Client, cases, policy: str) -> None:
    article = cases[policy]
    html = client.get(article.get_absolute_url()).content.decode()
    paragraphs = [
        unescape(p) for p in re.findall(r'<p(?: id="p\d+")?>([^<]*)</p>', html)
    ]
    expected = {
        "full": article.paragraphs,
        "excerpt": [article.paragraphs[0]],
        "headline": [],
    }[policy]
    assert [p for p in paragraphs if "paragraph" in p or "Lead" in p] == expected
    assert (_lead(article) in html) is (policy != "headline")
    assert (_inline(article) in html) is (policy == "full")
    # The publisher's own image addresses stay in the database, never in the page.
    assert "lead.jpg" not in html and "inline.jpg" not in html
    # Attribution: publisher, author, date and how it is shown.
    shown = {
        "full": f"under {article.publisher.name}'s licence",
        "excerpt": "as an excerpt",
        "headline": "as a headline and link only",
    }[policy]
    attribution = re.search(r'<p class="attribution">(.*?)</p>', html, re.S)
    assert attribution
    text = re.sub(r"<[^>]+>", "", attribution.group(1))
    assert re.sub(r"\s+", " ", text).startswith(
        f"Published by {article.publisher.name}, written by Mara Quist, on "
        "24 November 2026, 08:00 UTC;"
    )
    assert f"shown here {shown}." in text
    assert f'href="{article.canonical_url}"' in html
    if policy != "full":
        assert "Read the full article on" in html
    # rel=canonical credits the original only for a full copy.
    ours = f"http://testserver{article.get_absolute_url()}"
    assert _canonical(html) == (article.canonical_url if policy == "full" else ours)
    assert (_meta(html, "robots") == "noindex") is (policy == "headline")


@pytest.mark.parametrize("policy", POLICIES)
def test_opengraph_and_twitter(client: Client, cases, policy: str) -> None:
    article = cases[policy]
    html = client.get(article.get_absolute_url()).content.decode()
    description = "" if policy == "headline" else article.summary
    for key in ("og:description", "twitter:description", "description"):
        assert _meta(html, key) == description, key
    image = None if policy == "headline" else _share(article)
    assert _meta(html, "og:image") == image
    assert _meta(html, "twitter:image") == image
    assert _meta(html, "twitter:card") == (
        "summary" if policy == "headline" else "summary_large_image"
    )


def _feed_text(fmt: str, client: Client, article: Article) -> tuple[str, bool]:
    """The item's text and whether it carries an image, in feed format ``fmt``."""
    url = f"/feeds/publishers/{article.publisher.slug}.{fmt}"
    body = client.get(url).content
    if fmt == "json":
        (item,) = json.loads(body)["items"]
        return item["content_text"], "image" in item
    (entry,) = feedparser.parse(body).entries
    has_image = any(link.rel == "enclosure" for link in entry.links)
    # HTML: one <p> a paragraph, publisher text escaped.
    paragraphs = re.findall(r"<p>(.*?)</p>", entry.summary, re.S)
    return "\n\n".join(unescape(p) for p in paragraphs), has_image


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize("policy", POLICIES)
def test_feeds(client: Client, cases, policy: str, fmt: str) -> None:
    article = cases[policy]
    text, has_image = _feed_text(fmt, client, article)
    expected = {
        "full": "\n\n".join(article.paragraphs),
        "excerpt": article.paragraphs[0],
        "headline": f"Published by {article.publisher.name}.",
    }[policy]
    assert text == expected
    assert has_image is (policy != "headline")


@pytest.mark.parametrize("policy", POLICIES)
def test_search_snippet(cases, policy: str) -> None:
    article = cases[policy]
    page = search_articles(query=f"paragraph {policy}0")
    (result,) = [r for r in page.results if r.article.pk == article.pk]
    if policy == "headline":
        assert result.snippet_text == ""
        assert str(result.snippet_html) == ""
    else:
        assert policy in result.snippet_text


def test_sitemap_lists_only_excerpt_pages(client: Client, cases) -> None:
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    listed = {p for p in POLICIES if cases[p].get_absolute_url() in sitemap}
    assert listed == {"excerpt"}


def test_search_cards_follow_the_policy(client: Client, cases) -> None:
    html = client.get("/search/", {"q": "crossing"}).content.decode()
    assert _lead(cases["full"]) in html
    assert _lead(cases["headline"]) not in html


def test_home_cards_follow_the_policy(client: Client, cases) -> None:
    html = client.get("/").content.decode()
    assert cases["excerpt"].summary in html
    assert cases["headline"].title in html
    assert cases["headline"].summary not in html
    assert _lead(cases["excerpt"]) in html
    assert _lead(cases["headline"]) not in html


# --- The publisher's signals on the same surfaces ---------------------------------


def test_signals_on_every_surface(client: Client) -> None:
    article = _article(
        "full",
        Signals(
            max_snippet=20, max_image_preview="standard", found=("meta robots: x",)
        ).to_json(),
        n=1,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert _meta(html, "twitter:card") == "summary"
    assert _meta(html, "og:description") == "Lead words about…"
    # Cut to an excerpt: the canonical is our page, no inline figures.
    assert _inline(article) not in html and _lead(article) in html
    assert _canonical(html).startswith("http://testserver/")
    text, _ = _feed_text("json", client, article)
    assert text == "Lead words about…"
    (result,) = search_articles(query="paragraph full1").results
    assert len(result.snippet_text) <= 20
    assert (
        article.get_absolute_url()
        in client.get("/sitemap-articles.xml").content.decode()
    )


def test_noindex_leaves_search_and_sitemap(client: Client) -> None:
    article = _article("excerpt", Signals(noindex=True).to_json(), n=2)
    assert search_articles(query="paragraph excerpt2").results == []
    html = client.get(article.get_absolute_url()).content.decode()
    assert _meta(html, "robots") == "noindex"
    assert (
        article.get_absolute_url()
        not in client.get("/sitemap-articles.xml").content.decode()
    )


SIGNAL_CHOICES = [
    Signals(),
    Signals(noindex=True),
    Signals(noarchive=True),
    Signals(nosnippet=True),
    Signals(max_snippet=0),
    Signals(max_snippet=30),
    Signals(max_image_preview="none"),
]


def test_sitemap_filter_agrees_with_the_policy() -> None:
    """The database filter of the sitemap says what decide() says, for every
    policy and signal."""
    expected = {}
    for n, (policy, signals) in enumerate(itertools.product(POLICIES, SIGNAL_CHOICES)):
        article = _article(policy, signals.to_json(), n=n + 10)
        expected[article.pk] = decide(policy, signals).in_sitemap
    found = set(Article.objects.filter(in_sitemap_q()).values_list("pk", flat=True))
    assert found == {pk for pk, listed in expected.items() if listed}
    assert 0 < len(found) < len(expected)
