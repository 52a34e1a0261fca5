"""The ``cupure`` command.

Each sub-command parses its arguments, sets Django up only when it needs the database,
and calls services. A bad argument exits non-zero with a one-line reason.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

DEFAULT_SETTINGS = "cupure.settings.dev"


class CommandError(Exception):
    """Stops a command with a one-line reason for the person who ran it."""


def setup_django() -> None:
    """Configure Django for a command that needs the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    home = Path(os.environ.get("CUPURE_HOME", "var"))
    home.mkdir(parents=True, exist_ok=True)
    # Every process of the site (and its children) counts into one directory.
    from cupure.ops.metrics_setup import multiprocess_setup

    multiprocess_setup(home.resolve())
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    from cupure.db import database_optimize_if_due

    if connection.vendor == "postgresql":
        # A migration may rebuild an index of a large table: no statement limit
        # (CUPURE_DATABASE_STATEMENT_TIMEOUT bounds the site's and polls' queries).
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        try:
            call_command("migrate", interactive=False, verbosity=0)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
    else:
        call_command("migrate", interactive=False, verbosity=0)
    database_optimize_if_due()


def after_ingest_batch() -> None:
    """After a batch (demo ingest, import): planner statistics and current trends
    (polls refresh the trends snapshot at most every few minutes)."""
    from cupure.db import database_optimize
    from cupure.trends.services import trends_snapshot_save

    database_optimize()
    trends_snapshot_save()


def _one_line(error: BaseException, limit: int = 200) -> str:
    """An exception as one short line for the terminal."""
    text = str(error) or type(error).__name__
    return " ".join(text.split())[:limit]


def say(message: str) -> None:
    """Progress for the person at the terminal (stderr, so --json stays clean)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


# --- commands -------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    """Start the sample publishers, ingest them for real, serve the site."""
    from cupure.demo.server import DemoPublishers

    publishers_port = args.publishers_port or args.port + 1
    demo = DemoPublishers(host="127.0.0.1", port=publishers_port)
    try:
        demo.start()
    except OSError as error:
        raise CommandError(
            f"cannot start the demo publishers on 127.0.0.1:{publishers_port} "
            f"({error}); "
            "pick other ports with --port / --publishers-port"
        ) from error
    # The fetcher refuses loopback addresses; open exactly the demo's own address.
    os.environ["CUPURE_FETCH_ALLOW_PRIVATE"] = "127.0.0.1/32"
    os.environ["CUPURE_DEMO"] = "1"
    # The demo publishers' hub pushes new articles to the site's own address.
    os.environ["CUPURE_PUBLIC_URL"] = f"http://127.0.0.1:{args.port}"
    # A demo reader's first comment appears at once (a public site holds it).
    os.environ.setdefault("CUPURE_COMMENTS_PREMODERATE_FIRST", "0")
    setup_django()
    say(f"Database: {_database_label()}")
    migrate()
    _static_files_ensure()
    say(f"Demo publishers serving on {demo.base_url} (fictional content)")
    ingest_demo_feeds(demo)
    say(f"Serving cupure on http://127.0.0.1:{args.port}/  (Ctrl-C to stop)")
    try:
        serve(port=args.port)
    finally:
        demo.stop()
    return 0


def ingest_demo_feeds(demo) -> None:
    import time

    from cupure.sources.services import feed_create, feed_poll, publisher_get_or_create

    feeds = demo.feeds()
    started = time.monotonic()
    total_new = total_ingested = 0
    for number, demo_feed in enumerate(feeds, start=1):
        # The sample publishers are ours: their articles are shown in full.
        publisher = publisher_get_or_create(
            name=demo_feed.publisher,
            homepage_url=demo_feed.homepage_url,
            display_policy="full",
        )
        feed = feed_create(url=demo_feed.feed_url, publisher=publisher)
        result = feed_poll(feed=feed)
        total_new += result.new_entries
        total_ingested += result.ingested
        status = "ok" if result.ok else f"FAILED: {result.error}"
        say(
            f"[{number}/{len(feeds)}] {demo_feed.publisher} ({demo_feed.format}): "
            f"{result.new_entries} new, {result.ingested} ingested, "
            f"{result.failed} failed — {status}"
        )
    after_ingest_batch()
    say(
        f"Ingested {total_ingested} articles ({total_new} new entries) "
        f"in {time.monotonic() - started:.1f}s"
    )
    from cupure.images.background import images_queued

    if images_queued():
        say(
            f"The images of {images_queued()} article(s) are being made in the "
            "background; pages show them as they are stored."
        )


def serve(*, port: int, host: str = "127.0.0.1") -> None:
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    run(host, port, get_wsgi_application(), ipv6=False, threading=True)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the site with granian: worker processes × threads (production server)."""
    from cupure.web.server import (
        SERVER,
        default_threads,
        default_workers,
        server_argv,
    )

    setup_django()
    migrate()
    _static_files_ensure()
    workers = args.workers or default_workers()
    threads = args.threads or default_threads()
    argv = server_argv(host=args.host, port=args.port, workers=workers, threads=threads)
    say(
        f"Serving cupure on http://{args.host}:{args.port}/ with {SERVER}, "
        f"{workers} workers × {threads} threads (Ctrl-C to stop)"
    )
    # The server replaces this process; the environment (settings module, database,
    # cache) goes with it.
    os.execv(argv[0], argv)  # noqa: S606 - a fixed argv, no shell
    return 0  # not reached


def _static_files_ensure() -> None:
    """Production settings: collect the static files if the manifest is missing or
    stale (cupure.ops.static); a failure stops `serve` with the command that fixes it.
    """
    from cupure.ops.static import StaticFilesError, static_files_ensure

    try:
        static_files_ensure(say)
    except StaticFilesError as error:
        raise CommandError(str(error)) from error


