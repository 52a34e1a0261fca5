"""Feeds out: RSS 2.0, Atom 1.0 and JSON Feed 1.1; the sitemap; robots.txt.

Every feed is an ``ArticleFeed``: a subclass only says which articles and what the
feed is called (``context``); the base class turns articles into items the same way
for all three formats:

- titles and descriptions are plain text. Feed readers treat an RSS description and
  an Atom ``summary type="html"`` as HTML, so the text is HTML-escaped before the
  writer XML-escapes it: a ``<script>`` in a publisher's summary reaches the reader
  as the characters ``<script>``; the only tags are our own: a whole text is set
  as on the article page (paragraphs, subheadings, lists, tables; the template
  web/_body.html), an excerpt is one ``<p>``. JSON Feed carries the text as
  ``content_text``;
- an item carries what the publisher allows (``cupure.rights.policy``): the whole
  text, an excerpt, or only who published it; the lead image only where images
  may be shown;
- each item links to our article page, and to the publisher's original (Atom and
  RSS: ``link rel="related"``; JSON Feed: ``external_url``);
- author = the byline, date = publication time, the lead image as an enclosure
  (RSS/Atom) and as ``image`` (JSON Feed): our own WebP rendition (cupure.images)
  with its size, never the publisher's file, and nothing when we have none.

A topic feed (with the trending work) is one more subclass of ``ArticleFeed`` and one
line in ``urls_feeds.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import reverse
from django.utils.feedgenerator import (
    Atom1Feed,
    Enclosure,
    Rss201rev2Feed,
    SyndicationFeed,
    rfc3339_date,
)
from django.utils.html import escape

from cupure.articles.models import Article
from cupure.articles.selectors import (
    ARTICLE_UNSHOWN_FIELDS,
    article_body,
    article_list_for_publisher,
    article_list_latest,
)
from cupure.imaging import RENDITION_MEDIA_TYPE
from cupure.rights.selectors import article_display, in_sitemap_q
from cupure.sources.models import Publisher
from cupure.stories.models import Story
from cupure.stories.selectors import story_coverage, story_merged_into

# A feed lists this many articles: a day of a busy site, and a bounded response.
FEED_ITEM_COUNT = 50
SITE_NAME = "cupure"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


# --- Generators --------------------------------------------------------------------


class RssFeed(Rss201rev2Feed):
    """RSS 2.0 with the original article as ``<atom:link rel="related">``."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("original_url"):
            handler.addQuickElement(
                "atom:link", attrs={"rel": "related", "href": item["original_url"]}
            )


class AtomFeed(Atom1Feed):
    """Atom 1.0 with the original article as ``<link rel="related">``."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        if item.get("original_url"):
            handler.addQuickElement(
                "link", "", {"rel": "related", "href": item["original_url"]}
            )


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), built from the same items."""

    content_type = "application/feed+json; charset=utf-8"

    def as_json(self) -> dict[str, Any]:
        feed = self.feed
        document: dict[str, Any] = {
            "version": JSON_FEED_VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"]}] if feed["author_name"] else [],
        }
        document = {key: value for key, value in document.items() if value}
        # Required even when empty (JSON Feed 1.1: "items (array, required)").
        document["items"] = [self._item(item) for item in self.items]
        return document

    def _item(self, item: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "external_url": item.get("original_url"),
            "title": item["title"],
            # JSON Feed requires content_text or content_html: ours is plain text.
            "content_text": item.get("content_text") or item["title"],
            "image": item.get("image"),
            "date_published": rfc3339_date(item["pubdate"])
            if item["pubdate"]
            else None,
            "authors": [{"name": item["author_name"]}] if item["author_name"] else [],
            "tags": list(item["categories"]),
        }
        return {key: value for key, value in entry.items() if value}

    def write(self, outfile, encoding) -> None:
        outfile.write(json.dumps(self.as_json(), ensure_ascii=False))


FEED_FORMATS: dict[str, type[SyndicationFeed]] = {
    "rss": RssFeed,
    "atom": AtomFeed,
    "json": JsonFeed,
}
FEED_MIME_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


# --- Feeds -------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedContext:
    """What one feed request is about: its text, its page, and its articles."""

    title: str
    link: str
    description: str
    # Path (with query string) of this feed: its self link.
    feed_path: str
    articles: Callable[[], Iterable[Article]]
    # The site's absolute root URL, for image links (set from the request).
    site_root: str = ""


