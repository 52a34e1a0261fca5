"""Helpers shared by the scale benchmarks (generate, ingest, pages, search, growth).

Nothing here imports Django: each benchmark sets Django up once per process for one
database (``django_setup``), and runs a child process when it needs another one.
Servers (the site under granian, nginx) and load (wrk) are child processes on
127.0.0.1 ports picked here; every one of them is stopped by the code that started it.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "bench" / "README.md"
PYTHON = sys.executable
# Generated databases and results are cached here (never committed: var/ is ignored).
BENCH_HOME = REPO / "var" / "bench"
# The machine's PostgreSQL (trust auth), as the test suite uses it.
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
# The bench databases on that server all start with this; we create and drop them.
POSTGRES_PREFIX = "cupure_bench"
VENDORS = ("sqlite", "postgres")
# cupure's embedded database file under CUPURE_HOME.
SQLITE_NAME = "cupure.sqlite3"
# The settings a benchmark process runs with: production minus nothing but a key.
BENCH_SETTINGS = "cupure.settings.prod"
# A throwaway key for servers that live for one benchmark on 127.0.0.1.
BENCH_SECRET_KEY = "bench-only-" + "k" * 50


def command_line(script: str, argv: Sequence[str]) -> str:
    """The command that reproduces this run, as typed from the repository root."""
    return " ".join([".venv/bin/python", f"bench/{script}", *map(shlex.quote, argv)])


# --- the machine ---


def _ram_gib() -> float:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def postgres_version() -> str | None:
    """The server version at 127.0.0.1:5432, or None when it does not answer."""
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error:
        return None
    return str(row[0]).split()[0] if row else None


def machine_line() -> str:
    """Cores, RAM, Python, SQLite and PostgreSQL versions, on one line."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        cpu = platform.processor()
    pg = postgres_version() or "not reachable"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"{_ram_gib():.0f} GiB RAM, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}"
    )


# --- bench/README.md ---


def write_section(title: str, body: str) -> None:
    """Replace the ``## title`` section of bench/README.md (append it if absent).

    The file is re-read right before writing: other scripts write their own
    sections, and only this one is touched.
    """
    heading = f"## {title}"
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    section = f"{heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    README.write_text(text.rstrip("\n") + "\n")


def save_result(name: str, data: dict) -> Path:
    """Keep a benchmark's figures as JSON under var/bench (read by other scripts)."""
    BENCH_HOME.mkdir(parents=True, exist_ok=True)
    path = BENCH_HOME / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def load_result(name: str) -> dict | None:
    path = BENCH_HOME / f"{name}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


# --- numbers ---


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) percentile by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --- databases ---


def postgres_url(name: str) -> str:
    return f"{POSTGRES_SERVER}/{name}"


def postgres_admin(sql: str) -> None:
    """Run one statement on the maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(
        f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5
    ) as conn:
        conn.execute(sql)


def postgres_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=5) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
    return row is not None


def postgres_drop(name: str) -> None:
    if not name.startswith(POSTGRES_PREFIX):
        raise ValueError(f"refusing to drop {name!r}: not a bench database")
    postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_copy(template: str, name: str) -> str:
    """A fresh copy of the bench database ``template``; returns its URL."""
    postgres_drop(name)
    postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return postgres_url(name)


def database_env(database_url: str, home: Path | None = None) -> dict[str, str]:
    """The CUPURE_* variables that point cupure at ``database_url``.

    A SQLite database is given as ``CUPURE_HOME`` (its folder; the file must be
    named ``cupure.sqlite3``) and no URL: that is the embedded default, configured
    by cupure with WAL, synchronous=NORMAL and IMMEDIATE transactions. A
    ``sqlite:///`` URL would get none of these.
    """
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        if path.name != SQLITE_NAME:
            raise ValueError(f"a bench SQLite database must be named {SQLITE_NAME}")
        return {"CUPURE_DATABASE_URL": "", "CUPURE_HOME": str(path.parent)}
    return {"CUPURE_DATABASE_URL": database_url, "CUPURE_HOME": str(home or BENCH_HOME)}


def django_setup(database_url: str, *, home: Path | None = None) -> None:
    """Set Django up in this process for ``database_url`` with the production
    settings and a bench key (see :func:`database_env`)."""
    os.environ.update(database_env(database_url, home))
    os.environ.setdefault("CUPURE_SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", BENCH_SETTINGS)
    import django

    django.setup()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


# --- processes ---


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 60.0, process=None) -> None:
    """Block until something accepts on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f}s")