# How often the scheduler looks for due feeds, and how long its role outlives it:
# a scheduler that died is replaced within SCHEDULER_LEASE after its last tick.
SCHEDULER_TICK_SECONDS = 5.0
SCHEDULER_LEASE_SECONDS = 30.0


def cmd_scheduler(args: argparse.Namespace) -> int:
    """Enqueue the feeds that are due, forever; only one scheduler is active at once."""
    setup_django()
    migrate()
    import socket
    import time
    from datetime import timedelta

    from django.db import DatabaseError

    from cupure.sources.services import process_lease_claim, process_lease_release

    holder = f"{socket.gethostname()}:{os.getpid()}"
    lease = timedelta(seconds=SCHEDULER_LEASE_SECONDS)
    active = False
    rounds = 0
    try:
        while args.rounds == 0 or rounds < args.rounds:
            rounds += 1
            try:
                if process_lease_claim(name="scheduler", holder=holder, ttl=lease):
                    if not active:
                        say(f"Scheduler {holder} is active")
                        active = True
                    _poll_round(every=False, workers=1)
                elif active or rounds == 1:
                    say("Another scheduler is active; standing by")
                    active = False
            except DatabaseError as error:
                # One line per tick, no traceback; the next tick tries again.
                say(f"database unreachable ({_one_line(error)}); trying again")
                active = False
            time.sleep(SCHEDULER_TICK_SECONDS if args.rounds != 1 else 0)
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        with contextlib.suppress(DatabaseError):
            process_lease_release(name="scheduler", holder=holder)
    return 0


def cmd_add_feed(args: argparse.Namespace) -> int:
    """Subscribe to a feed (refused, with the reason, if it may not be fetched)."""
    setup_django()
    from urllib.parse import urlsplit

    from cupure.feeds import FeedError
    from cupure.net.errors import FetchError
    from cupure.sources.services import (
        feed_create,
        feed_discover,
        feed_url_check,
        publisher_get_or_create,
    )

    try:
        url = feed_url_check(url=args.url)
        if args.discover:
            url, others = feed_discover(url=url)
            if url != args.url:
                say(f"Discovered the feed {url}")
            for other in others:
                say(f"  (the page also offers {other})")
    except (FetchError, FeedError) as error:
        raise CommandError(str(error)) from error
    migrate()
    host = urlsplit(url).hostname or ""
    publisher = publisher_get_or_create(
        name=args.publisher or host,
        homepage_url=f"{urlsplit(url).scheme}://{host}/",
        display_policy=args.policy,
    )
    try:
        feed = feed_create(url=url, publisher=publisher)
    except ValueError as error:
        raise CommandError(str(error)) from error
    say(
        f"Subscribed to {feed.url} (feed {feed.pk}, publisher {publisher.name}, "
        f"display policy {publisher.display_policy})"
    )
    return 0


def cmd_remove_feed(args: argparse.Namespace) -> int:
    """Stop following a feed: unsubscribe from its hub, delete it and its entries
    (the articles already on the site stay)."""
    setup_django()
    migrate()
    from cupure.sources.models import Feed
    from cupure.sources.websub import feed_remove

    feed = Feed.objects.filter(url=args.url.strip()).first()
    if feed is None:
        raise CommandError(
            f"no feed {args.url} is followed; `cupure feeds` lists their addresses"
        )
    hubs = feed_remove(feed=feed)
    left = f", unsubscribed from {hubs} hub(s)" if hubs else ""
    say(f"Removed {args.url}{left}")
    return 0


def cmd_demo_publish(args: argparse.Namespace) -> int:
    """Make a running `cupure demo` publish a new article: its hub pushes it to the
    site, where it appears within seconds (no poll involved)."""
    from cupure.net.errors import FetchError
    from cupure.net.fetch import FetchPolicy, fetch, parse_allow_private

    url = f"http://127.0.0.1:{args.publishers_port}/_demo/publish"
    policy = FetchPolicy(allow_private=parse_allow_private("127.0.0.1/32"))
    try:
        response = fetch(url, policy=policy, form={"publish": "1"})
    except FetchError as error:
        raise CommandError(
            f"no demo publishers answer at 127.0.0.1:{args.publishers_port} "
            f"({_one_line(error)}); start `cupure demo` first (or give "
            "--publishers-port)"
        ) from error
    sys.stdout.write(response.content.decode("utf-8", "replace").rstrip() + "\n")
    return 0


# Feeds polled at once by `cupure poll`, each in its own process: a poll waits on the
# network, then extracts and analyses on the CPU (threads would share one core). The
# per-host limiter keeps any one publisher from noticing.
POLL_WORKERS = max(2, min(4, os.cpu_count() or 1))
# SQLite takes one writer at a time; beyond this, processes mostly wait for its lock.
POLL_WORKERS_MAX = 32
# The polling loop sleeps until the next feed is due, but wakes at least this often
# to notice feeds added meanwhile (by add-feed or the admin).
POLL_LOOP_MAX_SLEEP_SECONDS = 60.0
# ...and pauses at least this long between rounds, so no fault can make it spin.
POLL_LOOP_MIN_SLEEP_SECONDS = 1.0
# With the database unreachable the loop says so in one line and tries again this late.
POLL_DATABASE_RETRY_SECONDS = 10.0


