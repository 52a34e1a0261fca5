"""One scheduler round over good and hostile feeds, through the same path as
``cupure poll`` (due feeds -> feed_poll_dispatch), on real loopback servers.

Every good article is stored once, nothing is requested from a disallowed address (a
trap server listens on 127.0.0.2, loopback outside the allow list 127.0.0.1/32), the
round is bounded in time, every bad feed carries a one-line reason and code, and a
second round duplicates nothing.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from cupure.articles.models import Article
from cupure.sources.models import Entry, Feed
from cupure.sources.selectors import feed_list_due
from cupure.sources.services import feed_create, publisher_get_or_create
from cupure.sources.tasks import feed_poll_dispatch
from tests.net.servers import RouteServer, respond

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent
FEEDS_FIXTURES = HERE.parent / "feeds" / "fixtures"
# The fetch timeout for this test: the slow-drip feed must be cut off at this.
TIMEOUT = 1.0


class Trap:
    """An HTTP server on 127.0.0.2 recording every request it gets (none, we hope)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        trap = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                trap.requests.append(self.path)
                respond(self, 200, b"<rss version='2.0'><channel/></rss>")

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.2:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def trap() -> Iterator[Trap]:
    instance = Trap()
    yield instance
    instance.stop()


@pytest.fixture
def site(trap: Trap, settings: pytest.FixtureRequest) -> Iterator[RouteServer]:
    settings.CUPURE_FETCH_ALLOW_PRIVATE = "127.0.0.1/32"
    settings.CUPURE_FETCH_TIMEOUT = TIMEOUT
    settings.CUPURE_FETCH_MAX_BYTES = 2_000_000
    server = RouteServer()
    server.start()
    stop = threading.Event()

    def text(name: str, directory: Path = HERE / "fixtures") -> bytes:
        path = directory / name
        if not path.exists():
            path = HERE.parent / "fixtures" / name
        return (
            path.read_text()
            .replace("{base}", server.url("").rstrip("/"))
            .replace("{trap}", trap.base_url)
            .encode()
        )

    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            while not stop.is_set():
                handler.wfile.write(b"<")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return

    rss = {"Content-Type": "application/rss+xml; charset=utf-8"}
    html = {"Content-Type": "text/html; charset=utf-8"}
    pages = {
        "/rss.xml": (text("feed_rss2.xml"), rss),
        "/atom.xml": (text("feed_atom.xml"), {"Content-Type": "application/atom+xml"}),
        "/wire.json": (text("feed_wire.json"), {"Content-Type": "application/json"}),
        "/news/bridge-reopens": (text("article_bridge.html"), html),
        "/news/library-hours": (text("article_library.html"), html),
        "/laughs.xml": (text("billion_laughs.xml", FEEDS_FIXTURES), rss),
        "/xxe.xml": (text("xxe_external_entity.xml", FEEDS_FIXTURES), rss),
        "/sitemap.xml": (text("not_a_feed_sitemap.xml", FEEDS_FIXTURES), rss),
        "/plain.html": (b"<html><body>No feeds here</body></html>", html),
    }
    for path, (body, headers) in pages.items():
        server.routes[path] = lambda h, b=body, hd=headers: respond(h, 200, b, hd)
    server.routes.update(
        {
            "/bomb.xml": lambda h: respond(
                h,
                200,
                gzip.compress(b" " * 20_000_000),
                {"Content-Encoding": "gzip", **rss},
            ),
            "/drip.xml": drip,
            "/to-metadata.xml": lambda h: respond(
                h, 302, b"", {"Location": "http://169.254.169.254/latest/"}
            ),
            "/to-trap.xml": lambda h: respond(
                h, 301, b"", {"Location": trap.base_url + "/feed.xml"}
            ),
            "/gone.xml": lambda h: respond(h, 410, b""),
            "/busy.xml": lambda h: respond(h, 429, b"", {"Retry-After": "120"}),
            "/error.xml": lambda h: respond(h, 500, b"oops"),
        }
    )
    yield server
    stop.set()
    server.stop()


GOOD = ["/rss.xml", "/atom.xml", "/wire.json"]
BAD = {
    "/laughs.xml": "malformed_feed",
    "/xxe.xml": "malformed_feed",
    "/sitemap.xml": "not_a_feed",
    "/plain.html": "not_a_feed",
    "/bomb.xml": "too_large",
    "/drip.xml": "timeout",
    "/to-metadata.xml": "blocked_address",
    "/to-trap.xml": "blocked_address",
    "/gone.xml": "gone",
    "/busy.xml": "rate_limited",
    "/error.xml": "http_status",
    "/missing.xml": "http_status",
}


def poll_round() -> float:
    """What ``cupure poll --once`` does; returns the seconds it took."""
    started = time.monotonic()
    for feed in feed_list_due(now=timezone.now()):
        feed_poll_dispatch(feed)
    return time.monotonic() - started


def test_round_over_good_and_hostile_feeds(site: RouteServer, trap: Trap) -> None:
    publisher = publisher_get_or_create(name="Mixed", homepage_url=site.url("/"))
    for path in [*GOOD, *BAD]:
        feed_create(url=site.url(path), publisher=publisher)
    direct = feed_create(url=trap.base_url + "/feed.xml", publisher=publisher)

    elapsed = poll_round()

    # Good feeds: every good article stored once (bridge and library pages).
    for path in GOOD:
        feed = Feed.objects.get(url=site.url(path))
        assert (feed.status, feed.last_error) == (Feed.Status.OK, ""), path
    assert sorted(Article.objects.values_list("canonical_url", flat=True)) == [
        site.url("/news/bridge-reopens"),
        site.url("/news/library-hours"),
    ]
    assert Entry.objects.count() == 5  # rss 2 + atom 1 + wire 2
    internal = Entry.objects.get(guid="wire-2")
    assert internal.status == Entry.Status.FAILED
    assert "127.0.0.2" in internal.last_error
    # Bad feeds: each has its code and a one-line reason naming the URL.
    for path, code in BAD.items():
        feed = Feed.objects.get(url=site.url(path))
        assert feed.last_error_code == code, (path, feed.last_error)
        assert feed.last_error and "\n" not in feed.last_error, path
        assert feed.status in (Feed.Status.FAILING, Feed.Status.INACTIVE), path
    assert Feed.objects.get(url=site.url("/gone.xml")).status == Feed.Status.INACTIVE
    direct.refresh_from_db()
    assert direct.last_error_code == "blocked_address"
    # Nothing ever reached the internal address, directly or through a hop.
    assert trap.requests == []
    # One slow feed is cut at the timeout; everything else is loopback-fast.
    assert elapsed < TIMEOUT + 6.0, elapsed
    assert set(Feed.objects.values_list("poll_lease_until", flat=True)) == {None}

    # Second round, everything due again: nothing stored twice.
    Feed.objects.update(next_poll_at=timezone.now() - timedelta(seconds=1))
    requests_before = len(site.seen)
    poll_round()

    assert Article.objects.count() == 2
    assert Entry.objects.count() == 5
    assert trap.requests == []
    assert "/gone.xml" not in site.paths()[requests_before:], "410 is not polled again"
