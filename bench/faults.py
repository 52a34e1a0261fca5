"""Fault benchmark (issue #16): per fault, the time to recover, entries lost,
duplicates, and requests to the failing publisher, with cupure run as an operator
runs it (``cupure poll``, ``cupure scheduler``) against publishers served on
127.0.0.1 by this script.

Faults:

* hostile feeds: overflowing dates (JSON Feed and page meta), NUL bytes, invalid
  UTF-8, a 10 MB heading, duplicate guids and links; ``cupure poll`` runs for
  ``--window`` seconds and the feed requests are counted (the hot loop of issue #16
  made 895-1,685 in 15 s).
* a failing publisher: a feed answering 500, one answering 503 with Retry-After;
  requests counted over the window, and the rate the recorded schedule implies.
* kill -9 of a pool process mid-ingest (``cupure poll --once --workers 2``): time
  from the kill until the round is done.
* kill -9 of the poller mid-ingest, then ``cupure poll --once`` at once: orphans
  left, and time from the kill until every article is stored.
* the broker down, then back (a redis-server of this script on a free port): time
  from its return to the due feed being queued.
* the database black-holed (a listener that accepts and never answers): how long a
  command takes to give up.

    .venv/bin/python bench/faults.py [--window 30] [--vendor sqlite|postgres] [--write]

``--write`` replaces the "## Faults" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults.hostile import serve_hostile
from tests.faults.processes import alive, publisher
from tests.faults.processes import children as pool_children
from tests.loopback import LoopbackSite, Page

from common import (
    POSTGRES_PREFIX,
    PYTHON,
    command_line,
    free_port,
    machine_line,
    postgres_admin,
    postgres_drop,
    postgres_url,
    table,
    write_section,
)

# Slow article pages, so a kill lands mid-ingest.
PAGE_DELAY_SECONDS = 0.4
FEEDS, ENTRIES = 4, 3


class Run:
    """One fresh cupure home (and database) for one fault."""

    def __init__(self, vendor: str, name: str) -> None:
        self.home = Path(tempfile.mkdtemp(prefix=f"cupure-faults-{name}-"))
        self.database = ""
        if vendor == "postgres":
            self.database = f"{POSTGRES_PREFIX}_faults_{name}"
            postgres_drop(self.database)
            postgres_admin(f'CREATE DATABASE "{self.database}"')

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.update(
            CUPURE_HOME=str(self.home),
            CUPURE_DATABASE_URL=postgres_url(self.database) if self.database else "",
            CUPURE_FETCH_ALLOW_PRIVATE="127.0.0.1/32",
            CUPURE_LOG_LEVEL="CRITICAL",
        )
        env.update(extra)
        return env

    def start(self, *args: str, **extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [PYTHON, "-m", "cupure", *args],
            env=self.env(**extra),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PYTHON, "-m", "cupure", *args],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def subscribe(self, site: LoopbackSite, paths: list[str]) -> None:
        self.subscribe_urls([site.url(p) for p in paths])

    def subscribe_urls(self, urls: list[str]) -> None:
        outlines = "".join(
            f'<outline type="rss" text="F{i}" xmlUrl="{url}"/>'
            for i, url in enumerate(urls)
        )
        opml = self.home / "feeds.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head/>'
            f"<body>{outlines}</body></opml>"
        )
        result = self.run("import-opml", str(opml))
        if result.returncode:
            raise RuntimeError(result.stderr)

    def outcome(self) -> tuple[list[dict], list[dict]]:
        feeds = json.loads(self.run("feeds", "--json").stdout)
        articles = [
            json.loads(line)
            for line in self.run("export-jsonl").stdout.splitlines()
            if line.strip()
        ]
        return feeds, articles

    def close(self) -> None:
        if self.database:
            postgres_drop(self.database)
        shutil.rmtree(self.home, ignore_errors=True)


def wait_until(condition: Callable[[], bool], timeout: float = 120.0) -> float:
    """Seconds until ``condition`` held (raises after ``timeout``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"condition not met after {timeout:g}s")
        time.sleep(0.05)
    return time.monotonic() - started


