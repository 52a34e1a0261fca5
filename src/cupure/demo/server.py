"""The demo publishers over HTTP on loopback, for ``cupure demo`` and for tests.

``DemoPublishers`` runs a stdlib ``ThreadingHTTPServer`` in a background thread and
answers from ``cupure.demo.site.DemoSite``. It speaks enough HTTP for a polite
aggregator: Content-Type with charset, ETag and Last-Modified on every response,
304 for If-None-Match / If-Modified-Since, HEAD, and a robots.txt that allows all.

Run it by hand with ``python -m cupure.demo.server --port 8001``.
"""

from __future__ import annotations

import argparse
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from cupure.demo.catalog import load_catalog
from cupure.demo.hub import Hub
from cupure.demo.site import FEED_FILES, DemoSite, Response

log = logging.getLogger(__name__)

# Browsers and aggregators may revalidate at once; without a cap every poll would
# re-download everything. One minute is short enough for a demo that is edited.
CACHE_CONTROL = "public, max-age=60"
# stop() blocks until the serving loop notices; the stdlib default is 0.5 s.
STOP_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class DemoFeed:
    """One subscription the aggregator should make: a publisher and its feed."""

    publisher: str  # display name, e.g. "The Harbour Herald"
    homepage_url: str  # http://127.0.0.1:PORT/harbour-herald/
    feed_url: str  # the feed the aggregator should subscribe to
    format: Literal["rss", "atom", "json"]


def _accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (a ``q=0`` refuses it)."""
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "x-gzip", "*"}:
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00"}
    return False


def _not_modified(
    response: Response, if_none_match: str | None, ims: str | None
) -> bool:
    """RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only without it.

    A tag of either representation (identity or gzip) matches: both carry the
    same content, so a cache holding either is up to date.
    """
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or bool({response.etag, response.gzip_etag} & tags)
    if ims is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False  # an unparseable date is ignored, as the RFC says
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return response.last_modified <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    server_version = "CupureDemo/1.0"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a keep-alive client
    # waits for its delayed ACK (about 40 ms) on every response.
    disable_nagle_algorithm = True
    site: DemoSite  # set on the subclass made per server
    hub: Hub  # likewise

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_POST(self) -> None:
        """``/hub``: WebSub (un)subscription requests. ``/_demo/publish``: publish a
        breaking article now and push it to the hub's subscribers."""
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(min(length, 65536)).decode("utf-8")))
        if path == "/hub":
            status, text = self.hub.handle_request(form)
        elif path == "/_demo/publish":
            status, text = 200, publish_and_push(self.site, self.hub)
        else:
            status, text = 404, "not found"
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        path = urlsplit(self.path).path or "/"
        response = self.site.respond(path)
        not_modified = response.status == 200 and _not_modified(
            response,
            self.headers.get("If-None-Match"),
            self.headers.get("If-Modified-Since"),
        )
        gzipped = response.compressible and _accepts_gzip(
            self.headers.get("Accept-Encoding")
        )
        self.send_response(304 if not_modified else response.status)
        self.send_header("ETag", response.gzip_etag if gzipped else response.etag)
        if response.compressible:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header(
            "Last-Modified", format_datetime(response.last_modified, usegmt=True)
        )
        self.send_header("Cache-Control", CACHE_CONTROL)
        if response.location is not None:
            self.send_header("Location", response.location)
        if not_modified:
            self.end_headers()
            return
        body = response.gzip_body if gzipped else response.body
        self.send_header("Content-Type", response.content_type)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # Quiet by default: the demo runs beside the aggregator's own output.
        log.debug("demo publishers: " + format, *args)


def publish_and_push(site: DemoSite, hub: Hub) -> str:
    """Publish a breaking article and push every feed of its publisher that has
    subscribers; one line saying what happened."""
    article = site.publish_flash(datetime.now(UTC))
    publisher = site.catalog.publisher(article.publisher)
    pushed: list[int] = []
    for fmt in FEED_FILES:
        topic = site.feed_url(publisher, fmt)
        if hub.subscribed(topic):
            response = site.respond(urlsplit(topic).path)
            pushed += hub.publish(topic, response.body, response.content_type)
    accepted = sum(200 <= status < 300 for status in pushed)
    return (
        f"Published {article.headline!r} at {site.article_url(article)}; "
        f"pushed to {accepted} of {len(pushed)} subscriber(s)"
    )


class DemoPublishers:
    """Serves the demo publishers on host:port (port 0 = any free port).

    The server runs in a background daemon thread between start() and stop().
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, now: datetime | None = None
    ) -> None:
        if now is not None and now.utcoffset() is None:
            raise ValueError("now must be timezone-aware (UTC), e.g. datetime.now(UTC)")
        self.host = host
        self.port = port
        self.now = (now or datetime.now(UTC)).astimezone(UTC)
        self.catalog = load_catalog()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._site: DemoSite | None = None
        self.hub: Hub | None = None

    def start(self) -> None:
        """Bind the socket and start serving; raises OSError if the port is taken."""
        if self._server is not None:
            return
        server = ThreadingHTTPServer((self.host, self.port), _Handler)
        server.daemon_threads = True
        host, port = server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode("ascii")
        site = DemoSite(self.catalog, f"http://{host}:{port}", self.now)
        hub = Hub(url=site.hub_url)
        server.RequestHandlerClass = type(
            "DemoHandler", (_Handler,), {"site": site, "hub": hub}
        )
        self._server, self._site, self.hub = server, site, hub
        self._thread = threading.Thread(
            target=server.serve_forever,
            # How often serve_forever checks for shutdown: stop() waits up to this.
            kwargs={"poll_interval": STOP_POLL_SECONDS},
            name="cupure-demo-publishers",
            daemon=True,
        )
        self._thread.start()
        log.info("demo publishers serving at %s", site.base_url)

    def stop(self) -> None:
        """Stop serving and release the port (safe to call twice)."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = self._site = None

    def __enter__(self) -> DemoPublishers:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def site(self) -> DemoSite:
        if self._site is None:
            raise RuntimeError("DemoPublishers is not started: call start() first")
        return self._site

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running server (after start())."""
        return self.site.base_url

    def feeds(self) -> list[DemoFeed]:
        """One subscription per publisher, in each publisher's advertised format."""
        return [
            DemoFeed(
                publisher=p.name,
                homepage_url=self.site.home_url(p),
                feed_url=self.site.feed_url(p, p.feed_format),
                format=p.feed_format,
            )
            for p in self.catalog.publishers
        ]

    def article_events(self) -> dict[str, str]:
        """Every article URL with the id of the event it reports.

        The ground truth for checking story clustering on the demo: articles with
        the same event id belong in one story, all others apart.
        """
        return {self.site.article_url(a): a.event for a in self.catalog.articles}


def main(argv: list[str] | None = None) -> int:
    """Serve the demo publishers until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m cupure.demo.server", description=main.__doc__
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    publishers = DemoPublishers(args.host, args.port)
    try:
        publishers.start()
    except OSError as exc:
        parser.exit(1, f"cannot listen on {args.host}:{args.port}: {exc.strerror}\n")
    for feed in publishers.feeds():
        log.info("%-22s %-5s %s", feed.publisher, feed.format, feed.feed_url)
    log.info("Press Ctrl-C to stop.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        publishers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
