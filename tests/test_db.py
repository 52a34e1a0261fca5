"""Database upkeep: SQLite gets planner statistics, so lists use the right index;
writers across processes take turns."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from cupure import db
from cupure.db import database_optimize

pytestmark = pytest.mark.django_db


def test_optimize_gives_sqlite_planner_statistics() -> None:
    database_optimize()
    if connection.vendor != "sqlite":
        # PostgreSQL's autovacuum keeps statistics; nothing to do, nothing to fail.
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'")
        assert cursor.fetchone()[0] == 1


def test_write_turns_are_taken_one_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second writer waits for the first to give its turn back, and is woken as
    soon as it does (a file lock, not SQLite's sleep-and-retry)."""
    monkeypatch.setattr(db, "_write_lock_path", lambda: tmp_path / "cupure.write-lock")
    events: list[str] = []
    first_holds = threading.Event()

    def writer(name: str, hold: float) -> None:
        with db.write_turn():
            events.append(f"{name} in")
            first_holds.set()
            time.sleep(hold)
            events.append(f"{name} out")

    first = threading.Thread(target=writer, args=("first", 0.3))
    first.start()
    first_holds.wait(5)
    second = threading.Thread(target=writer, args=("second", 0.0))
    second.start()
    first.join(5)
    second.join(5)

    assert events == ["first in", "first out", "second in", "second out"]


def test_write_turn_needs_no_lock_file_for_the_in_memory_test_database() -> None:
    assert db._write_lock_path() is None


def test_every_model_change_has_its_migration() -> None:
    """A model field added without its migration (Article.standfirst, say) would
    break every fresh install: makemigrations finds nothing to write."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"models and migrations differ:\n{out.getvalue()}")
