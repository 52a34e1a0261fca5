"""A redis-server of our own: the fault tests stop and start it at will, and
`make test`'s PostgreSQL run (tests/suites.py) uses one so as not to share the
machine's Redis with the SQLite run beside it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.loopback import free_port

START_SECONDS = 10


class ThrowawayRedis:
    """A redis-server of our own on a free port, started and stopped at will."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while not self.answers():
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(
                    f"timed out after {START_SECONDS}s waiting for redis-server"
                )
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def queued(self, db: int) -> int:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, db=db)
        try:
            return int(client.llen("celery"))
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
