"""kill -9 of a Celery prefork child mid-ingest: the task (acknowledged late) is
delivered again, and the new child takes over the dead child's lease instead of
skipping the feed (issue #16); every article stored once. The broker is a
throwaway redis-server (database 7)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.faults.processes import (
    alive,
    cupure_run,
    cupure_start,
    outcome,
    publisher,
    subscribe_all,
    wait_until,
)
from tests.loopback import LoopbackSite
from tests.redis_server import ThrowawayRedis

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]


def forked_children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found += [int(c) for c in (task / "children").read_text().split()]
    return [c for c in found if alive(c)]


def test_a_killed_prefork_child_s_task_is_redone_not_skipped(
    tmp_path: Path, loopback_site: LoopbackSite, throwaway_redis: ThrowawayRedis
) -> None:
    paths = publisher(loopback_site, feeds=1, entries=4, delay=0.5)
    subscribe_all(tmp_path, loopback_site, paths)
    throwaway_redis.start()
    broker = f"redis://127.0.0.1:{throwaway_redis.port}/7"
    worker = cupure_start(
        tmp_path,
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--loglevel",
        "ERROR",
        CUPURE_BROKER_URL=broker,
    )
    try:
        enqueue = cupure_run(tmp_path, "poll", "--once", CUPURE_BROKER_URL=broker)
        assert enqueue.returncode == 0, enqueue.stderr
        wait_until(
            lambda: any("/a" in p for p in loopback_site.requests), "a page fetched"
        )
        (child,) = forked_children(worker.pid)
        os.kill(child, signal.SIGKILL)

        def all_stored() -> bool:
            _feeds, articles = outcome(tmp_path)
            return len(articles) == 4

        wait_until(all_stored, "the redelivered task to store every article", 90)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    feeds, articles = outcome(tmp_path)
    assert len({a["url"] for a in articles}) == len(articles) == 4
    assert feeds[0]["failed_entries"] == 0
    # The task ran twice (killed, then redelivered): the feed fetched twice at most.
    assert loopback_site.requests.count(paths[0]) <= 2
