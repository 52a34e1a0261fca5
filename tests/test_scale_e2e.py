"""The scale path end to end: PostgreSQL + Celery on Redis, two workers and the web
site under granian (`cupure serve`), ingesting the demo publishers; the result
matches the embedded default (SQLite, in-process) run of the same publishers.

Talks to the machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379). With
CI=true a missing server fails the test; elsewhere it is skipped with a loud reason.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from cupure.demo.server import DemoPublishers
from tests.ci import fail_or_skip, machine_redis
from tests.loopback import free_port
from tests.test_cli import clean_env

POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_BROKER = machine_redis(12)
REDIS_CACHE = machine_redis(11)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# Ingesting 45 pages takes a few seconds; this bounds a hung run.
INGEST_TIMEOUT_SECONDS = 180
# Story assignment is incremental, so the order articles arrive in can move an
# article that sits at the edge of two stories. Two runs must agree on at least this
# share of article pairs (same story / different stories).
MIN_PAIR_AGREEMENT = 0.97

# Runs inside a `python -c`: subscribes to the demo feeds, then (with "poll") polls
# them all in-process, or (with "enqueue") hands them to the Celery workers.
SUBSCRIBE = """
import json, sys
from cupure.cli import setup_django, migrate, _poll_round
setup_django(); migrate()
from cupure.sources.services import feed_create, publisher_get_or_create
for feed in json.loads(sys.argv[1]):
    publisher = publisher_get_or_create(
        name=feed["publisher"], homepage_url=feed["home"]
    )
    feed_create(url=feed["url"], publisher=publisher)
if sys.argv[2] == "poll":
    _poll_round(every=True, workers=1)
"""


def servers_or_fail() -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES, connect_timeout=3).close()
        redis.Redis.from_url(REDIS_BROKER, socket_connect_timeout=3).ping()
    except (psycopg.OperationalError, redis.exceptions.ConnectionError) as error:
        message = f"PostgreSQL and Redis are needed for the scale test: {error}"
        fail_or_skip(message, skip=f"!!! SCALE TEST NOT RUN: {message} !!!")


@contextlib.contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """A new, empty PostgreSQL database ``name`` (dropped after); yields its URL."""
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test."""
    servers_or_fail()
    with throwaway_database(f"cupure_e2e_{os.getpid()}") as url:
        yield url


@pytest.fixture
def demo() -> Iterator[DemoPublishers]:
    with DemoPublishers(now=NOW) as publishers:
        yield publishers


def run(code_args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, *code_args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def export(env: dict[str, str]) -> list[dict]:
    out = run(["-m", "cupure", "export-jsonl"], env)
    return [json.loads(line) for line in out.splitlines()]


def summary(rows: list[dict]) -> tuple[set, dict, dict]:
    """Articles by URL, each copy's original by URL, each article's story label."""
    by_id = {row["id"]: row for row in rows}
    urls = {row["url"] for row in rows}
    copies = {
        row["url"]: by_id[row["duplicate_of"]]["url"]
        for row in rows
        if row["duplicate_of"] is not None
    }
    stories = {row["url"]: row["story"] for row in rows}
    return urls, copies, stories


def pair_agreement(first: dict, second: dict) -> float:
    pairs = list(itertools.combinations(sorted(first), 2))
    same = sum((first[a] == first[b]) == (second[a] == second[b]) for a, b in pairs)
    return same / len(pairs)


def test_two_celery_workers_on_postgresql_match_the_embedded_run(
    tmp_path: Path, postgres_url: str, demo: DemoPublishers
) -> None:
    import redis

    feeds = json.dumps(
        [
            {"publisher": f.publisher, "home": f.homepage_url, "url": f.feed_url}
            for f in demo.feeds()
        ]
    )
    allow = {"CUPURE_FETCH_ALLOW_PRIVATE": "127.0.0.1/32"}

    # The embedded default: SQLite, in-process.
    embedded = clean_env(tmp_path / "embedded", **allow)
    run(["-c", SUBSCRIBE, feeds, "poll"], embedded)
    reference = export(embedded)
    assert len(reference) >= 40

    # The scale path: PostgreSQL, Redis broker and cache, two workers, granian.
    redis.Redis.from_url(REDIS_BROKER).flushdb()
    redis.Redis.from_url(REDIS_CACHE).flushdb()
    scale = clean_env(
        tmp_path / "scale",
        CUPURE_DATABASE_URL=postgres_url,
        CUPURE_BROKER_URL=REDIS_BROKER,
        CUPURE_CACHE_URL=REDIS_CACHE,
        **allow,
    )
    run(["-c", SUBSCRIBE, feeds, "subscribe"], scale)
    cupure = [sys.executable, "-m", "cupure"]
    web_port = free_port()
    processes = [
        subprocess.Popen(
            [*cupure, "worker", "--concurrency", "2", "--loglevel", "WARNING"],
            env=scale,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    processes.append(
        subprocess.Popen(
            [*cupure, "serve", "--port", str(web_port), "--workers", "2"],
            env=scale,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    try:
        run(["-m", "cupure", "poll", "--once", "--all"], scale)
        deadline = time.monotonic() + INGEST_TIMEOUT_SECONDS
        pages_served = 0
        rows: list[dict] = []
        while time.monotonic() < deadline:
            try:
                home = httpx.get(f"http://127.0.0.1:{web_port}/", timeout=10)
                pages_served += home.status_code == 200
            except httpx.TransportError:
                pass  # the server is still starting
            rows = export(scale)
            if len(rows) >= len(reference):
                break
            time.sleep(1)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)

    assert pages_served >= 1, "the site served no page while the workers ingested"
    ref_urls, ref_copies, ref_stories = summary(reference)
    urls, copies, stories = summary(rows)
    assert len(rows) == len(urls), "an article was stored twice"
    assert urls == ref_urls
    assert copies == ref_copies
    assert copies, "the demo's wire copies were not recognised"
    agreement = pair_agreement(ref_stories, stories)
    assert agreement >= MIN_PAIR_AGREEMENT, agreement
