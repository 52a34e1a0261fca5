"""Images fetched beside ingest, in a few threads of the ingesting process.

Without a broker, fetching an article's images and making their renditions took
six times as long as ingesting the article itself (bench/README.md, "Images"), and
ingest waited for it: the demo's first command took 57 s instead of 6. Here the
ingesting thread only hands the article's id to a small thread pool and goes on;
the pool fetches and renders while the next articles are ingested (Pillow and the
network let go of the GIL for most of that time).

Nothing is lost when the process dies: the records are stored ``pending`` in the
article's own transaction before any of this runs, and ``cupure images --refetch``
does whatever a killed process left. A process that ends normally finishes the
queue first (the pool's threads are joined at exit), and :func:`images_drain` lets
a command, a benchmark or a test wait for it deterministically.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

# Two threads: one fetching while another renders is most of the gain, and more
# would take cores from ingest itself on a small machine.
IMAGE_THREADS = 2
# Articles waiting for their images before the ingesting thread does one itself:
# a bound on the queue when images come slower than articles for a long while.
IMAGE_QUEUE_LIMIT = 200

# How much lower than ingest the image threads run (nice: 0 to 19).
IMAGE_THREAD_NICENESS = 10

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pending: set[Future[None]] = set()


def _forget_parent_pool() -> None:
    """In a forked child (a poll process), the parent's pool has no threads: the
    child starts its own on first use, and waits for none of the parent's jobs."""
    global _lock, _pool, _pending
    _lock, _pool, _pending = threading.Lock(), None, set()


os.register_at_fork(after_in_child=_forget_parent_pool)


def image_threads() -> int:
    """How many threads fetch images beside ingest (0: the ingesting thread does)."""
    return int(getattr(settings, "CUPURE_IMAGE_THREADS", IMAGE_THREADS))


def images_submit(job: Callable[[], None]) -> bool:
    """Run ``job`` in the image threads; False if it must run here instead (no
    threads configured, or the queue is full: then the caller waits, which slows
    ingest down to the pace images are made rather than growing without end)."""
    threads = image_threads()
    if threads <= 0:
        return False
    global _pool
    with _lock:
        if len(_pending) >= IMAGE_QUEUE_LIMIT:
            return False
        if _pool is None:
            _pool = ThreadPoolExecutor(
                threads, thread_name_prefix="cupure-images", initializer=_yield_cpu
            )
        future = _pool.submit(_run, job)
        _pending.add(future)
    future.add_done_callback(_forget)
    return True


def images_drain(timeout: float | None = None) -> int:
    """Wait until every image job handed over so far is done (or ``timeout``
    seconds pass); returns how many are still running (0 once drained)."""
    with _lock:
        pending = set(_pending)
    if not pending:
        return 0
    _, not_done = wait(pending, timeout=timeout)
    return len(not_done)


def images_queued() -> int:
    """How many articles' images are waiting or being fetched in this process."""
    with _lock:
        return len(_pending)


def _forget(future: Future[None]) -> None:
    with _lock:
        _pending.discard(future)


def _yield_cpu() -> None:
    """Give this image thread a lower CPU priority than ingest (Linux schedules
    threads one by one): on a busy machine the articles come first, their images
    when a core is free."""
    try:
        os.setpriority(
            os.PRIO_PROCESS, threading.get_native_id(), IMAGE_THREAD_NICENESS
        )
    except (AttributeError, OSError) as error:  # not Linux, or not allowed
        log.debug("image thread priority unchanged: %s", error)


def _run(job: Callable[[], None]) -> None:
    """One job in a pool thread, with a database connection of its own that is
    closed after it (a thread's connection would otherwise stay open for ever)."""
    try:
        job()
    except Exception:
        # The job logs its own failures; this is a last resort so that the pool
        # thread carries on. The records stay pending for `--refetch`.
        log.exception("Image job failed (left pending)")
    finally:
        connections.close_all()
