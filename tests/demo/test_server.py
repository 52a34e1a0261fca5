"""The demo publishers over real loopback HTTP: feeds, pages, images, caching.

Each module gets one server on 127.0.0.1:0 with a fixed "now" (conftest.NOW).
"""

import gzip
import io
import json
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import feedparser
import httpx
import lxml.html
import pytest
from PIL import Image

from cupure.demo.catalog import load_catalog
from cupure.demo.feeds import JSON_FEED_VERSION
from cupure.demo.layouts import FICTION_NOTICE
from cupure.demo.server import DemoPublishers
from tests.signals import ctrl_c_restored

from .conftest import NOW

CATALOG = load_catalog()
FEED_PATHS = {
    "rss": "feeds/rss.xml",
    "atom": "feeds/atom.xml",
    "json": "feeds/feed.json",
}
# Markers of the boilerplate every article page must carry (what extraction removes).
BOILERPLATE = [
    re.compile(r"cookie", re.I),
    re.compile(r"breaking", re.I),
    re.compile(r"share", re.I),
    re.compile(r"related|more from|most read", re.I),
    re.compile(r"newsletter|subscribe|sign up|sign me up", re.I),
    re.compile(r"comment", re.I),
    re.compile(r"privacy", re.I),
]


def _expected_published(article) -> datetime:
    return (NOW - timedelta(hours=article.hours_ago)).replace(microsecond=0)


def _parse_entries(fmt: str, body: bytes) -> list[dict]:
    """Entries of a feed as {link, title, published, author, image}, in feed order."""
    if fmt == "json":
        document = json.loads(body)
        assert document["version"] == JSON_FEED_VERSION
        return [
            {
                "link": item["url"],
                "id": item["id"],
                "title": item["title"],
                "published": datetime.fromisoformat(item["date_published"]),
                "author": item["authors"][0]["name"],
                "summary": item["summary"],
                "image": item["image"],
            }
            for item in document["items"]
        ]
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    expected_version = "rss20" if fmt == "rss" else "atom10"
    assert parsed.version == expected_version
    return [
        {
            "link": entry.link,
            "id": entry.id,
            "title": entry.title,
            "published": datetime(*entry.published_parsed[:6], tzinfo=NOW.tzinfo),
            "author": entry.author,
            "summary": entry.summary,
            "image": next(link.href for link in entry.links if link.rel == "enclosure"),
        }
        for entry in parsed.entries
    ]


def test_feeds_advertise_one_subscription_per_publisher_in_all_formats(publishers):
    feeds = publishers.feeds()
    assert [f.publisher for f in feeds] == [p.name for p in CATALOG.publishers]
    assert {f.format for f in feeds} == {"rss", "atom", "json"}
    for feed, publisher in zip(feeds, CATALOG.publishers, strict=True):
        assert feed.homepage_url == f"{publishers.base_url}/{publisher.slug}/"
        assert feed.feed_url.startswith(feed.homepage_url)
        assert publishers.base_url.startswith("http://127.0.0.1:")


def test_every_advertised_feed_parses_and_lists_the_publishers_articles(
    publishers, http
):
    for feed in publishers.feeds():
        response = http.get(feed.feed_url)
        assert response.status_code == 200
        entries = _parse_entries(feed.format, response.content)
        slug = feed.homepage_url.rstrip("/").rsplit("/", 1)[1]
        expected = CATALOG.articles_of(slug)
        assert [e["title"] for e in entries] == [a.headline for a in expected]
        assert [e["published"] for e in entries] == [
            _expected_published(a) for a in expected
        ]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
