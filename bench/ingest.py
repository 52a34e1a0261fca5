"""Ingest benchmark (issue #9, table 1): articles per second end to end through the
real pipeline, against bare trafilatura on the same page bytes, in the same run.

The pipeline: the bundled demo publishers (``cupure.demo``) serve their feeds and
pages on 127.0.0.1 from a process of their own; every feed is subscribed, then all
are polled as ``cupure poll --all --workers N`` polls them (``cli._poll_round``: safe
fetch with robots.txt and conditional GET → feed parse → page fetch → extract →
store → copy check → story assignment → topics → search index, one transaction per
article; N processes, a host's feeds in at most two lanes), with N = 1 and N = the
cores. The demo is small, so the round is repeated on fresh databases (a copy of a
migrated empty SQLite file; in-process story and topic state reset, pool processes
reset before the clock starts: they live on, as in a running site).

The anchor: ``trafilatura.extract`` on the very same page bytes (fetched once
beforehand, outside the timing), as many times, in one process and shared by N
processes. ``cupure.extract.extract_article`` on those bytes is timed too, to show
which part of the pipeline is extraction.

    .venv/bin/python bench/ingest.py [--rounds 10] [--workers 2] [--write]
    .venv/bin/python bench/ingest.py --quick          # 3 rounds
    .venv/bin/python bench/ingest.py --profile        # pyinstrument, one process

``--write`` replaces the "## Ingest" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SECTION = "Ingest"
GOAL_RATIO = 0.8
ROUNDS = 10


def _fresh_database(template: Path, path: Path) -> None:
    from django.db import connection

    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, path)


def _reset_process_state() -> None:
    from cupure.stories.services import story_state_reset
    from cupure.trends.services import topic_state_reset

    story_state_reset()
    topic_state_reset()


def pipeline_round(demo, workers: int) -> tuple[int, float, float]:
    """Subscribe to every demo feed, then poll them all as ``cupure poll --all
    --workers N`` does (N processes; one process polls in place), then index what
    ingest left unindexed; returns (articles stored, seconds polling, seconds
    indexing). Pool processes are started and warmed before the clock starts."""
    from cupure import cli
    from cupure.articles.models import Article
    from cupure.sources.services import feed_create, publisher_get_or_create

    for demo_feed in demo.feeds():
        publisher = publisher_get_or_create(
            name=demo_feed.publisher, homepage_url=demo_feed.homepage_url
        )
        feed_create(url=demo_feed.feed_url, publisher=publisher)
    if workers > 1:
        _pool_reset(cli, workers)
    started = time.perf_counter()
    failures = cli._poll_round(every=True, workers=workers)
    polled = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{failures} demo feed(s) failed to poll")
    started = time.perf_counter()
    indexed = index_new_articles()
    indexing = time.perf_counter() - started if indexed else 0.0
    return Article.objects.count(), polled, indexing


def _pool_reset(cli, workers: int) -> None:
    """Point the poll processes at the fresh database, as long-running processes
    that keep their imports, caches and robots.txt answers: each closes its database
    connection and forgets its story and topic state. The pool is started (and
    warmed, see ``cli._poll_process_init``) on the first round, which is untimed."""
    import multiprocessing

    pool = cli._poll_pool(workers)
    with multiprocessing.Manager() as manager:
        # Every process takes exactly one reset: each waits for all the others.
        barrier = manager.Barrier(workers)
        list(pool.map(_process_reset, [barrier] * workers))


def _process_reset(barrier) -> None:
    from django.db import connections

    connections.close_all()
    _reset_process_state()
    barrier.wait(timeout=60)


def index_new_articles() -> int:
    """Index the articles the search index lacks (none if ingest indexes itself)."""
    from django.db import connection

    from cupure.articles.models import Article
    from cupure.search.backends import get_backend
    from cupure.search.services import search_index_article

    if get_backend().document_count() >= Article.objects.count():
        return 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts")
            have = {row[0] for row in cursor.fetchall()}
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_id FROM search_document")
            have = {row[0] for row in cursor.fetchall()}
    missing = Article.objects.exclude(pk__in=have)
    count = 0
    for article in missing.iterator():
        search_index_article(article=article)
        count += 1
    return count


def page_bytes(demo) -> list[tuple[str, bytes]]:
    """Every demo article page, as the pipeline fetched it (outside any timing)."""
    pages = []
    for url in sorted(demo.article_events()):
        with urllib.request.urlopen(url, timeout=30) as response:
            pages.append((url, response.read()))
    return pages


def time_extractors(pages: list[tuple[str, bytes]], rounds: int) -> dict[str, float]:
    """Seconds for ``rounds`` passes of trafilatura and of cupure's extractor."""
    from cupure.extract import extract_article

    timings = {"trafilatura": _trafilatura_share(pages, rounds)}
    started = time.perf_counter()
    for _ in range(rounds):
        for url, body in pages:
            extract_article(body, url=url)
    timings["cupure_extract"] = time.perf_counter() - started
    return timings


