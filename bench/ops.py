"""Operations benchmark (issue #20): what the operator's features cost.

* **Metrics**: the time a request spends in ``cupure.ops.metrics.MetricsApplication``
  (a counter and a histogram per request), over a trivial WSGI application so that
  nothing else is measured: with the multiprocess files ``cupure`` uses
  (``PROMETHEUS_MULTIPROC_DIR``) and with in-memory values; and the time one
  ``/metrics`` scrape takes on the generated database.
* **Compression**: bytes of the home page and of an article page of the generated
  database for an anonymous reader, plain and gzip, and the time gzip takes per page
  (paid once per page-cache period with the page cache on).
* **Backup and restore**: ``cupure backup`` and ``cupure restore`` of the generated
  SQLite database (N articles, ``bench/generate.py``): seconds and size.

    .venv/bin/python bench/ops.py [--articles 10000] [--write]

``--write`` replaces the "## Operations" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import generate

SECTION = "Operations"
METRIC_CALLS = 100_000
PAGE_REPEATS = 50


def _trivial(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def metrics_child() -> None:
    """µs per request: bare application vs the same inside MetricsApplication."""
    from cupure.ops.metrics import MULTIPROCESS, MetricsApplication

    wrapped = MetricsApplication(_trivial)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/articles/1/a/"}

    def per_call(app) -> float:
        started = time.perf_counter()
        for _ in range(METRIC_CALLS):
            app(environ, lambda status, headers: None)
        return (time.perf_counter() - started) / METRIC_CALLS * 1e6

    bare = min(per_call(_trivial) for _ in range(3))
    counted = min(per_call(wrapped) for _ in range(3))
    print(json.dumps({"multiprocess": MULTIPROCESS, "us": counted - bare}))


def pages_child() -> None:
    """Sizes of the home and an article page, plain and gzip; gzip ms; scrape ms."""
    import re

    from cupure.cli import setup_django

    setup_django()
    from django.test import Client
    from django.utils.text import compress_string

    from cupure.ops.metrics import SiteCollector, exposition

    client = Client(HTTP_HOST="127.0.0.1")
    home = client.get("/")
    article_path = re.search(r'href="(/articles/\d+/[^"]+)"', home.content.decode())
    assert article_path, "no article on the home page"
    result = {}
    for name, path in (("home", "/"), ("article", article_path.group(1))):
        plain = client.get(path)
        packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip"
        started = time.perf_counter()
        for _ in range(PAGE_REPEATS):
            compress_string(plain.content, max_random_bytes=100)
        result[name] = {
            "plain": len(plain.content),
            "gzip": len(packed.content),
            "gzip_ms": (time.perf_counter() - started) / PAGE_REPEATS * 1000,
        }
    timings = []
    for _ in range(5):
        SiteCollector._cached = None
        started = time.perf_counter()
        exposition()
        timings.append((time.perf_counter() - started) * 1000)
    result["scrape_ms"] = min(timings)
    print(json.dumps(result))


def _child(mode: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [common.PYTHON, __file__, f"--{mode}-child"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cupure(argv: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(
        [common.PYTHON, "-m", "cupure", *argv], env=env, check=True, capture_output=True
    )
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--metrics-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pages-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.metrics_child:
        metrics_child()
        return 0
    if args.pages_child:
        pages_child()
        return 0

    base = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    base.pop("PROMETHEUS_MULTIPROC_DIR", None)
    url = generate.ensure_database(args.articles)
    with tempfile.TemporaryDirectory() as scratch:
        files = Path(scratch)
        metrics_dir = files / "metrics"
        metrics_dir.mkdir()
        in_files = _child(
            "metrics", {**base, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        )
        in_memory = _child("metrics", base)
        site = {**base, **common.database_env(url)}
        backup = files / "cupure.backup"
        backup_seconds = _cupure(["backup", str(backup)], site)
        restored = {**base, "CUPURE_HOME": str(files / "restored")}
        restore_seconds = _cupure(["restore", str(backup)], restored)
        pages = _child("pages", restored)
        size_mb = backup.stat().st_size / 1e6

    rows = [
        ["metrics per request, multiprocess files", f"{in_files['us']:.1f} µs"],
        ["metrics per request, in memory", f"{in_memory['us']:.1f} µs"],
        ["one /metrics scrape (database gauges)", f"{pages['scrape_ms']:.0f} ms"],
    ]
    for name in ("home", "article"):
        page = pages[name]
        rows.append(
            [
                f"{name} page, plain → gzip",
                f"{page['plain'] / 1024:.1f} KiB → {page['gzip'] / 1024:.1f} KiB "
                f"({page['gzip_ms']:.2f} ms to compress)",
            ]
        )
    rows += [
        [f"`cupure backup`, {args.articles:,} articles", f"{backup_seconds:.1f} s"],
        ["backup file", f"{size_mb:.0f} MB"],
        ["`cupure restore` into a fresh home", f"{restore_seconds:.1f} s"],
    ]
    body = "\n\n".join(
        [
            common.table(["what", "figure"], rows),
            "Backup and restore times include starting the command (Django, "
            "about 1–2 s) and, for restore, migrating the restored database.",
            f"Machine: {common.machine_line()}",
            f"Command: `{common.command_line('ops.py', argv or sys.argv[1:])}`",
        ]
    )
    print(body)
    if args.write:
        common.write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