def counts(articles: list[dict], good: int) -> tuple[int, int]:
    """(entries lost, duplicates)."""
    urls = [a["url"] for a in articles]
    return max(good - len(set(urls)), 0), len(urls) - len(set(urls))


def per_hour_from_schedule(row: dict) -> float:
    """Requests an hour the feed's recorded schedule implies (1 / interval)."""
    from datetime import datetime

    if not row["next_poll"] or not row["last_polled"]:
        return 0.0
    interval = (
        datetime.fromisoformat(row["next_poll"])
        - datetime.fromisoformat(row["last_polled"])
    ).total_seconds()
    return 3600.0 / interval if interval > 0 else float("inf")


# --- the faults ---


def fault_hostile(vendor: str, window: float) -> list[object]:
    run = Run(vendor, "hostile")
    try:
        with LoopbackSite() as site:
            hostile = serve_hostile(site)
            run.subscribe(site, hostile.feed_paths)
            started = time.monotonic()
            poller = run.start("poll", "--workers", "2")
            try:
                stored_after = wait_until(
                    lambda: all(p in site.requests for p in ("/p/huge", "/d/plain"))
                )
                time.sleep(max(window - (time.monotonic() - started), 0))
            finally:
                poller.send_signal(signal.SIGINT)
                poller.wait(timeout=60)
            feed_requests = sum(site.requests.count(p) for p in hostile.feed_paths)
        feeds, articles = run.outcome()
        lost, duplicates = counts(articles, hostile.good)
        rate = max(per_hour_from_schedule(row) for row in feeds)
        return [
            f"hostile feeds ({len(hostile.feed_paths)} feeds, "
            f"{hostile.good + hostile.hostile} entries, {hostile.good} good)",
            f"{stored_after:.1f} s to every page",
            lost,
            duplicates,
            f"{feed_requests} in {window:g} s (then {rate:.0f}/h at most: their "
            "healthy schedule)",
        ]
    finally:
        run.close()


def fault_failing_publisher(vendor: str, window: float) -> list[object]:
    run = Run(vendor, "failing")
    try:
        with LoopbackSite() as site:
            site.pages["/500.xml"] = Page(b"oops", "text/plain", status=500)
            site.pages["/503.xml"] = Page(
                b"busy", "text/plain", status=503, headers={"Retry-After": "3600"}
            )
            paths = ["/500.xml", "/503.xml"]
            run.subscribe(site, paths)
            poller = run.start("poll", "--workers", "2")
            time.sleep(window)
            poller.send_signal(signal.SIGINT)
            poller.wait(timeout=60)
            requests = {p: site.requests.count(p) for p in paths}
        feeds, _articles = run.outcome()
        rates = ", ".join(
            f"{row['url'].rsplit('/', 1)[1]}: {per_hour_from_schedule(row):.2f}/h"
            for row in feeds
        )
        return [
            "failing publisher (500; 503 + Retry-After 1 h)",
            "backs off (10 min doubling, jitter ≤20 %)",
            0,
            0,
            f"{sum(requests.values())} in {window:g} s ({rates} scheduled)",
        ]
    finally:
        run.close()


def fault_kill_pool_process(vendor: str) -> list[object]:
    run = Run(vendor, "killpool")
    try:
        with LoopbackSite() as site:
            paths = publisher(
                site, feeds=FEEDS, entries=ENTRIES, delay=PAGE_DELAY_SECONDS
            )
            run.subscribe(site, paths)
            poller = run.start("poll", "--once", "--workers", "2")
            wait_until(lambda: any("/a" in p for p in site.requests))
            os.kill(pool_children(poller.pid)[0], signal.SIGKILL)
            killed = time.monotonic()
            poller.wait(timeout=300)
            recovered = time.monotonic() - killed
            requests = sum(site.requests.count(p) for p in paths)
        _feeds, articles = run.outcome()
        lost, duplicates = counts(articles, FEEDS * ENTRIES)
        return [
            "kill -9 of a pool process mid-ingest",
            f"{recovered:.1f} s (round done, exit {poller.returncode})",
            lost,
            duplicates,
            f"{requests} feed fetches for {FEEDS} feeds",
        ]
    finally:
        run.close()