def stop(process: subprocess.Popen, *, sig: int = signal.SIGTERM) -> None:
    """Stop a child we started and wait for it (kill after 15 s)."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces: fields start after the last ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` (``VmHWM`` for the peak) in MiB; 0 if gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


class RssSampler:
    """Samples the RSS of a process tree's workers in a thread; keeps the peaks."""

    def __init__(self, master_pid: int, *, every: float = 0.25) -> None:
        self.master_pid = master_pid
        self.every = every
        self.peak_worker = 0.0
        self.peak_total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            workers = children(self.master_pid)
            sizes = [rss_mib(pid) for pid in workers]
            total = sum(sizes) + rss_mib(self.master_pid)
            self.peak_worker = max(self.peak_worker, *sizes, 0.0)
            self.peak_total = max(self.peak_total, total)
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class WrkResult:
    """What wrk measured for one URL."""

    url: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNIT_MS[unit]


def wrk(url: str, *, seconds: int, connections: int, threads: int = 1) -> WrkResult:
    """Load ``url`` with wrk (a separate process) and read its latency percentiles."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    total = re.search(r"^\s*(\d+) requests in", out, re.M)
    errors = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: (.*)$"):
        found = re.search(pattern, out, re.M)
        if found:
            errors += sum(int(n) for n in re.findall(r"\d+", found.group(1)))
    if not (p50 and p99 and rps and total):
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    return WrkResult(
        url=url,
        requests_per_s=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        requests=int(total.group(1)),
        errors=errors,
    )


@contextmanager
def web_server(
    *,
    database_url: str,
    workers: int,
    page_cache_seconds: int,
    home: Path,
    log: Path,
    threads: int | None = None,
) -> Iterator[tuple[int, subprocess.Popen]]:
    """Serve cupure.wsgi on a free port the way ``cupure serve`` does (the same
    server and command line, from cupure.web.server); yields (port, process)."""
    from cupure.web.server import server_argv

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
        "CUPURE_SECRET_KEY": BENCH_SECRET_KEY,
        **database_env(database_url, home),
        "CUPURE_PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "CUPURE_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    # Production settings serve hashed static files (whitenoise): collect them once.
    if not (Path(env["CUPURE_HOME"]) / "static" / "staticfiles.json").exists():
        subprocess.run(
            [PYTHON, "-m", "cupure", "manage", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
    argv = server_argv(host="127.0.0.1", port=port, workers=workers, threads=threads)
    with open(log, "ab") as log_file:
        process = subprocess.Popen(
            argv, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, process=process)
        yield port, process
    finally:
        stop(process)


NGINX_CONF = """\
daemon off;
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root}/html;
        default_type text/html;
    }}
}}
"""


@contextmanager
def nginx(root: Path, *, workers: int) -> Iterator[int]:
    """Serve ``root``/html as static files with nginx on a free port; yields it."""
    port = free_port()
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workers=workers, root=root, port=port))
    # nginx's workers run as an unprivileged user when started as root.
    for path in (root, root / "html", *(root / "html").iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(root), "-e", str(root / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process=process, timeout=15)
        yield port
    finally:
        stop(process, sig=signal.SIGQUIT)


def tool_missing(*names: str) -> list[str]:
    """The programs among ``names`` that are not on PATH."""
    from shutil import which

    return [name for name in names if which(name) is None]
