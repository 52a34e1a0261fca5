"""`cupure backup` while the site writes, `cupure restore` into a fresh home, served.

SQLite: the online backup API; PostgreSQL: pg_dump/pg_restore behind the same two
commands. With CI=true a missing PostgreSQL fails the PostgreSQL run.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cupure.ops.backup import libpq_environment
from tests.ops.conftest import CUPURE, serving
from tests.test_cli import clean_env, cupure
from tests.test_scale_e2e import servers_or_fail, throwaway_database

pytestmark = pytest.mark.network

BEFORE = 30
# Enough that the import is still writing when the backup is taken (about 80
# articles a second on the test machine); it is stopped once the backup is made.
DURING = 3000

COUNT = """
from cupure.cli import setup_django; setup_django()
from cupure.articles.models import Article
print(Article.objects.count())
"""


def articles(first: int, count: int) -> str:
    sources = ["The Harbour Gazette", "The Valley Herald", "Daily Wire"]
    return "".join(
        json.dumps(
            {
                "url": f"https://gazette.example/news/{n}",
                "title": f"Harbour story number {n} about the bridge",
                "published": f"2026-11-25T{n % 24:02d}:{n % 60:02d}:00+00:00",
                "source": sources[n % 3],
                "text": f"Story {n}: the harbour bridge.\n\nCouncil vote number {n}.",
            }
        )
        + "\n"
        for n in range(first, first + count)
    )


def count(env: dict[str, str]) -> int:
    result = subprocess.run(
        [sys.executable, "-c", COUNT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.strip())


@pytest.fixture(params=["sqlite", "postgresql"])
def homes(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple]:
    """The site's environment and that of a fresh home to restore into."""
    if request.param == "sqlite":
        yield clean_env(tmp_path / "site"), clean_env(tmp_path / "restored")
        return
    servers_or_fail()
    pid = os.getpid()
    with (
        throwaway_database(f"cupure_ops_site_{pid}") as site,
        throwaway_database(f"cupure_ops_restored_{pid}") as restored,
    ):
        yield (
            clean_env(tmp_path / "site", CUPURE_DATABASE_URL=site),
            clean_env(tmp_path / "restored", CUPURE_DATABASE_URL=restored),
        )


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cupure", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_backup_taken_while_writing_restores_into_a_fresh_home_and_serves(
    tmp_path: Path, homes: tuple[dict[str, str], dict[str, str]]
) -> None:
    site, fresh = homes
    (tmp_path / "before.jsonl").write_text(articles(0, BEFORE))
    (tmp_path / "during.jsonl").write_text(articles(BEFORE, DURING))
    imported = run(["import-jsonl", str(tmp_path / "before.jsonl")], site)
    assert imported.returncode == 0, imported.stderr
    backup = tmp_path / "cupure.backup"

    writer = subprocess.Popen(
        [*CUPURE, "import-jsonl", str(tmp_path / "during.jsonl")],
        env=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while count(site) == BEFORE:
            assert time.monotonic() < deadline, "the import wrote nothing"
            time.sleep(0.2)
        taken = run(["backup", str(backup)], site)
        still_writing = writer.poll() is None
    finally:
        # Its transaction, if any, is rolled back: the site keeps whole articles.
        writer.terminate()
        writer.wait(timeout=60)

    assert taken.returncode == 0, taken.stderr
    assert still_writing, "the import ended before the backup: nothing was shown"
    assert backup.stat().st_size > 0
    assert not list(tmp_path.glob("*.partial"))
    on_site = count(site)
    refused = run(["restore", str(backup)], site)
    assert refused.returncode == 2
    assert count(site) == on_site, "a refused restore touched the database"

    restored = run(["restore", str(backup)], fresh)
    assert restored.returncode == 0, restored.stderr
    kept = count(fresh)
    # One moment's database: some of the import, never a half-written article.
    assert BEFORE < kept < BEFORE + DURING
    assert f": {kept} articles" in restored.stderr
    exported = run(["export-jsonl"], fresh)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert len(rows) == kept
    assert all(row["story"] is not None for row in rows), "an article without story"

    with serving(fresh, tmp_path / "serve.log") as base:
        home = httpx.get(base + "/", timeout=10)
        link = re.search(r'href="(/articles/\d+/[^"]+)"', home.text)
        assert home.status_code == 200 and link, home.text[:1000]
        article = httpx.get(base + link.group(1), timeout=10)
    assert article.status_code == 200
    assert "Harbour story number" in article.text


def test_sqlite_backups_are_one_consistent_file(tmp_path: Path) -> None:
    assert cupure("manage", "migrate", "-v0", home=tmp_path / "site").returncode == 0
    backup = tmp_path / "backup.sqlite3"

    assert cupure("backup", str(backup), home=tmp_path / "site").returncode == 0

    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert not (tmp_path / "backup.sqlite3-wal").exists()


def test_nothing_is_overwritten_and_a_wrong_file_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert cupure("manage", "migrate", "-v0", home=site).returncode == 0
    existing = tmp_path / "existing"
    existing.write_text("a file someone keeps")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.close()

    over = cupure("backup", str(existing), home=site)
    text = cupure("restore", str(existing), home=tmp_path / "a")
    damaged = cupure("restore", str(junk), home=tmp_path / "b")
    foreign = cupure("restore", str(other), home=tmp_path / "c")

    assert over.returncode == 2 and "exists; name a new file" in over.stderr
    assert existing.read_text() == "a file someone keeps"
    assert text.returncode == 2 and "is not a SQLite database" in text.stderr
    assert damaged.returncode == 2, damaged.stderr
    assert foreign.returncode == 2 and "is not a cupure database" in foreign.stderr
    for home in ("a", "b", "c"):
        assert not (tmp_path / home / "cupure.sqlite3").exists()


def test_replace_keeps_the_old_database_aside(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    (tmp_path / "one.jsonl").write_text(articles(0, 3))
    one = cupure("import-jsonl", str(tmp_path / "one.jsonl"), home=first)
    assert one.returncode == 0, one.stderr
    assert cupure("manage", "migrate", "-v0", home=second).returncode == 0
    backup = tmp_path / "first.backup"
    assert cupure("backup", str(backup), home=first).returncode == 0

    replaced = cupure("restore", "--replace", str(backup), home=second)

    assert replaced.returncode == 0, replaced.stderr
    assert ": 3 articles" in replaced.stderr
    aside = list(second.glob("cupure.sqlite3.before-restore-*"))
    assert len(aside) == 1 and f"kept at {aside[0]}" in replaced.stderr
    with sqlite3.connect(aside[0]) as db:
        assert db.execute("SELECT COUNT(*) FROM articles_article").fetchone()[0] == 0


def test_pg_dump_gets_the_connection_in_its_environment_not_its_arguments() -> None:
    env = libpq_environment(
        {
            "HOST": "db.example",
            "PORT": 5433,
            "USER": "cupure",
            "PASSWORD": "pa55",
            "NAME": "news",
            "OPTIONS": {"sslmode": "require", "connect_timeout": 5},
        }
    )
    assert env["PGHOST"] == "db.example" and env["PGPORT"] == "5433"
    assert env["PGUSER"] == "cupure" and env["PGPASSWORD"] == "pa55"
    assert env["PGDATABASE"] == "news" and env["PGSSLMODE"] == "require"