def cmd_poll(args: argparse.Namespace) -> int:
    """Poll the feeds that are due; with --once a single round, else until Ctrl-C."""
    setup_django()
    _check_fetch_settings()
    migrate()
    import time

    from django.db import DatabaseError
    from django.utils import timezone

    from cupure.sources.selectors import feed_list_due, feed_next_due_at

    if args.once or args.all:
        return 1 if _poll_round(every=args.all, workers=args.workers) else 0
    say("Polling due feeds until Ctrl-C")
    try:
        while True:
            try:
                _poll_round(every=False, workers=args.workers)
                next_due = feed_next_due_at()
                more_due = feed_list_due(now=timezone.now()).exists()
            except DatabaseError as error:
                say(
                    f"database unreachable ({_one_line(error)}); "
                    f"trying again in {POLL_DATABASE_RETRY_SECONDS:g}s"
                )
                time.sleep(POLL_DATABASE_RETRY_SECONDS)
                continue
            wait = POLL_LOOP_MAX_SLEEP_SECONDS
            if next_due is not None:
                seconds = (next_due - timezone.now()).total_seconds()
                wait = min(max(seconds, 1.0), wait)
            # Never a busy loop: a round always ends with a pause, even when feeds
            # are still due (each poll pushes its feed out before fetching).
            time.sleep(POLL_LOOP_MIN_SLEEP_SECONDS if more_due else wait)
    except KeyboardInterrupt:
        # Leases of a poll cut short are given back (or expire); nothing is half-stored.
        say("Stopped.")
    return 0


def _poll_round(*, every: bool, workers: int) -> int:
    """Poll (or enqueue) every due feed once, ``workers`` at a time; how many failed.

    Feeds are polled in processes, a publisher's feeds in at most two lanes
    (``_poll_lanes``). Feeds that are not due but hold entries left pending (a poll
    cut short, a poller killed mid-ingest) have those pages ingested without the
    feed being fetched again.
    """
    from django.conf import settings
    from django.utils import timezone

    from cupure.sources.models import Feed
    from cupure.sources.selectors import feed_list_due, feed_list_pending
    from cupure.sources.services import feed_leases_reap

    feed_leases_reap()
    _websub_maintain()
    from cupure.images.services import images_pending_retry

    images_pending_retry()
    now = timezone.now()
    if every:
        feeds = list(Feed.objects.exclude(status=Feed.Status.INACTIVE).order_by("id"))
    else:
        feeds = list(feed_list_due(now=now))
    work = [(feed, False) for feed in feeds]
    if not settings.CUPURE_BROKER_URL and not every:
        work += [(feed, True) for feed in feed_list_pending(now=now)]
    from cupure.db import database_optimize_if_due

    database_optimize_if_due()
    if settings.CUPURE_BROKER_URL:
        # Each poll is only an enqueue: nothing to spread out.
        failures = _enqueue_round([feed for feed, _ in work])
    elif workers <= 1 or len(work) <= 1:
        failures = sum(_poll_one(feed, pending_only=p) for feed, p in work)
    else:
        failures = _poll_pooled(_poll_lanes(work), workers)
    from cupure.trends.services import trends_snapshot_refresh, trends_snapshot_save

    if feeds and not settings.CUPURE_BROKER_URL:
        # Polled here, not queued: the round's articles are in, trends can be current.
        trends_snapshot_save()
    else:
        # Trends move with the clock too (windows slide): the snapshot is kept fresh
        # here, every few minutes, rather than by a reader's request finding it old.
        trends_snapshot_refresh()
    return failures


def _websub_maintain() -> None:
    """Renew push leases due for it and fall back to polling where a push lapsed;
    a hub's trouble never stops a round."""
    import logging

    from django.db import DatabaseError

    from cupure.sources.websub import websub_maintain

    try:
        websub_maintain()
    except DatabaseError:
        raise
    except Exception:
        logging.getLogger("cupure.sources.websub").exception("WebSub upkeep failed")


# Whether the last enqueue found the broker unreachable: the outage and the recovery
# are each said once, not once per feed and tick.
_broker_down = False


def _enqueue_round(feeds: list) -> int:
    """Hand the due feeds to the workers; how many could not be handed over.

    A broker that cannot be reached stops the round with one line (the feeds stay
    due, and the next tick tries again), and its return is said once.
    """
    global _broker_down
    from cupure.sources.tasks import BrokerUnreachable, feed_poll_dispatch

    for number, feed in enumerate(feeds):
        try:
            feed_poll_dispatch(feed)
        except BrokerUnreachable as error:
            if not _broker_down:
                say(f"{error}; will try again every tick")
            _broker_down = True
            return len(feeds) - number
        if _broker_down:
            say("broker reachable again; enqueueing")
            _broker_down = False
        say(f"{feed.url}: queued for a worker")
    return 0


_pools: dict[int, ProcessPoolExecutor] = {}
# A feed whose poll process died (killed, out of memory) is polled again this many
# times in the same round, in a fresh process; after that it waits for its backoff
# (its poll pushed it out before fetching), so a page that kills the process cannot
# make us hammer its publisher.
POLL_PROCESS_RETRIES = 1


def _poll_pooled(lanes: list[list[tuple[int, bool]]], workers: int) -> int:
    """Poll the lanes' feeds in the pool, one feed of a lane at a time; how many
    failed.

    One future per feed, so when a pool process dies (BrokenProcessPool: every
    process of the pool is stopped with it) the feeds it and its siblings were
    polling are known and polled again in a fresh pool, instead of the poller dying
    (issue #16). Their leases name dead processes, so the retry takes them over.
    """
    from concurrent.futures import FIRST_COMPLETED, Future, wait
    from concurrent.futures.process import BrokenProcessPool

    queues = [deque(lane) for lane in lanes]
    retries: dict[tuple[int, bool], int] = {}
    in_flight: dict[Future[bool], tuple[int, tuple[int, bool]]] = {}
    failures = 0
    pool = _poll_pool(workers)

    def submit(lane: int) -> None:
        nonlocal pool
        if queues[lane]:
            item = queues[lane].popleft()
            try:
                future = pool.submit(_poll_feed_id, *item)
            except BrokenProcessPool:
                # A process died since the last look: a fresh pool takes the feed.
                _poll_pool_discard(workers)
                pool = _poll_pool(workers)
                future = pool.submit(_poll_feed_id, *item)
            in_flight[future] = (lane, item)

    try:
        for lane in range(len(queues)):
            submit(lane)
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                # Every process of the pool was stopped: the rest fail at once too.
                done |= wait(in_flight).done
            broken = False
            finished = []
            for future in done:
                lane, item = in_flight.pop(future)
                finished.append(lane)
                if not isinstance(future.exception(), BrokenProcessPool):
                    failures += future.result()
                    continue
                broken = True
                if retries.get(item, 0) < POLL_PROCESS_RETRIES:
                    retries[item] = retries.get(item, 0) + 1
                    queues[lane].appendleft(item)
                else:
                    failures += 1
                    say(
                        f"feed {item[0]}: its poll process died again; "
                        "left for its next scheduled poll"
                    )
            if broken:
                say("A poll process died; polling its feeds again in new processes")
                _poll_pool_discard(workers)
                pool = _poll_pool(workers)
                finished = list(range(len(queues)))
            for lane in finished:
                submit(lane)
    except KeyboardInterrupt:
        # Feeds not started are dropped; polls in flight finish (time is bounded).
        say("Stopping after the polls in flight…")
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return failures