def _item_text(article: Article) -> str:
    """What the publisher lets the item carry (cupure.rights.policy): the whole
    text, an excerpt, or only who published it."""
    # A whole text opens with the standfirst, as the article page does.
    paragraphs = [article.standfirst, *article.paragraphs]
    text = article_display(article).text(paragraphs, article.summary)
    return text or f"Published by {article.publisher.name}."


def _body_template() -> Any:
    """The article page's body template (its ``body_block`` macro), which feeds
    share."""
    return engines["jinja2"].env.get_template("web/_body.html").module


class ArticleFeed(Feed):
    """A feed of articles. Subclasses implement ``context``; see the module doc.

    Feed instances are shared by every request (one per format), so nothing is
    kept on ``self``: everything a request needs travels in its ``FeedContext``.
    """

    feed_type: type[SyndicationFeed] = RssFeed
    author_name = SITE_NAME

    def context(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        return replace(
            self.context(request, **kwargs),
            site_root=request.build_absolute_uri("/"),
        )

    def title(self, obj: FeedContext) -> str:
        return obj.title

    def link(self, obj: FeedContext) -> str:
        return obj.link

    def description(self, obj: FeedContext) -> str:
        return obj.description

    def feed_url(self, obj: FeedContext) -> str:
        return obj.feed_path

    def items(self, obj: FeedContext) -> Iterable[Article]:
        from cupure.images.selectors import lead_pictures

        chosen = list(obj.articles())[:FEED_ITEM_COUNT]
        # Read again in one query with their bodies: a full-text publisher's items
        # carry the whole text (the lists above load cards only).
        bodies = (
            Article.objects.select_related("publisher")
            .defer(*ARTICLE_UNSHOWN_FIELDS)
            .in_bulk([article.pk for article in chosen])
        )
        articles = [bodies[a.pk] for a in chosen if a.pk in bodies]
        pictures = lead_pictures(articles)
        for article in articles:
            picture = (
                pictures.get(article.pk) if article_display(article).image else None
            )
            # (absolute URL, bytes) of the rendition feeds link, or None.
            article.feed_image = (  # type: ignore[attr-defined]
                (urljoin(obj.site_root, picture.share_url), picture.share_bytes)
                if picture
                else None
            )
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # Escaped once here, once more by the XML writer: see the module doc. A
        # whole text is set as on the article page (the same template), so it
        # reads in a feed reader with its subheadings, lists and tables; an
        # excerpt is one <p>.
        if article_display(item).whole_text:
            standfirst = f"<p>{escape(item.standfirst)}</p>" if item.standfirst else ""
            body_block = _body_template().body_block
            return standfirst + "".join(
                str(body_block(block, on_page=False))
                for block in article_body(item, with_figures=False)
            )
        return "".join(
            f"<p>{escape(paragraph)}</p>"
            for paragraph in _item_text(item).split("\n\n")
        )

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str | None:
        return item.byline or None

    def item_pubdate(self, item: Article):
        return item.published

    def item_updateddate(self, item: Article):
        """Atom requires ``<updated>`` on every entry (RFC 4287 §4.1.2): the
        publisher's declared update, else the publication time."""
        return item.updated or item.published

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        image = getattr(item, "feed_image", None)
        if image is None:
            return []
        url, size = image
        return [Enclosure(url, str(size), RENDITION_MEDIA_TYPE)]

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        image = getattr(item, "feed_image", None)
        return {
            "original_url": item.url,
            "content_text": _item_text(item),
            "image": image[0] if image else None,
        }


class LatestFeed(ArticleFeed):
    """The home page's latest original articles."""

    def context(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        return FeedContext(
            title=f"{SITE_NAME}: latest news",
            link=reverse("web:home"),
            description="The latest articles gathered from every publisher.",
            feed_path=request.get_full_path(),
            articles=lambda: article_list_latest(limit=FEED_ITEM_COUNT),
        )


class PublisherFeed(ArticleFeed):
    """One publisher's articles (copies of others' included: they published them)."""

    def context(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        publisher = get_object_or_404(Publisher, slug=kwargs["slug"])
        return FeedContext(
            title=f"{publisher.name} on {SITE_NAME}",
            link=publisher.get_absolute_url(),
            # No publisher text in descriptions: readers take RSS ones as HTML.
            description="The latest articles from one publisher, credited and linked.",
            feed_path=request.get_full_path(),
            articles=lambda: article_list_for_publisher(
                publisher=publisher, limit=FEED_ITEM_COUNT
            ),
        )


class StoryFeed(ArticleFeed):
    """Every original article of one story, newest first."""

    def context(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        story = Story.objects.filter(pk=kwargs["pk"]).first()
        if story is None:
            # A merged (healed) story's feed carries the surviving story.
            story = story_merged_into(story_id=kwargs["pk"])
            if story is None:
                raise Http404("No such story.")
        return FeedContext(
            title=f"{story.title} — coverage on {SITE_NAME}",
            link=story.get_absolute_url(),
            description="Every publisher's article about this story.",
            feed_path=request.get_full_path(),
            articles=lambda: list(reversed(story_coverage(story=story).articles)),
        )


class TopicFeed(ArticleFeed):
    """The newest articles naming one topic."""

    def context(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        from cupure.trends.selectors import article_list_for_topic

        articles = article_list_for_topic(key=kwargs["key"], limit=FEED_ITEM_COUNT)
        if not articles:
            raise Http404("No article names this topic.")
        name = next(
            (t.name for t in articles[0].topics.all() if t.key == kwargs["key"]),
            kwargs["key"].replace("-", " ").title(),
        )
        return FeedContext(
            title=f"{name} — {SITE_NAME}",
            link=reverse("web:topic", kwargs={"key": kwargs["key"]}),
            description="The latest articles naming one topic.",
            feed_path=request.get_full_path(),
            articles=lambda: articles,
        )


class SearchFeed(ArticleFeed):
    """The best matches of a search (``?q=…`` and the search page's filters)."""

    def context(self, request: HttpRequest, **kwargs: Any) -> FeedContext:
        from cupure.search.forms import SearchForm
        from cupure.search.selectors import search_articles

        form = SearchForm(request.GET)
        if not form.is_valid() or not form.cleaned_data["q"].strip():
            raise Http404("A search feed needs ?q=words (and valid filters).")
        data = form.cleaned_data
        page = search_articles(
            query=data["q"],
            publisher=data["publisher"],
            since=data["since"],
            until=data["until"],
            page_size=FEED_ITEM_COUNT,
        )
        return FeedContext(
            title=f"Search: {page.query} — {SITE_NAME}",
            link=f"{reverse('search:search')}?{request.GET.urlencode()}",
            description="Articles matching a search, best match first.",
            feed_path=request.get_full_path(),
            articles=lambda: [result.article for result in page.results],
        )


def feed_view(feed_class: type[ArticleFeed]) -> Callable[..., HttpResponse]:
    """One view serving ``feed_class`` in every format; the URL names the format."""
    instances = {
        fmt: type(f"{feed_class.__name__}_{fmt}", (feed_class,), {"feed_type": gen})()
        for fmt, gen in FEED_FORMATS.items()
    }

    def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        return instances[fmt](request, **kwargs)

    view.__name__ = f"{feed_class.__name__.lower()}_view"
    view.__doc__ = feed_class.__doc__
    return view


class FeedFormatConverter:
    """``rss``, ``atom`` or ``json`` in a feed URL."""

    regex = "|".join(FEED_FORMATS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# --- Sitemap and robots.txt --------------------------------------------------------

# URLs per sitemap page: well under the protocol's 50,000, so a page is a bounded
# query and response; the index at /sitemap.xml lists the pages.
SITEMAP_PAGE_SIZE = 5000


class ArticleSitemap(Sitemap):
    """Original articles whose page is ours to index: a copy's page points to its
    original, a full-text copy's canonical URL is the publisher's, a headline or
    a publisher's noindex is not for search engines."""

    changefreq = "never"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        # Only pages that are ours to index (cupure.rights.policy, in_sitemap).
        return (
            Article.objects.filter(in_sitemap_q(), duplicate_of__isnull=True)
            .only("pk", "slug", "published")
            .order_by("-published", "-pk")
        )

    def lastmod(self, item: Article):
        return item.published


class StorySitemap(Sitemap):
    changefreq = "hourly"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Story.objects.only("pk", "slug", "last_published").order_by(
            "-last_published", "-pk"
        )

    def lastmod(self, item: Story):
        return item.last_published


class PublisherSitemap(Sitemap):
    changefreq = "hourly"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Publisher.objects.only("pk", "slug").order_by("slug")


SITEMAPS: dict[str, type[Sitemap]] = {
    "articles": ArticleSitemap,
    "stories": StorySitemap,
    "publishers": PublisherSitemap,
}

# Search result pages and feeds are endless combinations of one content: crawlers
# should index the articles themselves.
ROBOTS_DISALLOW = ["/admin/", "/search/", "/feeds/search."]


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Allow everything but the admin and search results; point at the sitemap."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines += [
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('feeds:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