def _trafilatura_share(pages: list[tuple[str, bytes]], rounds: int) -> float:
    """Seconds for ``rounds`` passes of bare trafilatura over ``pages``."""
    import trafilatura

    started = time.perf_counter()
    for _ in range(rounds):
        for url, body in pages:
            trafilatura.extract(body, url=url)
    return time.perf_counter() - started


def time_parallel_trafilatura(
    pages: list[tuple[str, bytes]], rounds: int, workers: int
) -> float:
    """Seconds for ``workers`` processes to share ``rounds`` passes of trafilatura
    (the anchor at the pipeline's own parallelism; processes started beforehand)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares = [rounds // workers + (i < rounds % workers) for i in range(workers)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        list(pool.map(_trafilatura_share, [pages[:2]] * workers, [1] * workers))
        started = time.perf_counter()
        list(pool.map(_trafilatura_share, [pages] * workers, shares))
        return time.perf_counter() - started


@contextmanager
def publishers_process():
    """The demo publishers in a process of their own (as real publishers are: their
    serving must not share this process's interpreter lock with the pipeline).
    Yields a ``DemoPublishers`` describing that server's URLs (not serving itself)."""
    from cupure.demo.server import DemoPublishers
    from cupure.demo.site import DemoSite

    port = common.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cupure.demo.server", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        common.wait_for_port(port, process=process)
        listing = DemoPublishers("127.0.0.1", port)
        listing._site = DemoSite(  # describe the server, do not serve
            listing.catalog, f"http://127.0.0.1:{port}", listing.now
        )
        yield listing
    finally:
        process.terminate()
        process.wait(timeout=30)


def run(rounds: int, workers: int, *, profile: bool) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cupure-ingest-"))
    database = work / common.SQLITE_NAME
    template = work / "template.sqlite3"
    # The fetcher refuses loopback addresses; open exactly the demo's own address.
    os.environ["CUPURE_FETCH_ALLOW_PRIVATE"] = "127.0.0.1/32"
    os.environ["CUPURE_LOG_LEVEL"] = "ERROR"
    try:
        common.django_setup(common.sqlite_url(database), home=work)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        shutil.copyfile(database, template)
        with publishers_process() as demo:
            pages = page_bytes(demo)
            # One untimed round: imports, lazy tables, first-use caches.
            _fresh_database(template, database)
            _reset_process_state()
            pipeline_round(demo, 1)
            if profile:
                from pyinstrument import Profiler

                _fresh_database(template, database)
                _reset_process_state()
                with Profiler(interval=0.0005) as profiler:
                    pipeline_round(demo, 1)
                out = common.BENCH_HOME / "profile-ingest.txt"
                out.write_text(profiler.output_text(unicode=True))
                print(f"profile -> {out}")
                return {}
            pipelines = {}
            for count in sorted({1, workers}):
                articles = polling = indexing = 0.0
                # Round 0 is untimed: the poll processes' first polls (robots.txt,
                # TLS context, first queries) are a process start, not ingest.
                for round_number in range(rounds + 1):
                    _fresh_database(template, database)
                    _reset_process_state()
                    stored, polled, indexed = pipeline_round(demo, count)
                    if round_number == 0:
                        continue
                    articles += stored
                    polling += polled
                    indexing += indexed
                pipelines[count] = {
                    "articles": int(articles),
                    "poll_s": polling,
                    "index_s": indexing,
                }
        extractors = time_extractors(pages, rounds)
        extractors["trafilatura_parallel"] = time_parallel_trafilatura(
            pages, rounds, workers
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "rounds": rounds,
        "pages": len(pages),
        "workers": workers,
        "pipelines": {str(k): v for k, v in pipelines.items()},
        "trafilatura_parallel_s": extractors["trafilatura_parallel"],
        "trafilatura_s": extractors["trafilatura"],
        "cupure_extract_s": extractors["cupure_extract"],
        "peak_rss_mib": common.rss_mib(os.getpid(), "VmHWM"),
    }


def report(r: dict, argv: list[str]) -> str:
    extract_count = r["pages"] * r["rounds"]
    trafilatura_rate = extract_count / r["trafilatura_s"]
    parallel_rate = extract_count / r["trafilatura_parallel_s"]
    cupure_rate = extract_count / r["cupure_extract_s"]
    workers = r["workers"]
    rows = []
    rates = {}
    for count, p in sorted(r["pipelines"].items(), key=lambda item: int(item[0])):
        seconds = p["poll_s"] + p["index_s"]
        rates[int(count)] = rate = p["articles"] / seconds
        how = "one process" if count == "1" else f"{count} processes"
        rows.append(
            [
                f"cupure pipeline, end to end, {how} (`cupure poll --all --workers "
                f"{count}`: fetch → extract → store → copies → story → topics → "
                "search index)",
                f"{p['articles']:,}",
                f"{seconds:.2f}",
                f"{rate:,.1f}",
                f"{rate / trafilatura_rate:.2f}×",
                f"{rate / parallel_rate:.2f}×",
            ]
        )
    rows += [
        [
            "cupure extractor alone (`extract_article`, same bytes, one process)",
            f"{extract_count:,}",
            f"{r['cupure_extract_s']:.2f}",
            f"{cupure_rate:,.1f}",
            f"{cupure_rate / trafilatura_rate:.2f}×",
            "",
        ],
        [
            "bare trafilatura (`trafilatura.extract`, same bytes, one process) — "
            "anchor",
            f"{extract_count:,}",
            f"{r['trafilatura_s']:.2f}",
            f"{trafilatura_rate:,.1f}",
            "1.00×",
            "",
        ],
        [
            f"bare trafilatura, {workers} processes",
            f"{extract_count:,}",
            f"{r['trafilatura_parallel_s']:.2f}",
            f"{parallel_rate:,.1f}",
            f"{parallel_rate / trafilatura_rate:.2f}×",
            "1.00×",
        ],
    ]
    best = rates[workers] / trafilatura_rate
    same = rates[workers] / parallel_rate
    single = rates[1] / trafilatura_rate
    verdict = (
        f"met against the issue's anchor ({best:.2f}× with {workers} processes), "
        f"not per core: at the same parallelism the pipeline is {same:.2f}× "
        f"trafilatura, and one process {single:.2f}×"
        if best >= GOAL_RATIO
        else f"**not met** ({best:.2f}× with {workers} processes, {single:.2f}× with "
        "one)"
    )
    index_note = (
        "search indexing done by this script after ingest"
        if any(p["index_s"] for p in r["pipelines"].values())
        else "ingest indexed every article itself"
    )
    return "\n".join(
        [
            f"The {r['pages']} pages of the bundled demo publishers served on "
            f"127.0.0.1, ingested {r['rounds']} times on fresh SQLite databases "
            f"by each pipeline setting ({index_note}; the poll processes are "
            "started once and live on between rounds, as in a running site). "
            f"Goal (issue #9): pipeline ≥ {GOAL_RATIO}× bare trafilatura — "
            f"{verdict}.",
            "",
            common.table(
                [
                    "path",
                    "articles",
                    "seconds",
                    "articles/s",
                    "vs trafilatura",
                    f"vs trafilatura ×{workers}",
                ],
                rows,
            ),
            "",
            f"Peak RSS of the ingesting process: {r['peak_rss_mib']:.0f} MiB (pool "
            "processes apart).",
            "",
            f"Command: `{common.command_line('ingest.py', argv)}`  ",
            f"Machine: {common.machine_line()}; measured "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, os.cpu_count() or 1),
        help="poll processes of the parallel pipeline (default: the cores)",
    )
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = 3
    result = run(args.rounds, args.workers, profile=args.profile)
    if args.profile:
        return 0
    common.save_result("ingest", result)
    text = report(result, argv)
    print(text)
    if args.write:
        common.write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