def _poll_pool(workers: int) -> ProcessPoolExecutor:
    """The processes that poll feeds, started once and kept for later rounds.

    They are spawned, not forked: each sets Django up afresh from the environment
    (settings, database, home) and opens its own database connection. Story
    assignment and topic state are safe across processes (see stories.services and
    trends.services), as with Celery workers. Each dies with this process (see
    ``_die_with_parent``), so killing the poller leaves no orphans.
    """
    pool = _pools.get(workers)
    if pool is None:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_poll_process_init,
            initargs=(os.getpid(),),
        )
        _pools[workers] = pool
        atexit.register(pool.shutdown, cancel_futures=True)
    return pool


def _poll_pool_discard(workers: int) -> None:
    """Forget a broken pool (its processes are already stopped)."""
    pool = _pools.pop(workers, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _poll_process_init(parent_pid: int | None = None) -> None:
    """Set Django up in a pool process and load what every poll needs (the extractor,
    the topic extractor's dictionary): the first feed it polls is then no slower
    than the rest."""
    if parent_pid is not None:
        _die_with_parent(parent_pid)
    setup_django()
    import cupure.extract  # noqa: F401 - trafilatura and its rules, imported now
    from cupure.text.topics import load_word_lists

    load_word_lists()


# prctl(2) option: the signal this process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to stop this process when its parent dies (Linux
    PR_SET_PDEATHSIG), so a killed poller leaves no pool process polling on as an
    orphan (issue #16); elsewhere a thread watches the parent instead."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        armed = False
    if not armed:
        import threading

        threading.Thread(
            target=_watch_parent, args=(parent_pid,), daemon=True, name="parent-watch"
        ).start()
    if os.getppid() != parent_pid:
        # The parent died before the request was made: nobody will signal us.
        os._exit(1)


def _watch_parent(parent_pid: int) -> None:
    import time

    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def _poll_lanes(work: Sequence) -> list[list[tuple[int, bool]]]:
    """``(feed, pending_only)`` pairs as ``(feed id, pending_only)`` in lanes, each
    polled one after another by one process.

    A host's feeds are spread over at most ``MAX_REQUESTS_PER_HOST`` lanes, so
    however many processes poll, no publisher gets more requests at once than one
    process's host limiter allows.
    """
    from cupure.net.limits import MAX_REQUESTS_PER_HOST, host_key

    by_host: dict[str, list[tuple[int, bool]]] = {}
    for feed, pending_only in work:
        by_host.setdefault(host_key(feed.url), []).append((feed.pk, pending_only))
    lanes = []
    for items in by_host.values():
        count = min(MAX_REQUESTS_PER_HOST, len(items))
        lanes.extend(items[start::count] for start in range(count))
    # Longest lanes first: the round ends when its longest lane does.
    return sorted(lanes, key=len, reverse=True)


def _poll_feed_id(feed_id: int, pending_only: bool = False) -> bool:
    """Poll one feed in a pool process; True if it failed (False if it is gone)."""
    from cupure.sources.models import Feed

    feed = Feed.objects.select_related("publisher").filter(pk=feed_id).first()
    return False if feed is None else _poll_one(feed, pending_only=pending_only)


def _poll_one(feed, *, pending_only: bool = False) -> bool:
    """Poll (or enqueue) one feed and say what happened; True if it failed."""
    import logging

    from cupure.sources.services import feed_ingest_pending
    from cupure.sources.tasks import feed_poll_dispatch

    try:
        if pending_only:
            result = feed_ingest_pending(feed=feed)
        else:
            result = feed_poll_dispatch(feed)
    except Exception as error:
        # A database or broker that cannot be reached, or a bug: one line here, the
        # traceback in the log; other feeds carry on. feed_poll pushed the feed out
        # before fetching, so it is not polled again at once.
        logging.getLogger(__name__).debug(
            "Poll crashed feed_id=%s", feed.pk, exc_info=True
        )
        say(f"{feed.url}: {_dispatch_error(error)}; other feeds carry on")
        return True
    if result is None:
        say(f"{feed.url}: queued for a worker")
    elif result.skipped:
        say(f"{feed.url}: being polled by another worker")
    elif result.pending_only:
        say(f"{feed.url}: {result.ingested} pending entries ingested")
    elif result.ok:
        detail = "not modified" if result.not_modified else f"{result.new_entries} new"
        say(f"{feed.url}: {detail}, {result.ingested} ingested")
    else:
        say(f"{feed.url}: {result.error}")
        return True
    return False


def _dispatch_error(error: Exception) -> str:
    """One line for an error outside the feed: broker, database, or our own."""
    from django.db import DatabaseError

    from cupure.sources.tasks import BrokerUnreachable

    if isinstance(error, BrokerUnreachable):
        return str(error)
    if isinstance(error, DatabaseError):
        return f"database error ({_one_line(error)})"
    return f"internal error ({type(error).__name__}: {_one_line(error)}; see the log)"


def cmd_feeds(args: argparse.Namespace) -> int:
    """List the feeds with their health (status, last error, next poll, articles)."""
    setup_django()
    migrate()
    from cupure.sources.selectors import feed_health_rows

    rows = feed_health_rows()
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        say("No feeds yet: add one with `cupure add-feed URL`.")
    for row in rows:
        line = (
            f"{row['status']:<8} {row['articles']:>5} articles  {row['url']}"
            f"  next: {row['next_poll'] or '-'}"
        )
        if row["poll_reason"]:
            line += f"\n         next poll {row['poll_reason']}"
        if row["push"]:
            push = row["push"]
            line += f"\n         push: {push['state']} at {push['hub']}"
            if push["lease_expires"]:
                line += f" until {push['lease_expires']}"
            line += f", {push['pushes']} pushes"
            if push["last_error"]:
                line += f" ({push['last_error']})"
        if row["last_error"]:
            line += f"\n         last error: {row['last_error']}"
        if row["failed_entries"]:
            line += f"\n         {row['failed_entries']} failed entries, latest:"
            for failure in row["entry_errors"]:
                line += f"\n           {failure['link']}: {failure['error']}"
        if row["last_poll_note"]:
            note = row["last_poll_note"].splitlines()
            line += f"\n         last poll: {note[0]} {'; '.join(note[1:4])}"
        sys.stdout.write(line + "\n")
    return 0


def cmd_import_opml(args: argparse.Namespace) -> int:
    """Subscribe to every feed of an OPML file; one report line per feed."""
    setup_django()
    migrate()
    from cupure.feeds import OpmlError
    from cupure.sources.services import opml_import

    path = Path(args.file)
    try:
        lines = opml_import(content=path.read_bytes())
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    except OpmlError as error:
        raise CommandError(f"{path}: {error}") from error
    for line in lines:
        sys.stdout.write(f"{line}\n")
    counts = {o: sum(line.outcome == o for line in lines) for o in ("added", "exists")}
    refused = len(lines) - sum(counts.values())
    say(f"{counts['added']} added, {counts['exists']} already there, {refused} refused")
    return 1 if refused else 0


def cmd_export_opml(args: argparse.Namespace) -> int:
    """Print the subscriptions as OPML 2.0."""
    setup_django()
    migrate()
    from cupure.sources.services import opml_export

    sys.stdout.buffer.write(opml_export())
    sys.stdout.flush()
    return 0


def _check_fetch_settings() -> None:
    """Stop before polling when the fetch settings cannot be read: the fault is the
    setting's, and every feed would otherwise be marked failing for it (raises
    ImproperlyConfigured, which main prints in one line)."""
    from cupure.sources.services import fetch_policy

    fetch_policy()


def cmd_worker(args: argparse.Namespace) -> int:
    """Run a Celery worker (needs CUPURE_BROKER_URL, e.g. redis://127.0.0.1:6379/0)."""
    if not os.environ.get("CUPURE_BROKER_URL"):
        raise CommandError(
            "CUPURE_BROKER_URL is not set, so there is no queue to work from; set it "
            "(e.g. redis://127.0.0.1:6379/0), or use `cupure poll` to work in-process"
        )
    setup_django()
    _check_fetch_settings()
    migrate()
    from cupure.celery import app

    app.worker_main(
        [
            "worker",
            f"--loglevel={args.loglevel}",
            f"--concurrency={args.concurrency}",
            f"--pool={args.pool}",
        ]
    )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    """Run pages through the extractor and print JSON."""
    from cupure.extract import ExtractionError, extract_article
    from cupure.net.errors import FetchError

    failures = 0
    results = []
    for source in args.inputs:
        try:
            html = _read_input(source)
            url = args.url or (
                source if source.startswith(("http://", "https://")) else None
            )
            results.append(extract_article(html, url=url).to_json())
        except OSError as error:
            failures += 1
            say(f"{source}: cannot read: {error.strerror or error}")
        except (FetchError, ExtractionError, ValueError) as error:
            failures += 1
            say(f"{source}: {error}")
    if not results:
        return 1
    if args.jsonl or (len(args.inputs) > 1 and not args.json):
        for item in results:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    elif len(results) == 1:
        sys.stdout.write(json.dumps(results[0], ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return 1 if failures else 0


def _read_input(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        setup_django()
        from cupure.articles.services import HTML_ACCEPT
        from cupure.net.fetch import fetch
        from cupure.sources.services import fetch_policy

        return fetch(source, policy=fetch_policy(), accept=HTML_ACCEPT).content
    from cupure.extract.decode import read_page_file

    return read_page_file(Path(source))


def cmd_import_jsonl(args: argparse.Namespace) -> int:
    """Bulk-load articles (one JSON object a line) through dedupe, stories, topics."""
    setup_django()
    migrate()
    from cupure.articles.services import ArticleImportError, article_import
    from cupure.trends.services import topics_save

    path = Path(args.file)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    progress = Progress("Importing", total=sum(1 for line in lines if line.strip()))
    failures = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            article_import(record=json.loads(line))
        except json.JSONDecodeError as error:
            failures += 1
            say(f"{path}:{number}: not JSON ({error.msg}, column {error.colno})")
        except ArticleImportError as error:
            failures += 1
            say(f"{path}:{number}: {error}")
        progress.step()
    topics_save()
    after_ingest_batch()
    progress.done()
    if failures:
        say(f"{failures} line(s) not imported; the others are stored")
    return 1 if failures else 0


def cmd_takedown(args: argparse.Namespace) -> int:
    """Remove articles everywhere (pages, feeds, search, sitemap, stories, trends),
    answer their URLs 410 Gone and keep them from coming back; or --undo one."""
    setup_django()
    migrate()
    import getpass

    from django.contrib.auth import get_user_model

    from cupure.rights.services import TakedownError, takedown, takedown_undo

    user = None
    if args.by:
        user = get_user_model().objects.filter(username=args.by).first()
        if user is None:
            raise CommandError(f"--by {args.by!r}: no such account")
    who = f"{args.by or getpass.getuser()} (command line)"
    try:
        if args.undo is not None:
            requeued = takedown_undo(takedown_id=args.undo, user=user, requested_by=who)
            say(f"Takedown {args.undo} undone; {requeued} feed entries queued again")
            return 0
        if not args.urls:
            raise CommandError("name the URL(s) to take down, or --undo ID")
        results = takedown(
            urls=args.urls, reason=args.reason or "", user=user, requested_by=who
        )
    except TakedownError as error:
        raise CommandError(str(error)) from error
    for result in results:
        for tombstone in result.takedowns:
            say(
                f"taken down (takedown {tombstone.pk}): {tombstone.canonical_url} "
                f"[{tombstone.publisher_name}]"
            )
    return 0


def cmd_export_jsonl(args: argparse.Namespace) -> int:
    """Print every article as one JSON object a line (with story and copies)."""
    setup_django()
    migrate()
    from cupure.articles.selectors import article_export_rows

    out = sys.stdout
    for row in article_export_rows():
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


def cmd_trending(args: argparse.Namespace) -> int:
    """The trending topics as of a time (default now)."""
    setup_django()
    migrate()
    from cupure.trends.selectors import topic_list_trending

    topics = topic_list_trending(at=args.at, window=args.window, limit=args.limit)
    if args.json:
        sys.stdout.write(
            json.dumps([t.to_json() for t in topics], ensure_ascii=False, indent=2)
            + "\n"
        )
        return 0
    if not topics:
        say("Nothing is trending in that window.")
    for rank, topic in enumerate(topics, start=1):
        sys.stdout.write(f"{rank:2}. {topic.name}  ({topic.trend.explain()})\n")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Full-text search over headlines and bodies."""
    setup_django()
    migrate()
    from cupure.search.commands import search_command

    return search_command(" ".join(args.query), as_json=args.json, limit=args.limit)


def cmd_search_reindex(args: argparse.Namespace) -> int:
    """Rebuild the search index from the stored articles."""
    setup_django()
    migrate()
    from cupure.search.services import search_reindex

    count = search_reindex()
    say(f"Indexed {count} articles")
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    """Print the direct quotes of text or HTML files with their speakers (JSON), or
    with --reindex recompute the stored quotes of every article."""
    if args.reindex:
        if args.files:
            raise CommandError("--reindex takes no files")
        setup_django()
        migrate()
        from cupure.quotes.services import quotes_reindex

        say(f"Stored {quotes_reindex()} quotes")
        return 0
    if not args.files:
        raise CommandError("give one or more files, or --reindex")
    from cupure.quotes.commands import quotes_command

    return quotes_command(args.files, jsonl=args.jsonl)


class Progress:
    """A one-line progress bar on stderr: count, rate, and time left."""

    def __init__(self, label: str, *, total: int) -> None:
        import time

        self.label, self.total, self.count = label, total, 0
        self._clock = time.monotonic
        self._started = self._last = self._clock()

    def step(self) -> None:
        self.count += 1
        now = self._clock()
        if now - self._last >= 0.5 or self.count == self.total:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._started, 1e-9)
        rate = self.count / elapsed
        left = (self.total - self.count) / rate if rate else 0.0
        share = self.count / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r{self.label} [{bar:<30}] {self.count}/{self.total} "
            f"{rate:.0f}/s, {left:.0f}s left "
        )
        sys.stderr.flush()

    def done(self) -> None:
        elapsed = self._clock() - self._started
        sys.stderr.write(f"\n{self.label}: {self.count} in {elapsed:.1f}s\n")


def cmd_images(args: argparse.Namespace) -> int:
    """The site's own copies of article images: counts, skipped ones and why;
    --refetch fetches the missing ones again, --prune removes unused files."""
    setup_django()
    migrate()
    from cupure.images.selectors import images_summary
    from cupure.images.services import images_prune, images_refetch

    done: dict[str, object] = {}
    if args.refetch:
        fetched = images_refetch(all_images=True)
        done["refetch"] = {
            "stored": fetched.stored,
            "reused": fetched.reused,
            "skipped": fetched.skipped,
            "deferred": fetched.deferred,
        }
    if args.prune:
        pruned = images_prune()
        done["prune"] = {"images": pruned.images, "files": pruned.files}
    summary = {**images_summary(), **done}
    if args.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return 0
    uses = summary["uses"]
    lines = [
        f"{summary['images']} images stored as {summary['renditions']} files, "
        f"{summary['bytes'] / 1_048_576:.1f} MiB",
        f"article images: {uses['stored']} shown, {uses['pending']} pending, "
        f"{uses['skipped']} skipped",
    ]
    lines += [f"  skipped {s['url']}: {s['reason']}" for s in summary["skipped"]]
    if summary["lost_files"]:
        lines.append(
            f"{summary['lost_files']} images have lost files (pages show them "
            "broken): `cupure images --refetch` fetches them again"
        )
    if "refetch" in done:
        lines.append(
            "refetch: {stored} stored, {reused} reused, {skipped} skipped, "
            "{deferred} deferred".format(**done["refetch"])
        )
    if "prune" in done:
        lines.append(
            "prune: {images} unused images and {files} stray files removed".format(
                **done["prune"]
            )
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Run a Django management command (migrate, createsuperuser, …)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cupure manage", *args.rest])
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """Back the database up into a new FILE while the site runs (SQLite: online
    backup API; PostgreSQL: pg_dump)."""
    import time

    setup_django()
    from django.db import connection

    from cupure.ops.backup import BackupError, postgresql_backup, sqlite_backup

    target = Path(args.file).resolve()
    started = time.monotonic()
    try:
        if connection.vendor == "sqlite":
            sqlite_backup(Path(connection.settings_dict["NAME"]), target)
        elif connection.vendor == "postgresql":
            postgresql_backup(connection.settings_dict, target)
        else:
            raise CommandError(f"cannot back up a {connection.vendor} database")
    except BackupError as error:
        raise CommandError(str(error)) from error
    size = target.stat().st_size / 1e6
    say(
        f"Backed up {_database_label()} to {target} "
        f"({size:.1f} MB in {time.monotonic() - started:.1f}s)"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a `cupure backup` FILE into this CUPURE_HOME's database (SQLite) or
    the empty database CUPURE_DATABASE_URL names (PostgreSQL); stop the site first."""
    setup_django()
    from django.db import connection

    from cupure.ops.backup import BackupError, postgresql_restore, sqlite_restore

    backup = Path(args.file).resolve()
    try:
        if connection.vendor == "sqlite":
            database = Path(connection.settings_dict["NAME"])
            connection.close()
            restored = sqlite_restore(backup, database, replace=args.replace)
            if restored.kept_aside:
                say(f"The database that was there is kept at {restored.kept_aside}")
        elif connection.vendor == "postgresql":
            has_data = "django_migrations" in connection.introspection.table_names()
            connection.close()
            postgresql_restore(connection.settings_dict, backup, has_data=has_data)
        else:
            raise CommandError(f"cannot restore into a {connection.vendor} database")
    except BackupError as error:
        raise CommandError(str(error)) from error
    # A backup made by an older cupure gets this version's migrations.
    migrate()
    from cupure.articles.models import Article
    from cupure.sources.models import Feed

    say(
        f"Restored {backup} into {_database_label()}: "
        f"{Article.objects.count()} articles, {Feed.objects.count()} feeds"
    )
    _say_lost_image_files()
    return 0


# Images whose files `cupure restore` looks for (a bucket costs a request a file).
RESTORE_IMAGE_SAMPLE = 50


def _say_lost_image_files() -> None:
    """The backup holds the image rows, not their files: say so when this home
    lacks them, with the two ways to get them back."""
    from django.conf import settings

    from cupure.images.selectors import images_with_lost_files

    lost = images_with_lost_files(limit=RESTORE_IMAGE_SAMPLE)
    if lost:
        say(
            f"Restored images have no files here ({lost} of the first "
            f"{RESTORE_IMAGE_SAMPLE} checked; the backup holds the database only): "
            f"copy the old media folder to {settings.MEDIA_ROOT} or run "
            "`cupure images --refetch`"
        )


def _database_label() -> str:
    from django.db import connection

    settings_dict = connection.settings_dict
    return f"{connection.vendor} {settings_dict['NAME']}"


# --- argument parsing -----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cupure", description="A self-hosted news site that runs itself."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=handler.__doc__, description=handler.__doc__
        )
        sub.set_defaults(handler=handler)
        return sub

    demo = command("demo", cmd_demo)
    demo.add_argument(
        "--port", type=_port, default=8000, help="site port (default 8000)"
    )
    demo.add_argument(
        "--publishers-port",
        type=_port,
        default=0,
        help="port of the sample publishers (default: site port + 1)",
    )

    serve_parser = command("serve", cmd_serve)
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=_port, default=8000)
    serve_parser.add_argument(
        "--workers",
        type=_count,
        default=None,
        help="processes (default: CUPURE_WEB_WORKERS, else one per core)",
    )
    serve_parser.add_argument(
        "--threads",
        type=_count,
        default=None,
        help="threads per process running Django (default: CUPURE_WEB_THREADS, else 2)",
    )

    scheduler = command("scheduler", cmd_scheduler)
    scheduler.add_argument(
        "--rounds", type=int, default=0, help="stop after N ticks (default: never)"
    )

    add_feed = command("add-feed", cmd_add_feed)
    add_feed.add_argument("url", help="the feed's http(s) URL")
    add_feed.add_argument("--publisher", help="publisher name (default: the host)")
    add_feed.add_argument(
        "--discover",
        action="store_true",
        help="fetch the URL; if it is a web page, subscribe to the feed it advertises",
    )
    add_feed.add_argument(
        "--policy",
        type=_policy,
        default=None,
        help="what the publisher's articles may show: full, excerpt or headline "
        "(default: excerpt for a new publisher; given, it is set on an existing one)",
    )

    remove_feed = command("remove-feed", cmd_remove_feed)
    remove_feed.add_argument("url", help="the feed's address, as `cupure feeds` shows")

    demo_publish = command("demo-publish", cmd_demo_publish)
    demo_publish.add_argument(
        "--publishers-port",
        type=_port,
        default=8001,
        help="port of the running demo's publishers (default 8001: demo on 8000)",
    )

    poll = command("poll", cmd_poll)
    poll.add_argument(
        "--once", action="store_true", help="poll due feeds once and exit"
    )
    poll.add_argument(
        "--all", action="store_true", help="poll every feed once, due or not"
    )
    poll.add_argument(
        "--workers",
        type=_workers,
        default=POLL_WORKERS,
        help=f"processes polling feeds at once (default {POLL_WORKERS})",
    )

    feeds_parser = command("feeds", cmd_feeds)
    feeds_parser.add_argument("--json", action="store_true", help="JSON output")

    import_opml = command("import-opml", cmd_import_opml)
    import_opml.add_argument("file", help="OPML file exported from a feed reader")

    command("export-opml", cmd_export_opml)

    worker = command("worker", cmd_worker)
    worker.add_argument("--concurrency", type=int, default=4)
    worker.add_argument(
        "--pool", default="threads", choices=["threads", "prefork", "solo"]
    )
    worker.add_argument("--loglevel", default="INFO")

    extract = command("extract", cmd_extract)
    extract.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    extract.add_argument("--url", help="the page's URL, to resolve relative links")
    output = extract.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON document")
    output.add_argument("--jsonl", action="store_true", help="one JSON object per line")

    import_jsonl = command("import-jsonl", cmd_import_jsonl)
    import_jsonl.add_argument("file", help="JSON Lines file of articles")

    command("export-jsonl", cmd_export_jsonl)

    takedown_parser = command("takedown", cmd_takedown)
    takedown_parser.add_argument(
        "urls",
        nargs="*",
        metavar="URL",
        help="the publisher's URL, the canonical URL, or our page of the article",
    )
    takedown_parser.add_argument("--reason", help="why (kept with the tombstone)")
    takedown_parser.add_argument(
        "--by", help="the account asking (its admin history records it)"
    )
    takedown_parser.add_argument(
        "--undo", type=_number, metavar="ID", help="lift takedown ID instead"
    )

    trending = command("trending", cmd_trending)
    trending.add_argument("--at", type=_moment, default=None, help="ISO 8601 time")
    trending.add_argument(
        "--window", type=_duration, default="6h", help="e.g. 6h, 90m, 1d (default 6h)"
    )
    trending.add_argument("--limit", type=int, default=10)
    trending.add_argument("--json", action="store_true")

    command("search-reindex", cmd_search_reindex)

    search = command("search", cmd_search)
    search.add_argument("query", nargs="+")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=int, default=20)

    quotes = command("quotes", cmd_quotes)
    quotes.add_argument("files", nargs="*", metavar="FILE")
    quotes.add_argument("--jsonl", action="store_true", help="one JSON object per file")
    quotes.add_argument(
        "--reindex", action="store_true", help="recompute every stored article's quotes"
    )

    images = command("images", cmd_images)
    images.add_argument(
        "--refetch",
        action="store_true",
        help="fetch again the images that are missing (pending, skipped, lost files)",
    )
    images.add_argument(
        "--prune",
        action="store_true",
        help="remove stored images no article uses, and stray files",
    )
    images.add_argument("--json", action="store_true", help="JSON output")

    backup = command("backup", cmd_backup)
    backup.add_argument("file", help="the backup file to create (never overwritten)")
    restore = command("restore", cmd_restore)
    restore.add_argument("file", help="a file `cupure backup` made")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="SQLite: restore over an existing database (kept aside, next to it)",
    )

    manage = command("manage", cmd_manage)
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def _moment(value: str):
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO 8601 time: {value!r} (e.g. 2026-11-25T12:00:00Z)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _duration(value: str):
    import re
    from datetime import timedelta

    match = re.fullmatch(r"\s*(\d+)\s*([mhd])\s*", value)
    if not match or int(match[1]) == 0:
        raise argparse.ArgumentTypeError(
            f"not a duration: {value!r} (use minutes, hours or days: 90m, 6h, 1d)"
        )
    unit = {"m": "minutes", "h": "hours", "d": "days"}[match[2]]
    return timedelta(**{unit: int(match[1])})


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None


