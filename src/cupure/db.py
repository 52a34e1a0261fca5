"""Database upkeep that the embedded default needs and nobody else does for it."""

from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

# SQLite's planner has no statistics until ANALYZE runs, and without them it picked
# a full scan for the home page's "newest originals" (260 ms at 100k articles, 0.2 ms
# with statistics). PostgreSQL's autovacuum keeps its own statistics current.
# Rows sampled per index: approximate statistics are enough for the planner and keep
# ANALYZE to milliseconds on a large database.
SQLITE_ANALYSIS_LIMIT = 1000
# A running poller refreshes the statistics this often as the tables grow.
OPTIMIZE_EVERY_SECONDS = 3600

_last_optimized = 0.0


def database_optimize() -> None:
    """Refresh the query planner's statistics (SQLite only; cheap)."""
    global _last_optimized
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
    _last_optimized = time.monotonic()


def database_optimize_if_due() -> None:
    """``database_optimize`` at most once every OPTIMIZE_EVERY_SECONDS."""
    if time.monotonic() - _last_optimized >= OPTIMIZE_EVERY_SECONDS:
        database_optimize()


# Which thread holds the write turn, how deeply, and what waits for its end.
_turn = threading.local()


@contextmanager
def write_turn() -> Iterator[None]:
    """Wait for this process's turn to write, across processes (SQLite only).

    SQLite lets one writer in at a time, and a process that finds the write lock
    taken sleeps and retries (1, 2, 5, 10 … 100 ms apart): two ingest processes that
    each hold the lock for a few milliseconds per article spent most of their time
    asleep, and polled slower together than one alone. Queueing on a file lock beside
    the database instead wakes the next writer as soon as the lock is given back.
    Elsewhere (PostgreSQL, an in-memory database) it does nothing.

    Re-entrant within a thread (a second flock on a new handle would wait for
    ourselves); work handed to :func:`after_write_turn` runs once it ends.
    """
    if getattr(_turn, "depth", 0):
        _turn.depth += 1
        try:
            yield
        finally:
            _turn.depth -= 1
        return
    _turn.depth, _turn.after = 1, []
    try:
        with _write_lock():
            yield
    finally:
        _turn.depth = 0
        waiting, _turn.after = _turn.after, []
    for callback in waiting:
        callback()


def after_write_turn(callback: Callable[[], None]) -> None:
    """Run ``callback`` when this thread's write turn ends (at once if it holds
    none): slow work an ingest starts, such as fetching images, must not keep
    other processes from writing."""
    if getattr(_turn, "depth", 0):
        _turn.after.append(callback)
    else:
        callback()


@contextmanager
def _write_lock() -> Iterator[None]:
    path = _write_lock_path()
    if path is None:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_lock_path() -> Path | None:
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name + ".write-lock")