@pytest.mark.parametrize("publisher", CATALOG.publishers, ids=lambda p: p.slug)
def test_each_publisher_serves_every_format_newest_first(http, publisher, fmt):
    """RSS 2.0, Atom 1.0 and JSON Feed 1.1 for every publisher, with link, id,
    author, summary, date and image per entry, newest first."""
    response = http.get(f"/{publisher.slug}/{FEED_PATHS[fmt]}")
    assert response.status_code == 200
    assert "charset=utf-8" in response.headers["content-type"]
    entries = _parse_entries(fmt, response.content)
    assert len(entries) == len(CATALOG.articles_of(publisher.slug))
    dates = [e["published"] for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        assert entry["link"].startswith(f"{http.base_url}/{publisher.slug}/")
        assert entry["author"] and entry["summary"]
        assert entry["image"].endswith("-1200x675.jpg")


def test_feed_content_types(http):
    expected = {
        "rss": "application/rss+xml; charset=utf-8",
        "atom": "application/atom+xml; charset=utf-8",
        "json": "application/feed+json; charset=utf-8",
    }
    for fmt, ctype in expected.items():
        response = http.get(f"/harbour-herald/{FEED_PATHS[fmt]}")
        assert response.headers["content-type"] == ctype


def _meta(doc, attr: str, name: str) -> str:
    (value,) = doc.xpath(f'//meta[@{attr}="{name}"]/@content')
    return value


@pytest.mark.parametrize("article", CATALOG.articles, ids=lambda a: a.key)
def test_article_page_has_metadata_lead_image_body_and_boilerplate(
    publishers, http, article
):
    url = publishers.site.article_url(article)
    response = http.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    doc = lxml.html.fromstring(response.content)
    publisher = CATALOG.publisher(article.publisher)
    page_text = doc.text_content()

    assert doc.get("lang") == publisher.language
    assert doc.findtext(".//title") == f"{article.headline} | {publisher.name}"
    assert [h.text_content() for h in doc.iter("h1")] == [article.headline]
    assert _meta(doc, "property", "og:title") == article.headline
    assert _meta(doc, "property", "og:site_name") == publisher.name
    assert _meta(doc, "name", "author") == article.author
    assert doc.xpath('//link[@rel="canonical"]/@href') == [url]
    assert article.author in page_text
    assert FICTION_NOTICE in page_text

    published = _expected_published(article)
    meta_time = datetime.fromisoformat(_meta(doc, "property", "article:published_time"))
    times = [datetime.fromisoformat(t) for t in doc.xpath("//time/@datetime")]
    assert meta_time == published
    assert published in times
    assert timedelta(0) < NOW - published <= timedelta(hours=48)

    lead_url = _meta(doc, "property", "og:image")
    assert lead_url.endswith(f"/{article.lead.image_id}-1200x675.jpg")
    images = " ".join(doc.xpath("//img/@src") + doc.xpath("//img/@srcset"))
    assert f"/{article.lead.image_id}-" in images
    assert article.lead.caption in page_text
    assert article.lead.credit in page_text
    for figure in article.inline_figures:
        assert f"/{figure.image_id}-" in images
        assert figure.caption in page_text and figure.credit in page_text

    paragraphs = [p.text_content() for p in doc.iter("p")]
    for paragraph in article.paragraphs:
        assert paragraph in paragraphs
    for marker in BOILERPLATE:
        assert marker.search(page_text), (article.key, marker.pattern)


def test_republished_wire_copies_match_the_original_and_link_to_it(publishers, http):
    """A copy repeats the wire's paragraphs word for word and says, with a link to
    the wire's own page, that the story was first published by the wire."""
    copies = [a for a in CATALOG.articles if a.syndicated_from]
    assert len(copies) >= 2
    for copy in copies:
        original = CATALOG.article(copy.syndicated_from)
        original_url = publishers.site.article_url(original)
        assert http.get(original_url).status_code == 200
        doc = lxml.html.fromstring(http.get(publishers.site.article_url(copy)).content)
        (note,) = [p for p in doc.iter("p") if "first published by" in p.text_content()]
        assert "Meridian Wire" in note.text_content()
        assert note.xpath(".//a/@href") == [original_url]
        served = [p.text_content() for p in doc.iter("p")]
        body = [p for p in served if p in original.paragraphs]
        assert body == original.paragraphs


def test_homepages_list_every_article_with_feed_autodiscovery(publishers, http):
    for publisher in CATALOG.publishers:
        response = http.get(f"/{publisher.slug}/")
        assert response.status_code == 200
        doc = lxml.html.fromstring(response.content)
        links = set(doc.xpath("//a/@href"))
        for article in CATALOG.articles_of(publisher.slug):
            assert publishers.site.article_url(article) in links
        alternates = doc.xpath('//link[@rel="alternate"]/@type')
        assert set(alternates) == {
            "application/rss+xml",
            "application/atom+xml",
            "application/feed+json",
        }
        assert FICTION_NOTICE in doc.text_content()


def test_every_image_on_every_page_is_a_jpeg_of_the_size_in_its_url(publishers, http):
    urls = set()
    for article in CATALOG.articles:
        doc = lxml.html.fromstring(
            http.get(publishers.site.article_url(article)).content
        )
        urls.update(doc.xpath("//img/@src"))
        for srcset in doc.xpath("//img/@srcset"):
            urls.update(part.split()[0] for part in srcset.split(","))
    assert len(urls) > len(CATALOG.articles)
    for url in sorted(urls):
        response = http.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"] == "image/jpeg"
        width, height = map(int, re.search(r"-(\d+)x(\d+)\.jpg$", url).groups())
        with Image.open(io.BytesIO(response.content)) as image:
            assert image.format == "JPEG"
            assert image.size == (width, height)


def test_the_same_image_id_renders_the_same_bytes(publishers, http):
    article = CATALOG.articles[0]
    url = publishers.site.image_url(
        article.publisher, article.lead.image_id, (800, 450)
    )
    assert http.get(url).content == http.get(url).content


@pytest.mark.parametrize(
    "path",
    [
        "/harbour-herald/images/nonexistent-image-1200x675.jpg",
        "/harbour-herald/images/storm-lowbridge-river-1300x700.jpg",
        "/no-such-paper/",
        "/harbour-herald/news/none/nothing/",
    ],
)
def test_unknown_paths_and_image_sizes_are_404(http, path):
    response = http.get(path)
    assert response.status_code == 404
    assert FICTION_NOTICE in response.text


def test_publisher_path_without_slash_redirects(http):
    response = http.get("/the-lantern")
    assert response.status_code == 301
    assert response.headers["location"] == f"{http.base_url}/the-lantern/"


@pytest.mark.parametrize(
    "path",
    [
        "/harbour-herald/",
        "/evening-post/feeds/atom.xml",
        "/meridian-wire/feeds/feed.json",
    ],
)
def test_conditional_get_returns_304_for_etag_and_last_modified(http, path):
    first = http.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"')
    assert http.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert http.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    later = format_datetime(parsedate_to_datetime(modified) + timedelta(hours=1), True)
    assert http.get(path, headers={"If-Modified-Since": later}).status_code == 304
    earlier = format_datetime(
        parsedate_to_datetime(modified) - timedelta(seconds=1), True
    )
    assert http.get(path, headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    stale = http.get(
        path, headers={"If-None-Match": '"other"', "If-Modified-Since": later}
    )
    assert stale.status_code == 200
    not_modified = http.get(path, headers={"If-None-Match": etag})
    assert not_modified.content == b""
    assert not_modified.headers["etag"] == etag


def test_article_last_modified_is_its_publication_time(publishers, http):
    article = CATALOG.articles[5]
    response = http.get(publishers.site.article_url(article))
    modified = parsedate_to_datetime(response.headers["last-modified"])
    assert modified == _expected_published(article)


def test_image_conditional_get(publishers, http):
    article = CATALOG.articles[0]
    url = publishers.site.image_url(
        article.publisher, article.lead.image_id, (1200, 675)
    )
    etag = http.get(url).headers["etag"]
    assert http.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_head_has_headers_and_no_body(http):
    response = http.head("/marrowdale-gazette/feeds/feed.json")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


def test_robots_txt_allows_everything(http):
    response = http.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.splitlines() == ["User-agent: *", "Allow: /"]


def test_default_now_is_creation_time_and_dates_fall_in_the_last_48_hours():
    before = datetime.now(NOW.tzinfo)
    with DemoPublishers() as running:
        feed = next(f for f in running.feeds() if f.format == "json")
        document = httpx.get(feed.feed_url).json()
    for item in document["items"]:
        published = datetime.fromisoformat(item["date_published"])
        assert before - timedelta(hours=48, seconds=1) <= published <= before


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        DemoPublishers(now=datetime(2026, 1, 1))


def test_base_url_before_start_says_what_to_do():
    with pytest.raises(RuntimeError, match="call start"):
        _ = DemoPublishers().base_url


def test_stop_releases_the_port_and_twice_is_harmless():
    running = DemoPublishers()
    running.start()
    url = running.base_url
    running.stop()
    running.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/robots.txt", timeout=2)


def test_server_logs_no_request_lines(capfd, publishers, http):
    http.get("/robots.txt")
    http.get("/does-not-exist")
    assert capfd.readouterr().err == ""


def test_module_entry_point_serves_until_interrupted():
    """`python -m cupure.demo.server --port 0` prints the feed URLs, serves them and
    exits cleanly on Ctrl-C (SIGINT)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cupure.demo.server", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_restored,
    )
    try:
        deadline = time.monotonic() + 15
        url = None
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            match = re.search(r"(http://127\.0\.0\.1:\d+/\S+)", line)
            url = match.group(1) if match else None
        assert url is not None, "the entry point printed no feed URL"
        assert httpx.get(url, timeout=5).status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_text_is_gzipped_only_for_clients_that_accept_it(http):
    """gzip gets a compressed body with its own ETag and Vary; identity gets the
    plain body; either tag revalidates either representation; JPEGs stay as is."""
    path = "/evening-post/feeds/atom.xml"
    plain = http.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    with http.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as packed:
        raw = b"".join(packed.iter_raw())
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["etag"] != plain.headers["etag"]
    assert gzip.decompress(raw) == plain.content
    refused = http.get(path, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    for etag in (plain.headers["etag"], packed.headers["etag"]):
        again = http.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
    image = http.get("/harbour-herald/", headers={"Accept-Encoding": "gzip"})
    src = lxml.html.fromstring(image.content).xpath("//img/@src")[0]
    jpeg = http.get(src, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in jpeg.headers


def test_rss_guids_are_permalinks_or_stable_uuids_by_publisher(http):
    """The Herald's guids are its article URLs; Northshore's are urn:uuid ids
    that do not change when the demo server's port does."""
    herald = feedparser.parse(http.get("/harbour-herald/feeds/rss.xml").content)
    assert all(e.id == e.link for e in herald.entries)
    northshore = feedparser.parse(http.get("/northshore-daily/feeds/rss.xml").content)
    assert all(e.id.startswith("urn:uuid:") for e in northshore.entries)
    atom = feedparser.parse(http.get("/northshore-daily/feeds/atom.xml").content)
    assert [e.id for e in northshore.entries] == [e.id for e in atom.entries]


def test_article_events_maps_every_article_url_to_its_event(publishers, http):
    truth = publishers.article_events()
    assert len(truth) == len(CATALOG.articles)
    assert set(truth.values()) == {e.id for e in CATALOG.events}
    for url in list(truth)[:3]:
        assert http.get(url).status_code == 200
