"""Loopback HTTP(S) servers the net tests start on 127.0.0.1 (port 0), with routes."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_network
from pathlib import Path

from cupure.net.fetch import FetchPolicy

Route = Callable[[BaseHTTPRequestHandler], None]

# The only network the tests' successful fetches may reach.
LOOPBACK = (ip_network("127.0.0.1/32"),)


def local_policy(**overrides: object) -> FetchPolicy:
    """A policy that may reach 127.0.0.1 (the test servers), nothing else internal."""
    values: dict[str, object] = {"allow_private": LOOPBACK, "timeout": 5.0}
    values.update(overrides)
    return FetchPolicy(**values)  # type: ignore[arg-type]


def respond(
    handler: BaseHTTPRequestHandler,
    status: int = 200,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a complete response with Content-Length."""
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up mid-response (by design in these tests) are not errors."""

    def handle_error(self, request: object, client_address: object) -> None:
        return


@dataclass
class Seen:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""


@dataclass
class RouteServer:
    """Serves ``routes`` (path -> handler function); records every request."""

    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    tls: ssl.SSLContext | None = None

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.seen.append(
                    Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                route = server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    respond(self, 404, b"not here")
                    return
                route(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                server.seen.append(
                    Seen(
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        "POST",
                        self.rfile.read(length),
                    )
                )
                route = server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    respond(self, 404, b"not here")
                    return
                route(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        if self.tls is not None:
            self._httpd.socket = self.tls.wrap_socket(
                self._httpd.socket, server_side=True
            )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def route(self, path: str) -> Callable[[Route], Route]:
        """Decorator: serve ``path`` with the decorated function."""

        def register(function: Route) -> Route:
            self.routes[path] = function
            return function

        return register

    def paths(self) -> list[str]:
        return [request.path for request in self.seen]


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path


FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>"


def serve(server: RouteServer, path: str, body: bytes = FEED, **headers: str) -> None:
    """Answer ``path`` with 200, ``body`` (a small RSS feed) and ``headers``."""
    server.routes[path] = lambda h: respond(h, 200, body, headers)


def redirect(server: RouteServer, path: str, location: str, status: int = 302) -> None:
    """Answer ``path`` with a redirect to ``location``."""
    server.routes[path] = lambda h: respond(h, status, b"", {"Location": location})
