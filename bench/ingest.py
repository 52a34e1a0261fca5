"""Ingest benchmark (issue #9, table 1): articles per second end to end through the
real pipeline, against bare trafilatura on the same page bytes, in the same run.

The pipeline: the bundled demo publishers (``cupure.demo``) serve their feeds and
pages on 127.0.0.1; every feed is subscribed and polled with ``feed_poll`` (safe
fetch with robots.txt and conditional GET → feed parse → page fetch → extract →
store → copy check → story assignment → topics), then the search index is brought up
to date (``search_index_article`` for each new article, unless ingest already
indexed it). The demo is small, so the round is repeated on fresh databases (a copy
of a migrated empty SQLite file; the in-process story and topic state is reset).

The anchor: ``trafilatura.extract`` on the very same page bytes (fetched once
beforehand, outside the timing), as many times. ``cupure.extract.extract_article``
on those bytes is timed too, to show which part of the pipeline is extraction.

    .venv/bin/python bench/ingest.py [--rounds 10] [--write]
    .venv/bin/python bench/ingest.py --quick          # 3 rounds
    .venv/bin/python bench/ingest.py --profile        # pyinstrument, one round

``--write`` replaces the "## Ingest" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import urllib.request
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


def pipeline_round(demo) -> tuple[int, float, float]:
    """Subscribe to and poll every demo feed, then index; returns (articles stored,
    seconds polling, seconds indexing)."""
    from cupure.articles.models import Article
    from cupure.sources.services import feed_create, feed_poll, publisher_get_or_create
    from cupure.trends.services import topics_save

    started = time.perf_counter()
    for demo_feed in demo.feeds():
        publisher = publisher_get_or_create(
            name=demo_feed.publisher, homepage_url=demo_feed.homepage_url
        )
        feed = feed_create(url=demo_feed.feed_url, publisher=publisher)
        result = feed_poll(feed=feed)
        if not result.ok:
            raise RuntimeError(f"{demo_feed.feed_url}: {result.error}")
    topics_save()
    polled = time.perf_counter() - started
    started = time.perf_counter()
    indexed = index_new_articles()
    indexing = time.perf_counter() - started if indexed else 0.0
    return Article.objects.count(), polled, indexing


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
    import trafilatura

    from cupure.extract import extract_article

    timings = {}
    started = time.perf_counter()
    for _ in range(rounds):
        for url, body in pages:
            trafilatura.extract(body, url=url)
    timings["trafilatura"] = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        for url, body in pages:
            extract_article(body, url=url)
    timings["cupure_extract"] = time.perf_counter() - started
    return timings


def run(rounds: int, *, profile: bool) -> dict:
    from cupure.demo.server import DemoPublishers

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
        with DemoPublishers(host="127.0.0.1", port=0) as demo:
            pages = page_bytes(demo)
            # One untimed round: imports, lazy tables, first-use caches.
            _fresh_database(template, database)
            _reset_process_state()
            pipeline_round(demo)
            if profile:
                from pyinstrument import Profiler

                _fresh_database(template, database)
                _reset_process_state()
                with Profiler(interval=0.0005) as profiler:
                    pipeline_round(demo)
                out = common.BENCH_HOME / "profile-ingest.txt"
                out.write_text(profiler.output_text(unicode=True))
                print(f"profile -> {out}")
                return {}
            articles = polling = indexing = 0.0
            for _ in range(rounds):
                _fresh_database(template, database)
                _reset_process_state()
                stored, polled, indexed = pipeline_round(demo)
                articles += stored
                polling += polled
                indexing += indexed
        extractors = time_extractors(pages, rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "rounds": rounds,
        "pages": len(pages),
        "articles": int(articles),
        "poll_s": polling,
        "index_s": indexing,
        "trafilatura_s": extractors["trafilatura"],
        "cupure_extract_s": extractors["cupure_extract"],
        "peak_rss_mib": common.rss_mib(os.getpid(), "VmHWM"),
    }


def report(r: dict, argv: list[str]) -> str:
    pipeline_rate = r["articles"] / (r["poll_s"] + r["index_s"])
    extract_count = r["pages"] * r["rounds"]
    trafilatura_rate = extract_count / r["trafilatura_s"]
    cupure_rate = extract_count / r["cupure_extract_s"]
    ratio = pipeline_rate / trafilatura_rate
    rows = [
        [
            "cupure pipeline, end to end (poll → fetch → extract → store → copies → "
            "story → topics → search index)",
            f"{r['articles']:,}",
            f"{r['poll_s'] + r['index_s']:.2f}",
            f"{pipeline_rate:,.1f}",
            f"{ratio:.2f}×",
        ],
        [
            "cupure extractor alone (`extract_article`, same bytes)",
            f"{extract_count:,}",
            f"{r['cupure_extract_s']:.2f}",
            f"{cupure_rate:,.1f}",
            f"{cupure_rate / trafilatura_rate:.2f}×",
        ],
        [
            "bare trafilatura (`trafilatura.extract`, same bytes) — anchor",
            f"{extract_count:,}",
            f"{r['trafilatura_s']:.2f}",
            f"{trafilatura_rate:,.1f}",
            "1.00×",
        ],
    ]
    verdict = "met" if ratio >= GOAL_RATIO else "**not met**"
    index_note = (
        f"search indexing took {r['index_s']:.2f} s of it (done by this script: "
        "ingest does not index yet)"
        if r["index_s"]
        else "ingest indexed every article itself"
    )
    return "\n".join(
        [
            f"The {r['pages']} pages of the bundled demo publishers served on "
            f"127.0.0.1, ingested {r['rounds']} times on fresh SQLite databases; "
            f"{index_note}. Goal (issue #9): pipeline ≥ {GOAL_RATIO}× bare "
            f"trafilatura — {verdict}.",
            "",
            common.table(
                ["path", "articles", "seconds", "articles/s", "vs trafilatura"], rows
            ),
            "",
            f"Peak RSS of the ingesting process: {r['peak_rss_mib']:.0f} MiB.",
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
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = 3
    result = run(args.rounds, profile=args.profile)
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
