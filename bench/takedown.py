"""Time from a takedown to the article gone everywhere, page cache on (issue #18).

A fresh database of generated articles (imported through the real pipeline: copies,
stories, topics, search) is served the way ``cupure serve`` does (granian, 2 worker
processes, production settings, ``CUPURE_PAGE_CACHE_SECONDS=30``). Every surface that
shows the chosen article (its page, the home page, its story, its publisher's page,
the latest feeds in RSS/Atom/JSON, its publisher's and story's JSON feeds, the
sitemap, a search for its headline) is fetched until each worker process holds it in
its page cache. Then ``cupure takedown URL --reason ...`` runs as its own process,
and every surface is fetched every 50 ms: a surface is *gone* from the moment after
which no answer showed the article again (the article page: 410), watched until all
have been gone for 5 s. Times count from the command's start (Django's start-up
included) and from its exit (the transaction committed, caches told).

Run with each cache: the shared Redis cache (``CUPURE_CACHE_URL``, DB 5 of the local
Redis: what several processes are told to use) and the default local memory (each
worker process keeps its own pages; the takedown process cannot reach them).

    .venv/bin/python bench/takedown.py [--articles 300] [--database sqlite|postgres]
        [--cache redis|locmem] [--write]

``--write`` replaces the "## Takedown" section of bench/README.md (with every
database × cache combination measured in this run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common

REDIS_URL = "redis://127.0.0.1:6379/5"
PG_NAME = "cupure_bench_takedown"
PUBLISHERS = ["Harbour Herald", "Evening Post", "Northshore Daily", "Valley Times"]
PLACES = ["Brannock", "Kessel", "Lowbridge", "Sund", "Ardel", "Morrow", "Tarn", "Eske"]
THINGS = ["bridge", "ferry", "library", "station", "school", "market", "harbour"]
TARGET_WORD = "Zephyrine"
POLL_SECONDS = 0.05
SETTLE_SECONDS = 5.0
GIVE_UP_SECONDS = 180.0
# Run in a child with the bench's environment: where the target article shows.
INFO_SCRIPT = """
import json
import django

django.setup()
from cupure.articles.models import Article

