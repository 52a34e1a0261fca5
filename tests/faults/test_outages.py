"""Broker and database outages: one clear line, bounded waits, recovery on their
own once the server is back (issue #16). The broker is a throwaway redis-server of
this test (database 6), never the shared one; the black-holed database is a local
listener that accepts connections and never answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.processes import (
    cupure_start,
    publisher,
    subscribe_all,
    wait_until,
)
from tests.loopback import LoopbackSite, free_port
from tests.redis_server import ThrowawayRedis

pytestmark = pytest.mark.faults


@pytest.mark.django_db(transaction=True)
def test_scheduler_says_the_broker_is_down_and_recovers_when_it_returns(
    tmp_path: Path, loopback_site: LoopbackSite, throwaway_redis: ThrowawayRedis
) -> None:
    """With the broker down the scheduler prints one line naming it, no traceback;
    once the broker is back it enqueues the due feed by itself (within a minute,
    not after the ~7 minutes a failed enqueue used to push the feed out)."""
    paths = publisher(loopback_site, feeds=1, entries=1, delay=0)
    subscribe_all(tmp_path, loopback_site, paths)
    broker = f"redis://127.0.0.1:{throwaway_redis.port}/6"
    scheduler = cupure_start(tmp_path, "scheduler", CUPURE_BROKER_URL=broker)
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(iter(scheduler.stderr.readline, "")), daemon=True
    )
    reader.start()
    try:
        wait_until(
            lambda: any("broker unreachable" in x for x in lines), "the line", 60
        )
        time.sleep(8)  # another tick or two with the broker still down
        throwaway_redis.start()
        wait_until(lambda: throwaway_redis.queued(6) >= 1, "the feed enqueued", 60)
        wait_until(lambda: any("reachable again" in x for x in lines), "the line", 30)
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    reader.join(timeout=5)
    text = "".join(lines)
    assert "Traceback" not in text
    assert text.count("broker unreachable") == 1, text
    assert f"broker unreachable at {broker}" in text
    assert "broker reachable again" in text
    assert throwaway_redis.queued(6) == 1


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A TCP listener that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.mark.parametrize("outage", ["black-holed", "refused"])
def test_an_unreachable_database_is_one_line_and_a_bounded_wait(
    tmp_path: Path, black_hole: int, outage: str
) -> None:
    """A command against a PostgreSQL address that never answers (or refuses)
    stops after the connect timeout with one line naming the database, not a hang
    nor a traceback."""
    from tests.faults.processes import cupure_run

    port = black_hole if outage == "black-holed" else free_port()
    # cupure_run's own limit (120 s) fails the test if the command hangs.
    result = cupure_run(
        tmp_path,
        "feeds",
        CUPURE_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/cupure",
        CUPURE_DATABASE_CONNECT_TIMEOUT="2",
    )

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"cupure feeds: database unreachable at 127.0.0.1:{port}/cupure"
    )
