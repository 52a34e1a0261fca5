"""The pure half of a poll (fetch, then parse_feed) over good and hostile feeds served
from one loopback site: every good feed yields its entries, every bad one a FetchError
or FeedError with a reason, nothing is requested from a disallowed address, and the
whole round is bounded in time."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from cupure.feeds import FeedError, parse_feed
from cupure.net.errors import FetchError
from cupure.net.fetch import fetch
from tests.net.servers import RouteServer, local_policy, respond

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_one_round_over_good_and_hostile_feeds() -> None:
    site = RouteServer()
    site.start()
    stop = threading.Event()

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

    xml = {"Content-Type": "application/rss+xml"}
    site.routes.update(
        {
            "/rss": lambda h: respond(h, 200, fixture("rss20_basic.xml"), xml),
            "/atom": lambda h: respond(h, 200, fixture("atom10.xml"), xml),
            "/json": lambda h: respond(
                h,
                200,
                fixture("jsonfeed11.json"),
                {"Content-Type": "application/feed+json"},
            ),
            "/moved": lambda h: respond(h, 301, b"", {"Location": "/rss"}),
            "/html": lambda h: respond(
                h,
                200,
                fixture("html_page_with_alternates.html"),
                {"Content-Type": "text/html"},
            ),
            "/laughs": lambda h: respond(h, 200, fixture("billion_laughs.xml"), xml),
            "/bomb": lambda h: respond(
                h,
                200,
                gzip.compress(b" " * 20_000_000),
                {"Content-Encoding": "gzip"},
            ),
            "/to-metadata": lambda h: respond(
                h, 302, b"", {"Location": "http://169.254.169.254/latest/"}
            ),
            # 127.0.0.2 is loopback outside the allow list (127.0.0.1/32).
            "/to-other-loopback": lambda h: respond(
                h, 302, b"", {"Location": f"http://127.0.0.2:{site.port}/rss"}
            ),
            "/gone": lambda h: respond(h, 410, b""),
            "/drip": drip,
        }
    )
    policy = local_policy(max_bytes=2_000_000, timeout=1.0)
    outcomes: dict[str, str] = {}
    reasons: dict[str, str] = {}
    started = time.monotonic()
    try:
        for path in sorted(site.routes):
            try:
                response = fetch(site.url(path), policy=policy)
                parsed = parse_feed(
                    response.content,
                    url=response.url,
                    content_type=response.content_type(),
                )
                outcomes[path] = f"ok {len(parsed.entries)}"
            except (FetchError, FeedError) as error:
                outcomes[path] = error.code
                reasons[path] = str(error)
    finally:
        stop.set()
        site.stop()
    elapsed = time.monotonic() - started

    assert outcomes == {
        "/atom": "ok 2",
        "/bomb": "too_large",
        "/drip": "timeout",
        "/gone": "gone",
        "/html": "not_a_feed",
        "/json": "ok 2",
        "/laughs": "malformed_feed",
        "/moved": "ok 2",
        "/rss": "ok 2",
        "/to-metadata": "blocked_address",
        "/to-other-loopback": "blocked_address",
    }
    # Every failure carries a one-line reason naming the URL it is about.
    for path, reason in reasons.items():
        assert "\n" not in reason
        assert "127.0.0.1" in reason or "127.0.0.2" in reason or "169.254" in reason, (
            path
        )
    # The only slow feed is capped at policy.timeout; the rest are loopback-fast.
    assert elapsed < 3.0
    # /rss was requested for itself and through /moved, never through a refused hop.
    assert site.paths().count("/rss") == 2
