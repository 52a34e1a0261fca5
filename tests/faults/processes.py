"""Running cupure as an operator does, in subprocesses, on the test's database, for
the fault suite: start, find the pool processes, kill -9, read the outcome."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.loopback import LoopbackSite, Page
from tests.test_cli import clean_env

WAIT_SECONDS = 120.0


def database_url(tmp_path: Path) -> str:
    """A database the subprocesses share with the test: the test database itself on
    PostgreSQL (the test must use ``transaction=True``), a file on SQLite (the test
    database is in memory)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        config = connection.settings_dict
        user = config.get("USER") or "postgres"
        host = config.get("HOST") or "127.0.0.1"
        port = config.get("PORT") or 5432
        return f"postgres://{user}@{host}:{port}/{config['NAME']}"
    return f"sqlite:///{tmp_path / 'faults.sqlite3'}"


def cupure_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    settings = {
        "CUPURE_DATABASE_URL": database_url(tmp_path),
        "CUPURE_FETCH_ALLOW_PRIVATE": "127.0.0.1/32",
        "CUPURE_LOG_LEVEL": "ERROR",
    }
    return clean_env(tmp_path, **{**settings, **extra})


def cupure_start(tmp_path: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cupure", *args],
        env=cupure_env(tmp_path, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def cupure_run(
    tmp_path: Path, *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cupure", *args],
        env=cupure_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
        check=False,
    )


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """The pool processes of ``pid`` (spawned multiprocessing children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie is not running)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def kill9(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def publisher(
    site: LoopbackSite, *, feeds: int, entries: int, delay: float
) -> list[str]:
    """``feeds`` RSS feeds of ``entries`` articles each on ``site``, every page slow
    by ``delay`` seconds; returns the feed paths."""
    from tests.faults.hostile import article_html

    paths = []
    for f in range(feeds):
        items = ""
        for e in range(entries):
            path = f"/f{f}/a{e}"
            site.pages[path] = Page(
                article_html(f"Harbour story {f} {e} ferry timetable"), delay=delay
            )
            items += (
                f"<item><title>Story {f} {e}</title><link>{site.base_url}{path}</link>"
                f"<guid>{path}</guid></item>"
            )
        document = f"<rss version='2.0'><channel><title>F{f}</title>{items}"
        site.pages[f"/f{f}.xml"] = Page(
            (document + "</channel></rss>").encode(), "application/rss+xml"
        )
        paths.append(f"/f{f}.xml")
    return paths


def subscribe_all(tmp_path: Path, site: LoopbackSite, paths: list[str]) -> None:
    outlines = "".join(
        f'<outline type="rss" text="F{i}" xmlUrl="{site.url(p)}"/>'
        for i, p in enumerate(paths)
    )
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/>'
        f"<body>{outlines}</body></opml>"
    )
    result = cupure_run(tmp_path, "import-opml", str(opml))
    assert result.returncode == 0, result.stderr


def outcome(tmp_path: Path) -> tuple[list[dict], list[dict]]:
    """(``cupure feeds --json`` rows, ``cupure export-jsonl`` articles)."""
    feeds = cupure_run(tmp_path, "feeds", "--json")
    assert feeds.returncode == 0, feeds.stderr
    articles = cupure_run(tmp_path, "export-jsonl")
    assert articles.returncode == 0, articles.stderr
    return json.loads(feeds.stdout), [
        json.loads(line) for line in articles.stdout.splitlines() if line.strip()
    ]