def _workers(value: str) -> int:
    workers = _number(value)
    if not 1 <= workers <= POLL_WORKERS_MAX:
        raise argparse.ArgumentTypeError(
            f"workers must be 1-{POLL_WORKERS_MAX}, got {workers}"
        )
    return workers


def _count(value: str) -> int:
    """A positive whole number (processes, threads)."""
    count = _number(value)
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {count}")
    return count


def _policy(value: str) -> str:
    """A display policy (cupure.rights.policy): full, excerpt or headline."""
    from cupure.rights.policy import parse_policy

    try:
        return parse_policy(value).value
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 1-65535, got {port}")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(args)
        _images_finish()
        return code
    except CommandError as error:
        sys.stderr.write(f"cupure {args.command}: {error}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`cupure export-jsonl | head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        misconfigured = _misconfigured(error)
        if misconfigured is not None:
            # A setting to mend, not a bug: one line naming it.
            sys.stderr.write(f"cupure {args.command}: {misconfigured}\n")
            return 2
        unreachable = _database_unreachable(error)
        if unreachable is None:
            raise
        # An outage, not a bug: one line (issue #16: a traceback of 90 lines).
        sys.stderr.write(f"cupure {args.command}: {unreachable}\n")
        return 1


def _images_finish() -> None:
    """Before a command that ingested returns, wait for the images its articles
    still have in this process's image threads (they are pending in the database
    until done; a process that is killed leaves them to `cupure images --refetch`)."""
    background = sys.modules.get("cupure.images.background")
    if background is None or not background.images_queued():
        return
    say(f"Finishing the images of {background.images_queued()} article(s)…")
    background.images_drain()


def _misconfigured(error: BaseException) -> str | None:
    """One line if ``error`` says a setting is wrong, else None."""
    exceptions = sys.modules.get("django.core.exceptions")
    if exceptions is None or not isinstance(error, exceptions.ImproperlyConfigured):
        return None
    return f"configuration error: {_one_line(error)}"


def _database_unreachable(error: BaseException) -> str | None:
    """One line if ``error`` says the database cannot be reached, else None."""
    db = sys.modules.get("django.db")
    if db is None or not isinstance(error, db.OperationalError | db.InterfaceError):
        return None
    config = db.connection.settings_dict
    where = config.get("NAME")
    if config.get("HOST"):
        where = f"{config['HOST']}:{config.get('PORT') or ''}/{config.get('NAME')}"
    return f"database unreachable at {where} ({_one_line(error)})"
