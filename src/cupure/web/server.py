"""How the site is served in production: granian (issue #9, "Pages").

``cupure serve`` and the pages benchmark (bench/pages.py) both start the server with
:func:`server_argv`, so the benchmark measures what a site owner runs.

Why granian and not gunicorn: a cached page costs the server more than the page
cache does. gunicorn's sync workers parse HTTP and write responses in Python, one
connection at a time (about 2,900 trivial responses a second on two cores, whatever
the application does); granian does that in Rust and only calls Python for the
application: the same trivial application answers about 13,000 a second there.

Environment (the command line wins): ``CUPURE_WEB_WORKERS`` processes (default one
per core: rendering is CPU work under the GIL, more processes than cores only
queue), ``CUPURE_WEB_THREADS`` threads per process running Django (default
DEFAULT_THREADS).
"""

from __future__ import annotations

import os
import sys

SERVER = "granian"
WSGI_APPLICATION = "cupure.wsgi:application"
# Threads per process that run Django. More than one lets a cached page (a
# dictionary look-up) be answered while another thread renders a page or waits on
# PostgreSQL; many more would only fight over the GIL, and each holds a database
# connection (granian's own default is hundreds: PostgreSQL's max_connections).
# Granian's --backpressure is left alone: it limits connections, not requests, and
# keep-alive connections from a proxy or browsers would use it up.
DEFAULT_THREADS = 2
# A worker holding more than this is respawned (issue #9: processes under 500 MB; a
# worker serving 100k articles peaks near 150 MiB).
WORKER_MAX_RSS_MIB = 450


def _env_int(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


def default_workers() -> int:
    """CUPURE_WEB_WORKERS, else one process per core."""
    return _env_int("CUPURE_WEB_WORKERS") or os.cpu_count() or 1


def default_threads() -> int:
    """CUPURE_WEB_THREADS, else DEFAULT_THREADS."""
    return _env_int("CUPURE_WEB_THREADS") or DEFAULT_THREADS


def server_argv(
    *,
    host: str,
    port: int,
    workers: int | None = None,
    threads: int | None = None,
) -> list[str]:
    """The command line that serves cupure.wsgi on ``host``:``port``."""
    workers = workers or default_workers()
    threads = threads or default_threads()
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        # WSGI has no websockets; no upgrade handling to offer.
        "--no-ws",
        # A worker that dies (out of memory, a crash in C) is replaced, as gunicorn's
        # master did.
        "--respawn-failed-workers",
        # Bounds the growth of anything a long-lived process accumulates (gunicorn's
        # max_requests did that before): a worker past this is replaced gracefully.
        "--workers-max-rss",
        str(WORKER_MAX_RSS_MIB),
        # Access logs belong to the proxy in front; errors go to stderr.
        "--log-level",
        "warning",
        WSGI_APPLICATION,
    ]


def worker_ready() -> None:
    """Prepare a serving process once its application is loaded (cupure.wsgi).

    Compiles the page templates and builds the URL map now rather than on the first
    requests, then moves every object alive at that point out of the garbage
    collector's sight (``gc.freeze``). A full collection otherwise walks all of
    Django, the libraries and the compiled templates: about 46 ms on the bench
    machine, once every 200 page views or so, which is what a reader at the 99th
    percentile waits for. Frozen, the same collection takes 4 ms. Objects are never
    freed by the freeze; they are the process's for its lifetime anyway.
    """
    import gc

    from django.template import engines
    from django.urls import get_resolver

    for engine in engines.all():
        environment = getattr(engine, "env", None)
        if environment is not None:
            for name in environment.list_templates():
                environment.get_template(name)
    get_resolver().reverse_dict  # noqa: B018 - built on first access
    gc.collect()
    gc.freeze()
