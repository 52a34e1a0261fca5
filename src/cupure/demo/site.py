"""The demo site as a pure function of (catalog, base URL, now): path -> response.

No sockets here: ``DemoSite.respond(path)`` returns the status, headers and body the
HTTP server (cupure.demo.server) sends, which keeps routing and rendering testable
without a network and keeps the server a thin shell.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import re
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property

from cupure.demo import feeds, layouts
from cupure.demo.catalog import Article, Catalog, Event, Publisher
from cupure.demo.flash import FLASH_PUBLISHER, flash_article
from cupure.demo.images import LEAD_SIZE, SIZES, ImageCache

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
FEED_FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
JPEG = "image/jpeg"
ROBOTS_TXT = "User-agent: *\nAllow: /\n"
# Related lists on real sites show a handful of headlines, not the archive.
RELATED_COUNT = 4
# Images and robots.txt are "older" than every article so a conditional GET with
# any article's date still sees them as unchanged.
STATIC_AGE = timedelta(hours=49)

# Publishers whose RSS guids are urn:uuid rather than the article URL.
UUID_GUID_PUBLISHERS = frozenset({"northshore-daily"})
# Text responses are gzipped for clients that accept it, as real servers do (and
# so the fetcher's decompression path is exercised). JPEGs are compressed already.
GZIP_TYPES = ("text/", "application/")

IMAGE_PATH = re.compile(
    r"^/(?P<pub>[a-z0-9-]+)/images/(?P<id>[a-z0-9-]+)-(?P<w>\d+)x(?P<h>\d+)\.jpg$"
)

ARTICLE_PATHS = {
    # Each CMS has its own URL scheme; none carries a date, so URLs stay the same
    # across demo runs with different "now".
    "herald": "/{pub}/news/{section}/{slug}/",
    "post": "/{pub}/story/{slug}.html",
    "gazette": "/{pub}/articles/{slug}",
    "northshore": "/{pub}/{section}/{slug}/",
    "lantern": "/{pub}/read/{slug}/",
    "wire": "/{pub}/wire/{slug}",
}

COMMENTERS = (
    "Marta from Lowbridge",
    "quayside_pete",
    "Gordon H.",
    "Ada Lindgren",
    "KesselBorn1962",
    "Ravi P.",
    "saltmarsh_sally",
    "Tobias",
    "Nell Okonjo",
    "FerryFan",
)
COMMENT_TEXTS = (
    "First time I've seen this covered properly. Thanks for the detail.",
    "Same old story in this city. Nothing will change until the next election.",
    "Does anyone know if the number 14 bus is still running tonight?",
    "My grandfather worked on the docks for forty years and he'd have had a lot to "
    "say about this.",
    "Great reporting as always.",
    "Why is nobody asking who pays for all of this?",
    "Typo in the fourth paragraph, by the way.",
    "I was there this morning, it was chaos.",
    "Honestly the comments section is the best part of this site.",
    "Can we get an update on the bridge repairs next?",
    "This is exactly why I cancelled my subscription. Oh wait, it's free.",
    "Sensible decision in my view, though it took them long enough.",
)


@dataclass(frozen=True)
class Response:
    """What to send for one path; ``last_modified`` drives conditional GETs."""

    status: int
    content_type: str
    body: bytes
    last_modified: datetime
    etag: str
    location: str | None = None

    @property
    def compressible(self) -> bool:
        return self.content_type.startswith(GZIP_TYPES)

    @cached_property
    def gzip_body(self) -> bytes:
        """The body gzipped (mtime 0, so the same bytes every time)."""
        return gzip.compress(self.body, mtime=0)

    @property
    def gzip_etag(self) -> str:
        """A distinct tag for the gzipped representation (RFC 9110 8.8.3)."""
        return self.etag[:-1] + '-gzip"'


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


class DemoSite:
    """Routes and renders the demo publishers for one base URL and one "now"."""

    def __init__(self, catalog: Catalog, base_url: str, now: datetime) -> None:
        self.catalog = catalog
        self.base_url = base_url.rstrip("/")
        self.now = now
        self.images = ImageCache()
        self._image_ids = catalog.image_ids()
        self._cache: dict[str, Response] = {}
        self._lock = threading.Lock()
        self._flashes = 0
        self._routes: dict[str, tuple[str, str]] = {
            "/robots.txt": ("robots", ""),
            "/": ("index", ""),
        }
        for publisher in catalog.publishers:
            self._routes[f"/{publisher.slug}/"] = ("home", publisher.slug)
            for fmt, name in FEED_FILES.items():
                self._routes[f"/{publisher.slug}/feeds/{name}"] = (fmt, publisher.slug)
        for article in catalog.articles:
            self._routes[self.article_path(article)] = ("article", article.key)

    # -- breaking news on demand -----------------------------------------------------

    @property
    def hub_url(self) -> str:
        """The demo's WebSub hub, which every feed names (cupure.demo.hub)."""
        return f"{self.base_url}/hub"

    def publish_flash(self, when: datetime) -> Article:
        """Publish a new Meridian Wire article dated ``when``: it heads the wire's
        feeds and pages from now on (``cupure demo-publish``)."""
        with self._lock:
            self._flashes += 1
            lead = self.catalog.articles_of(FLASH_PUBLISHER)[-1].lead
            article = flash_article(self._flashes, when, lead)
            article = replace(
                article, hours_ago=(self.now - when).total_seconds() / 3600
            )
            event = Event(
                id=article.event,
                topic="news",
                title=article.headline,
                articles=(article,),
            )
            self.catalog = replace(self.catalog, events=(*self.catalog.events, event))
            self._routes[self.article_path(article)] = ("article", article.key)
            self._cache.clear()
        return article

    # -- URLs and dates -------------------------------------------------------------

    def published(self, article: Article) -> datetime:
        """``now - hours_ago``, to the second (feeds carry no finer precision)."""
        return (self.now - timedelta(hours=article.hours_ago)).replace(microsecond=0)

    def article_path(self, article: Article) -> str:
        layout = self.catalog.publisher(article.publisher).layout
        return ARTICLE_PATHS[layout].format(
            pub=article.publisher, section=article.section, slug=article.slug
        )

    def article_url(self, article: Article) -> str:
        return self.base_url + self.article_path(article)

    def home_url(self, publisher: Publisher) -> str:
        return f"{self.base_url}/{publisher.slug}/"

    def feed_url(self, publisher: Publisher, fmt: str) -> str:
        return f"{self.base_url}/{publisher.slug}/feeds/{FEED_FILES[fmt]}"

    def image_url(
        self, publisher_slug: str, image_id: str, size: tuple[int, int]
    ) -> str:
        width, height = size
        return (
            f"{self.base_url}/{publisher_slug}/images/{image_id}-{width}x{height}.jpg"
        )

    def _feed_links(self, publisher: Publisher) -> layouts.FeedLinks:
        return layouts.FeedLinks(
            rss=self.feed_url(publisher, "rss"),
            atom=self.feed_url(publisher, "atom"),
            json=self.feed_url(publisher, "json"),
        )

    def _newest(self, publisher: Publisher) -> datetime:
        articles = self.catalog.articles_of(publisher.slug)
        return max((self.published(a) for a in articles), default=self.now - STATIC_AGE)

    # -- responses ------------------------------------------------------------------

    def respond(self, path: str) -> Response:
        """The response for ``path`` (query string already removed)."""
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None:
            return cached
        response = self._render(path)
        if response.status == 200:
            with self._lock:
                self._cache[path] = response
        return response

    def _render(self, path: str) -> Response:
        static_time = (self.now - STATIC_AGE).replace(microsecond=0)
        route = self._routes.get(path)
        if route is None:
            if (match := IMAGE_PATH.match(path)) is not None:
                return self._image(match, static_time)
            slug = path.strip("/")
            if any(p.slug == slug for p in self.catalog.publishers):
                return self._redirect(f"{self.base_url}/{slug}/", static_time)
            return self._text(404, HTML, layouts.render_not_found(path), static_time)
        kind, key = route
        if kind == "robots":
            return self._text(200, "text/plain; charset=utf-8", ROBOTS_TXT, static_time)
        if kind == "index":
            pubs = [(p, self.home_url(p)) for p in self.catalog.publishers]
            newest = max(self.published(a) for a in self.catalog.articles)
            return self._text(200, HTML, layouts.render_index(pubs), newest)
        if kind == "article":
            article = self.catalog.article(key)
            html = layouts.render_article(self._article_page(article))
            return self._text(200, HTML, html, self.published(article))
        publisher = self.catalog.publisher(key)
        if kind == "home":
            html = layouts.render_home(self._home_page(publisher))
            return self._text(200, HTML, html, self._newest(publisher))
        return self._feed(publisher, kind)

    def _text(self, status: int, ctype: str, text: str, modified: datetime) -> Response:
        body = text.encode("utf-8")
        return Response(status, ctype, body, modified, _etag(body))

    def _redirect(self, location: str, modified: datetime) -> Response:
        body = f"Moved to {location}\n".encode()
        return Response(
            301, "text/plain; charset=utf-8", body, modified, _etag(body), location
        )

    def _image(self, match: re.Match[str], modified: datetime) -> Response:
        size = (int(match["w"]), int(match["h"]))
        known_publisher = any(p.slug == match["pub"] for p in self.catalog.publishers)
        if (
            size not in SIZES
            or match["id"] not in self._image_ids
            or not known_publisher
        ):
            return self._text(404, HTML, layouts.render_not_found(match[0]), modified)
        body = self.images.jpeg(match["id"], size)
        return Response(200, JPEG, body, modified, _etag(body))

    def _feed(self, publisher: Publisher, fmt: str) -> Response:
        info = feeds.FeedInfo(
            title=publisher.name,
            description=f"{publisher.tagline}. {layouts.FICTION_NOTICE}.",
            home_url=self.home_url(publisher),
            language=publisher.language,
            rss_url=self.feed_url(publisher, "rss"),
            atom_url=self.feed_url(publisher, "atom"),
            json_url=self.feed_url(publisher, "json"),
            rss_guid_is_permalink=publisher.slug not in UUID_GUID_PUBLISHERS,
            hub_url=self.hub_url,
        )
        entries = [
            feeds.FeedEntry(
                key=a.key,
                url=self.article_url(a),
                title=a.headline,
                summary=a.summary,
                author=a.author,
                published=self.published(a),
                image_url=self.image_url(a.publisher, a.lead.image_id, LEAD_SIZE),
                section=a.section,
            )
            for a in self.catalog.articles_of(publisher.slug)
        ]
        newest = self._newest(publisher)
        if fmt == "rss":
            text = feeds.rss(info, entries, newest)
        elif fmt == "atom":
            text = feeds.atom(info, entries, newest)
        else:
            text = feeds.json_feed(info, entries)
        return self._text(200, CONTENT_TYPES[fmt], text, newest)

    # -- page models ----------------------------------------------------------------

    def _breaking(
        self, publisher: Publisher, exclude: str | None = None
    ) -> layouts.Link:
        """The publisher's newest headline (not the page's own) for the strip."""
        for article in self.catalog.articles_of(publisher.slug):
            if article.key != exclude:
                return layouts.Link(article.headline, self.article_url(article))
        return layouts.Link(publisher.name, self.home_url(publisher))

    def _related(self, article: Article) -> tuple[layouts.Link, ...]:
        others = [
            a
            for a in self.catalog.articles_of(article.publisher)
            if a.key != article.key
        ]
        others.sort(key=lambda a: (abs(a.hours_ago - article.hours_ago), a.key))
        return tuple(
            layouts.Link(a.headline, self.article_url(a))
            for a in others[:RELATED_COUNT]
        )

    def _comments(self, article: Article) -> tuple[layouts.Comment, ...]:
        seed = int.from_bytes(hashlib.sha256(article.key.encode()).digest()[:8], "big")
        rng = random.Random(seed)
        count = rng.randint(2, 5)
        names = rng.sample(COMMENTERS, count)
        texts = rng.sample(COMMENT_TEXTS, count)
        max_minutes = max(2, int(article.hours_ago * 60))
        comments = []
        for name, text in zip(names, texts, strict=True):
            minutes = rng.randint(1, max_minutes)
            when = (
                f"{minutes} minutes ago"
                if minutes < 60
                else f"{minutes // 60} hours ago"
            )
            comments.append(layouts.Comment(name, when, text, rng.randint(0, 40)))
        return tuple(comments)

    def _article_page(self, article: Article) -> layouts.ArticlePage:
        publisher = self.catalog.publisher(article.publisher)
        original = original_name = None
        if article.syndicated_from is not None:
            source = self.catalog.article(article.syndicated_from)
            original = layouts.Link(source.headline, self.article_url(source))
            original_name = self.catalog.publisher(source.publisher).name
        return layouts.ArticlePage(
            publisher=publisher,
            article=article,
            url=self.article_url(article),
            home_url=self.home_url(publisher),
            published=self.published(article),
            image_url=lambda image_id, size: self.image_url(
                publisher.slug, image_id, size
            ),
            feeds=self._feed_links(publisher),
            breaking=self._breaking(publisher, exclude=article.key),
            related=self._related(article),
            comments=self._comments(article),
            original=original,
            original_publisher=original_name,
        )

    def _home_page(self, publisher: Publisher) -> layouts.HomePage:
        return layouts.HomePage(
            publisher=publisher,
            home_url=self.home_url(publisher),
            image_url=lambda image_id, size: self.image_url(
                publisher.slug, image_id, size
            ),
            feeds=self._feed_links(publisher),
            breaking=self._breaking(publisher),
            items=tuple(
                layouts.HomeItem(a, self.article_url(a), self.published(a))
                for a in self.catalog.articles_of(publisher.slug)
            ),
        )
