"""`make test`'s two runs, side by side: the whole suite on SQLite, and at the same
time the database tests (``-m django_db``) on PostgreSQL at 127.0.0.1:5432.

One after the other they took 494 s and 323 s on two cores; side by side, 505 s
and 299 s (wall clock 505 s instead of 817 s): much of each run is waiting on the
processes its tests start (servers, workers, Chromium).

The two runs must not share a Redis database: both would flush and fill the same
Celery queues. The SQLite run uses the machine's Redis at 127.0.0.1:6379; the
PostgreSQL run gets a redis-server of its own on a free port (tests read the
address from ``CUPURE_TEST_REDIS``, see ``tests.ci.machine_redis``). Its output is
kept in ``var/test-postgresql.log`` and printed when both have finished.

Without PostgreSQL the second run is reported as not run (a failure with ``CI``
set); without redis-server the second run waits for the first and shares the
machine's Redis.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ci import in_ci  # noqa: E402
from tests.redis_server import ThrowawayRedis  # noqa: E402

PYTEST = [sys.executable, "-m", "pytest"]
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/cupure")
LOG = ROOT / "var" / "test-postgresql.log"


def postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(POSTGRES_SERVER, connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


def own_redis(directory: Path) -> ThrowawayRedis | None:
    """A redis-server for the PostgreSQL run, answering, or None when none can be
    started here."""
    if shutil.which("redis-server") is None:
        return None
    server = ThrowawayRedis(directory)
    try:
        server.start()
    except AssertionError:
        return None
    return server


def run_postgresql(redis_url: str | None) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CUPURE_DATABASE_URL=POSTGRES_URL)
    if redis_url:
        env["CUPURE_TEST_REDIS"] = redis_url
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("wb") as log:
        return subprocess.Popen(
            [*PYTEST, "-p", "no:cacheprovider", "-m", "django_db"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so that the servers and browsers its tests
            # started go with it if this run is stopped.
            start_new_session=True,
        )


def main() -> int:
    if not postgres_reachable():
        if in_ci():
            print(
                "PostgreSQL is not reachable at 127.0.0.1:5432 and CI is set: "
                "failing, not skipping.",
                file=sys.stderr,
            )
            return 1
        print("== tests on SQLite ==", flush=True)
        code = subprocess.call(PYTEST, cwd=ROOT)
        print(
            "WARNING: PostgreSQL is not reachable at 127.0.0.1:5432; its tests "
            "were NOT run.",
            file=sys.stderr,
        )
        return code
    with tempfile.TemporaryDirectory(prefix="cupure-test-redis-") as directory:
        server = own_redis(Path(directory))
        if server is None:
            print("== tests on SQLite ==", flush=True)
            sqlite = subprocess.call(PYTEST, cwd=ROOT)
            print("== database tests on PostgreSQL ==", flush=True)
            postgresql = run_postgresql(None).wait()
            print(LOG.read_text(errors="replace"), flush=True)
            return sqlite or postgresql
        port = server.port
        try:
            print(
                f"== tests on SQLite; beside them, database tests on PostgreSQL "
                f"(Redis on port {port}; output in {LOG.relative_to(ROOT)}) ==",
                flush=True,
            )
            background = run_postgresql(f"redis://127.0.0.1:{port}")
            try:
                sqlite = subprocess.call(PYTEST, cwd=ROOT)
                postgresql = background.wait()
            finally:
                if background.poll() is None:
                    os.killpg(background.pid, signal.SIGKILL)
                    background.wait()
        finally:
            server.stop()
    print("== database tests on PostgreSQL ==", flush=True)
    print(LOG.read_text(errors="replace"), flush=True)
    return sqlite or postgresql


if __name__ == "__main__":
    sys.exit(main())