a = Article.objects.select_related("publisher", "story").get(title__contains="TARGET")
print(json.dumps({
    "url": a.url,
    "page": a.get_absolute_url(),
    "story": a.story.get_absolute_url(),
    "story_id": a.story_id,
    "story_size": a.story.article_count,
    "publisher": a.publisher.get_absolute_url(),
    "publisher_slug": a.publisher.slug,
}))
"""


def _records(count: int) -> list[dict]:
    """``count`` articles: events covered by several publishers (stories), the
    newest naming TARGET_WORD (the one taken down)."""
    now = datetime.now(UTC)
    records = []
    for n in range(count):
        event = n // len(PUBLISHERS)
        place = PLACES[event % len(PLACES)]
        thing = THINGS[(event // len(PLACES)) % len(THINGS)]
        publisher = PUBLISHERS[n % len(PUBLISHERS)]
        word = TARGET_WORD if n == count - 1 else f"{place}{event}"
        records.append(
            {
                "url": f"https://{publisher.split()[0].lower()}.example/{n}",
                "title": f"{place} {thing} reopens, says {word} council ({n})",
                "published": (now - timedelta(minutes=(count - n) * 7)).isoformat(),
                "source": publisher,
                "text": f"The {place} {thing} reopened on Monday, {word} said. "
                f"Report number {n} from {publisher} on event {event}.\n\n"
                f"Engineers finished the work on the {thing} early; traffic in "
                f"{place} is back to normal, officials said in a statement.",
            }
        )
    return records


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _surfaces(info: dict) -> dict[str, str]:
    return {
        "article page": info["page"],
        "home": "/",
        "story page": info["story"],
        "publisher page": info["publisher"],
        "latest.rss": "/feeds/latest.rss",
        "latest.atom": "/feeds/latest.atom",
        "latest.json": "/feeds/latest.json",
        "publisher feed": f"/feeds/publishers/{info['publisher_slug']}.json",
        "story feed": f"/feeds/stories/{info['story_id']}.json",
        "sitemap": "/sitemap-articles.xml",
        "search": f"/search/?q={TARGET_WORD}",
    }


def _shows(name: str, status: int, body: str, info: dict) -> bool:
    if name == "article page":
        return status != 410
    if name == "search":  # the page repeats the query: look for the article's link
        return info["page"] in body
    return info["page"] in body or TARGET_WORD in body


def _prepare(database: str, count: int, home: Path, env: dict) -> dict:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    lines = home / "articles.jsonl"
    lines.write_text("".join(json.dumps(r) + "\n" for r in _records(count)))
    started = time.monotonic()
    subprocess.run(
        [common.PYTHON, "-m", "cupure", "import-jsonl", str(lines)],
        env=env,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    imported = time.monotonic() - started
    script = INFO_SCRIPT.replace("TARGET", TARGET_WORD)
    found = subprocess.run(
        [common.PYTHON, "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(found.stdout)
    info["import_seconds"] = imported
    return info


def _measure(database: str, cache: str, count: int) -> dict:
    home = common.BENCH_HOME / f"takedown-{database}-{cache}"
    if database == "postgres":
        common.postgres_drop(PG_NAME)
        common.postgres_admin(f"CREATE DATABASE {PG_NAME}")
        url = common.postgres_url(PG_NAME)
    else:
        url = common.sqlite_url(home / common.SQLITE_NAME)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": common.BENCH_SETTINGS,
        "CUPURE_SECRET_KEY": common.BENCH_SECRET_KEY,
        **common.database_env(url, home),
        "CUPURE_CACHE_URL": REDIS_URL if cache == "redis" else "",
        "CUPURE_PAGE_CACHE_SECONDS": "30",
    }
    if cache == "redis":
        subprocess.run(
            ["redis-cli", "-n", "5", "FLUSHDB"], check=True, capture_output=True
        )
    os.environ["CUPURE_CACHE_URL"] = env["CUPURE_CACHE_URL"]
    info = _prepare(database, count, home, env)
    surfaces = _surfaces(info)
    with common.web_server(
        database_url=url,
        workers=2,
        page_cache_seconds=30,
        home=home,
        log=home / "server.log",
    ) as (port, _process):
        # Warm: each surface shows the article, from both workers' caches.
        for name, path in surfaces.items():
            for _ in range(8):
                status, body = _get(port, path)
                if not _shows(name, status, body, info):
                    raise RuntimeError(f"{name} ({path}) does not show the article")
        started = time.monotonic()
        command = subprocess.Popen(
            [
                common.PYTHON,
                "-m",
                "cupure",
                "takedown",
                info["url"],
                "--reason",
                "bench: publisher's request",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        last_seen = dict.fromkeys(surfaces, 0.0)
        exited = None
        while True:
            now = time.monotonic() - started
            if exited is None and command.poll() is not None:
                exited = now
                if command.returncode != 0:
                    raise RuntimeError(f"takedown failed: {command.stderr.read()}")
            for name, path in surfaces.items():
                status, body = _get(port, path)
                if _shows(name, status, body, info):
                    last_seen[name] = time.monotonic() - started
            now = time.monotonic() - started
            if exited is not None and now - max(last_seen.values()) > SETTLE_SECONDS:
                break
            if now > GIVE_UP_SECONDS:
                raise RuntimeError(
                    f"still shown after {GIVE_UP_SECONDS} s: {last_seen}"
                )
            time.sleep(POLL_SECONDS)
    if database == "postgres":
        common.postgres_drop(PG_NAME)
    gone = {name: seen + POLL_SECONDS for name, seen in last_seen.items()}
    return {
        "database": database,
        "cache": cache,
        "articles": count,
        "story_size": info["story_size"],
        "command_seconds": exited,
        "gone": gone,
        "everywhere": max(gone.values()),
        "after_exit": max(0.0, max(gone.values()) - exited),
        "slowest": max(gone, key=gone.get),
    }


def _report(results: list[dict], argv: list[str]) -> str:
    rows = [
        [
            r["database"],
            "Redis (shared)" if r["cache"] == "redis" else "local memory",
            f"{r['command_seconds']:.2f}",
            f"{r['everywhere']:.2f}",
            f"{r['after_exit']:.2f}",
            r["slowest"],
        ]
        for r in results
    ]
    per_surface = [
        [name, *(f"{r['gone'][name]:.2f}" for r in results)]
        for name in results[0]["gone"]
    ]
    heads = [f"{r['database']}, {r['cache']}" for r in results]
    return (
        f"{results[0]['articles']} generated articles imported through the pipeline "
        f"(the one taken down in a story of {results[0]['story_size']}), served by "
        "granian as `cupure serve` runs it (2 worker processes, production settings, "
        "page cache on: `CUPURE_PAGE_CACHE_SECONDS=30`); every surface warmed into "
        "both workers' page caches, then `cupure takedown URL --reason ...` run as its "
        "own process while each surface is fetched every 50 ms. Seconds from the "
        "command's start (its Django start-up included) until no answer shows the "
        "article again (its page: 410 Gone). Goal (issue #18): within a minute.\n\n"
        + common.table(
            [
                "database",
                "page cache",
                "command (s)",
                "gone everywhere (s)",
                "after the command exits (s)",
                "last surface",
            ],
            rows,
        )
        + "\n\nPer surface (seconds from the command's start):\n\n"
        + common.table(["surface", *heads], per_surface)
        + "\n\nWith the shared Redis cache the takedown process forgets every cached "
        "page and the site chrome, so the pages are gone as soon as the transaction "
        "commits (plus the fast path's 2 s per process at most). With the default "
        "local-memory cache each worker keeps its own copies, which the takedown "
        "process cannot reach: they expire within `CUPURE_PAGE_CACHE_SECONDS` (30 s), "
        "so a site run by several processes should share Redis as README says.\n\n"
        f"Command: `{common.command_line('takedown.py', argv)}`  \n"
        f"Machine: {common.machine_line()}; measured "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument(
        "--database", choices=common.VENDORS, action="append", default=None
    )
    parser.add_argument(
        "--cache", choices=["redis", "locmem"], action="append", default=None
    )
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    results = []
    for database in args.database or ["sqlite", "postgres"]:
        for cache in args.cache or ["redis", "locmem"]:
            result = _measure(database, cache, args.articles)
            print(json.dumps(result, indent=2))
            results.append(result)
    text = _report(results, argv)
    print(text)
    if args.write:
        common.write_section("Takedown", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
