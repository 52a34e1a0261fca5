"""``cupure backup FILE`` and ``cupure restore FILE`` (issue #20, "Operable").

SQLite (the default): the backup is SQLite's online backup API (``sqlite3``'s
``Connection.backup``), which copies the database as one read transaction sees it:
the site, polls and workers keep writing meanwhile (WAL), and the copy is a
consistent database, checked (``PRAGMA integrity_check``) before it gets its name.
It is one self-contained file (no ``-wal`` beside it).

PostgreSQL: the same commands run ``pg_dump --format=custom`` and ``pg_restore
--single-transaction`` (the client programs of the server's version must be
installed), with the connection settings passed in the environment (a password
never appears in a process list).

Nothing is lost by a mistake: a backup never overwrites a file, a restore refuses a
file that is not a cupure database and never overwrites a database that has data
unless asked (``--replace``, which first keeps the old SQLite database beside the
new one; on PostgreSQL the restore is one transaction, all or nothing).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables only a cupure database has: a file without them is something else.
CUPURE_TABLES = ("django_migrations", "articles_article", "sources_feed")


class BackupError(Exception):
    """The backup or restore was refused or failed; the message says why."""


@dataclass(frozen=True)
class Restored:
    """What a restore did: where the old database went (SQLite, ``--replace``)."""

    kept_aside: Path | None = None


# --- SQLite ---------------------------------------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _copy_consistent(source: Path, target: Path) -> None:
    """Copy ``source`` into a new ``target`` with the online backup API, check it
    and make it one file (rollback journal, not WAL)."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            # All pages in one step: one read transaction, so one moment's database.
            src.backup(dst)
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"the copy failed its integrity check: {verdict}")
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_backup(database: Path, target: Path) -> None:
    """Back the SQLite ``database`` up into the new file ``target``."""
    if not database.exists():
        raise BackupError(f"there is no database at {database}: nothing to back up")
    if target.exists():
        raise BackupError(f"{target} exists; name a new file (nothing was written)")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _copy_consistent(database, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"cannot write the backup to {target}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)


def sqlite_check_backup(backup: Path) -> None:
    """Refuse anything but a sound cupure SQLite database."""
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file")
    with open(backup, "rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(
                f"{backup} is not a SQLite database (a `cupure backup` file is)"
            )
    try:
        with contextlib.closing(
            sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        ) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {row[0] for row in rows}
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        raise BackupError(f"{backup} cannot be read as a database: {error}") from error
    missing = [table for table in CUPURE_TABLES if table not in tables]
    if missing:
        raise BackupError(f"{backup} is not a cupure database (no {missing[0]} table)")
    if verdict != "ok":
        raise BackupError(f"{backup} is damaged: {verdict}")


def sqlite_restore(backup: Path, database: Path, *, replace: bool) -> Restored:
    """Make ``database`` a copy of ``backup``; an existing one only with ``replace``
    (it is first copied aside, consistently, next to it)."""
    sqlite_check_backup(backup)
    kept_aside = None
    if database.exists():
        if not replace:
            raise BackupError(
                f"a database already exists at {database}; stop the site and run "
                "again with --replace to keep it aside and restore over it"
            )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept_aside = database.with_name(f"{database.name}.before-restore-{stamp}")
        _copy_consistent(database, kept_aside)
    database.parent.mkdir(parents=True, exist_ok=True)
    partial = database.with_name(database.name + ".restoring")
    partial.unlink(missing_ok=True)
    try:
        _copy_consistent(backup, partial)
        # The old database's write-ahead log must not be applied to the new file.
        for sidecar in _sidecars(database):
            sidecar.unlink(missing_ok=True)
        os.replace(partial, database)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"cannot restore into {database}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return Restored(kept_aside=kept_aside)


# --- PostgreSQL -----------------------------------------------------------------------


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """Django's connection settings as libpq's environment variables."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for variable, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert")):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            f"{program} is not installed; install the PostgreSQL client programs "
            "of your server's version (Debian: apt-get install postgresql-client)"
        )
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{Path(argv[0]).name} failed: {lines[-1] if lines else ''}")


def postgresql_backup(settings_dict: dict, target: Path) -> None:
    """``pg_dump --format=custom`` of the database into the new file ``target``."""
    if target.exists():
        raise BackupError(f"{target} exists; name a new file (nothing was written)")
    partial = target.with_name(target.name + ".partial")
    try:
        _run(
            [_client("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}"],
            libpq_environment(settings_dict),
        )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def postgresql_restore(settings_dict: dict, backup: Path, *, has_data: bool) -> None:
    """``pg_restore`` into an empty database, in one transaction."""
    if not backup.is_file():
        raise BackupError(f"{backup} is not a file")
    env = libpq_environment(settings_dict)
    pg_restore = _client("pg_restore")
    try:
        _run([pg_restore, "--list", str(backup)], env)
    except BackupError as error:
        raise BackupError(
            f"{backup} is not a `cupure backup` of a PostgreSQL database ({error})"
        ) from error
    if has_data:
        raise BackupError(
            f"the database {settings_dict.get('NAME')} already has data; restore into "
            "a new, empty database (createdb) and point CUPURE_DATABASE_URL at it"
        )
    _run(
        [
            pg_restore,
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict.get('NAME')}",
            str(backup),
        ],
        env,
    )
