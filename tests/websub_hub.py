"""A WebSub hub on 127.0.0.1 (ephemeral port) for tests: a real HTTP server around
:class:`cupure.demo.hub.Hub`, which verifies intents and distributes with HMAC."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from cupure.demo.hub import Hub


class WebSubHubServer:
    """``with WebSubHubServer() as server:`` serves ``server.hub`` at
    ``server.url``; ``server.requests`` records every form posted to it."""

    def __init__(self, **hub_options: object) -> None:
        self.requests: list[dict[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                owner.requests.append(form)
                status, text = owner.hub.handle_request(form)
                body = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}/hub"
        # Verification comes a moment after the 202, as from real hubs; meanwhile
        # the subscriber finishes its poll (SQLite's shared in-memory test database
        # refuses, rather than waits for, a second thread's write).
        options = {"verify_retry_seconds": 0.1, "verify_delay_seconds": 0.3}
        options.update(hub_options)
        self.hub = Hub(url=self.url, **options)  # type: ignore[arg-type]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    def __enter__(self) -> WebSubHubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.hub.wait_idle(timeout=2)
        self._server.shutdown()
        self._server.server_close()