def fault_kill_poller(vendor: str) -> list[object]:
    run = Run(vendor, "killpoller")
    try:
        with LoopbackSite() as site:
            paths = publisher(
                site, feeds=FEEDS, entries=ENTRIES, delay=PAGE_DELAY_SECONDS
            )
            run.subscribe(site, paths)
            poller = run.start("poll", "--workers", "2")
            wait_until(lambda: any("/a" in p for p in site.requests))
            pool = pool_children(poller.pid)
            os.kill(poller.pid, signal.SIGKILL)
            killed = time.monotonic()
            poller.wait()
            orphans_gone = wait_until(lambda: not any(alive(p) for p in pool), 30)
            second = run.run("poll", "--once", "--workers", "2")
            recovered = time.monotonic() - killed
            requests = sum(site.requests.count(p) for p in paths)
        _feeds, articles = run.outcome()
        lost, duplicates = counts(articles, FEEDS * ENTRIES)
        return [
            "kill -9 of `cupure poll` mid-ingest, then `poll --once`",
            f"{recovered:.1f} s (pool gone in {orphans_gone:.1f} s, "
            f"exit {second.returncode})",
            lost,
            duplicates,
            f"{requests} feed fetches for {FEEDS} feeds",
        ]
    finally:
        run.close()


def fault_broker(vendor: str) -> list[object]:
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        return ["broker down and back", "redis-server not installed", "-", "-", "-"]
    run = Run(vendor, "broker")
    port = free_port()
    redis = None
    try:
        with LoopbackSite() as site:
            site.pages["/f.xml"] = Page(
                b"<rss version='2.0'><channel><title>F</title></channel></rss>",
                "application/rss+xml",
            )
            run.subscribe(site, ["/f.xml"])
            broker = f"redis://127.0.0.1:{port}/6"
            scheduler = run.start("scheduler", CUPURE_BROKER_URL=broker)
            lines: list[str] = []
            reader = threading.Thread(
                target=lambda: lines.extend(iter(scheduler.stderr.readline, "")),
                daemon=True,
            )
            reader.start()
            try:
                wait_until(lambda: any("unreachable" in line for line in lines))
                time.sleep(10)
                options = ["--save", "", "--appendonly", "no", "--dir", str(run.home)]
                redis = subprocess.Popen(
                    [
                        redis_server,
                        "--port",
                        str(port),
                        "--bind",
                        "127.0.0.1",
                        *options,
                    ],
                    stdout=subprocess.DEVNULL,
                )
                back = time.monotonic()
                wait_until(lambda: _queued(port) >= 1)
                recovered = time.monotonic() - back
            finally:
                scheduler.send_signal(signal.SIGINT)
                scheduler.wait(timeout=60)
                reader.join(timeout=5)
        said = sum("broker unreachable" in line for line in lines)
        return [
            "broker down 10 s+, then back",
            f"{recovered:.1f} s to queue the due feed",
            0,
            0,
            f"{said} line(s) about the outage, "
            f"{sum('Traceback' in line for line in lines)} tracebacks",
        ]
    finally:
        if redis is not None:
            redis.kill()
            redis.wait()
        run.close()


def _queued(port: int) -> int:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"SELECT 6\r\nLLEN celery\r\n")
            time.sleep(0.05)
            reply = sock.recv(100).decode()
    except OSError:
        return 0
    for line in reply.split("\r\n"):
        if line.startswith(":"):
            return int(line[1:])
    return 0


def fault_database_black_holed() -> list[object]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    run = Run("sqlite", "blackhole")
    try:
        started = time.monotonic()
        result = run.run(
            "feeds",
            CUPURE_DATABASE_URL=f"postgres://postgres@127.0.0.1:"
            f"{listener.getsockname()[1]}/cupure",
        )
        took = time.monotonic() - started
        lines = result.stderr.strip().splitlines()
        return [
            "database black-holed (`cupure feeds`)",
            f"gives up after {took:.1f} s (exit {result.returncode})",
            "-",
            "-",
            f"{len(lines)} line: {lines[-1][:70] if lines else ''}",
        ]
    finally:
        listener.close()
        run.close()


def _note_exit(process: subprocess.Popen[str], when: list[float]) -> None:
    process.wait(timeout=600)
    when.append(time.monotonic())


def pages_under_ingest(seconds: int) -> str:
    """wrk (50 connections) on the home page, served as ``cupure serve`` serves it,
    while ``cupure poll --all --workers 2`` ingests the demo publishers into the same
    SQLite database; once with the page cache (30 s), once without."""
    from common import sqlite_url, web_server, wrk
    from cupure.demo.server import DemoPublishers

    rows = []
    for cache_seconds, label in ((30, "cached"), (0, "uncached")):
        run = Run("sqlite", f"wrk{cache_seconds}")
        try:
            with DemoPublishers(host="127.0.0.1", port=free_port()) as demo:
                run.subscribe_urls([feed.feed_url for feed in demo.feeds()])
                with web_server(
                    database_url=sqlite_url(run.home / "cupure.sqlite3"),
                    workers=1,
                    page_cache_seconds=cache_seconds,
                    home=run.home,
                    log=run.home / "web.log",
                ) as (port, _server):
                    started = time.monotonic()
                    poller = run.start("poll", "--all", "--workers", "2")
                    finished: list[float] = []
                    watcher = threading.Thread(
                        target=_note_exit, args=(poller, finished), daemon=True
                    )
                    watcher.start()
                    result = wrk(
                        f"http://127.0.0.1:{port}/", seconds=seconds, connections=50
                    )
                    watcher.join(timeout=600)
                    ingest = finished[0] - started
            _feeds, articles = run.outcome()
            rows.append(
                [
                    label,
                    f"{result.requests_per_s:.0f}",
                    result.errors,
                    f"{result.p99_ms:.0f} ms",
                    f"{len(articles)} articles in {ingest:.0f} s "
                    f"(exit {poller.returncode})",
                ]
            )
        finally:
            run.close()
    return table(
        ["home page", "req/s", "non-2xx or socket errors", "p99", "ingest"], rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--vendor", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--write", action="store_true")
    parser.add_argument(
        "--wrk",
        type=int,
        default=0,
        metavar="SECONDS",
        help="also load the home page with wrk for SECONDS during an ingest",
    )
    args = parser.parse_args(argv)
    rows = []
    for name, fault in (
        ("hostile", lambda: fault_hostile(args.vendor, args.window)),
        ("failing", lambda: fault_failing_publisher(args.vendor, args.window)),
        ("kill pool", lambda: fault_kill_pool_process(args.vendor)),
        ("kill poller", lambda: fault_kill_poller(args.vendor)),
        ("broker", lambda: fault_broker(args.vendor)),
        ("database", fault_database_black_holed),
    ):
        sys.stderr.write(f"fault: {name}…\n")
        rows.append(fault())
        sys.stderr.write(f"  {rows[-1]}\n")
    header = [
        "fault",
        "time to recover",
        "entries lost",
        "duplicates",
        "requests to the failing publisher",
    ]
    body = "\n\n".join(
        [
            f"`{command_line('faults.py', argv if argv is not None else sys.argv[1:])}`"
            f" on {args.vendor}; {machine_line()}.",
            table(header, rows),
            'Requests per hour "scheduled" are 3,600 s divided by the interval the '
            "feed's last poll scheduled (next poll − last poll). Articles pages "
            f"answer after {PAGE_DELAY_SECONDS:g} s so the kills land mid-ingest "
            f"({FEEDS} feeds × {ENTRIES} articles, 2 pool processes).",
        ]
    )
    if args.wrk:
        sys.stderr.write("pages under ingest…\n")
        body += (
            "\n\nThe site under load during an ingest (`wrk -c50`, "
            f"{args.wrk} s, one granian worker, SQLite, the demo publishers):\n\n"
            + pages_under_ingest(args.wrk)
        )
    print(body)
    if args.write:
        write_section(
            "Faults" if args.vendor == "sqlite" else "Faults (PostgreSQL)", body
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
