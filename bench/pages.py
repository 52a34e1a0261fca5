"""Pages benchmark (issue #9, table 2): the site under its server vs nginx, with wrk.

Serves ``cupure.wsgi`` the way ``cupure serve`` does (granian, its command line from
cupure.web.server: worker processes and threads, production settings, a throwaway
CUPURE_SECRET_KEY) over the generated database of N articles
(``bench/generate.py``, 100k by default), and loads the home, an article, a story and
a search page with wrk from a second process: once with the page cache on (anonymous
readers, ``CUPURE_PAGE_CACHE_SECONDS=30``) and once off (``=0``). In the same run,
nginx serves the very same HTML bytes as static files: the anchor. Everything runs on
127.0.0.1 ports picked here and is stopped at the end. The peak RSS of the server's
worker processes while wrk runs is recorded too (read by bench/growth.py).

    .venv/bin/python bench/pages.py [--articles 100000] [--seconds 10] [--write]
    .venv/bin/python bench/pages.py --quick        # 10k articles, 3 s per URL
    .venv/bin/python bench/pages.py --profile      # pyinstrument, one page at a time

``--write`` replaces the "## Pages" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import generate
from cupure.web import server
from cupure.web.server import SERVER

SECTION = "Pages"
# Issue #9's goals.
GOAL_CACHED_SHARE = 0.25
GOAL_UNCACHED_P99_MS = 50.0
# wrk keeps this many connections open: enough to keep every worker busy.
CONNECTIONS = 8
PAGE_CACHE_SECONDS = 30
# nginx's processes: two per core, as in the runs before the site's server changed
# (then gunicorn's worker count, which nginx was given too): the anchor stays put.
NGINX_WORKERS = 2 * (os.cpu_count() or 1)


def pick_pages(database_url: str) -> dict[str, str]:
    """The paths to load, chosen from the database: the home page, the lead article
    of the biggest story of the last two days, that story, and a search for the
    first topic that article names. Runs in a child process (Django, one DB)."""
    import json
    import subprocess

    out = subprocess.run(
        [common.PYTHON, __file__, "--pick", database_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _pick(database_url: str) -> dict[str, str]:
    common.django_setup(database_url)
    from datetime import timedelta

    from cupure.stories.models import Story
    from cupure.trends.models import ArticleTopic

    newest = Story.objects.order_by("-last_published").first()
    if newest is None:
        raise SystemExit("the database holds no stories")
    story = (
        Story.objects.filter(
            last_published__gte=newest.last_published - timedelta(days=2),
            lead_article__isnull=False,
        )
        .order_by("-article_count", "-id")
        .first()
    )
    topic = (
        ArticleTopic.objects.filter(article_id=story.lead_article_id)
        .order_by("id")
        .first()
    )
    query = topic.name if topic else story.title.split()[0]
    return {
        "home": "/",
        "article": story.lead_article.get_absolute_url(),
        "story": story.get_absolute_url(),
        "search": "/search/?" + urllib.parse.urlencode({"q": query}),
    }


def fetch(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
        if r.status != 200:
            raise RuntimeError(f"{path} answered {r.status}")
        return r.read()


def measure(
    *,
    database_url: str,
    pages: dict[str, str],
    seconds: int,
    workers: int,
    threads: int,
    connections: int,
    work: Path,
) -> dict:
    """wrk on every page: the site cached, the site uncached, nginx; and RSS."""
    results: dict = {
        "cached": {},
        "uncached": {},
        "uncached_alone": {},
        "nginx": {},
        "rss": {},
    }
    html = work / "nginx" / "html"
    html.mkdir(parents=True)
    for mode, cache_seconds in (("uncached", 0), ("cached", PAGE_CACHE_SECONDS)):
        with common.web_server(
            database_url=database_url,
            workers=workers,
            threads=threads,
            page_cache_seconds=cache_seconds,
            home=work,
            log=work / "server.log",
        ) as (port, process):
            print(
                f"{SERVER} ({mode}) on 127.0.0.1:{port}, {workers} workers × "
                f"{threads} threads"
            )
            with common.RssSampler(process.pid) as sampler:
                for name, path in pages.items():
                    # Warm every worker (connections, templates, its cache).
                    for _ in range(workers * 2):
                        body = fetch(port, path)
                    if mode == "uncached":
                        (html / f"{name}.html").write_bytes(body)
                    result = common.wrk(
                        f"http://127.0.0.1:{port}{path}",
                        seconds=seconds,
                        connections=connections,
                    )
                    results[mode][name] = asdict(result)
                    print(
                        f"  {name:8} {result.requests_per_s:9.1f} req/s "
                        f"p50 {result.p50_ms:7.2f} ms p99 {result.p99_ms:7.2f} ms "
                        f"errors {result.errors}"
                    )
                    if mode == "uncached":
                        # With more connections than cores, a request waits for
                        # the ones ahead of it (latency = connections ÷ throughput);
                        # one reader at a time shows what a page itself takes.
                        alone = common.wrk(
                            f"http://127.0.0.1:{port}{path}",
                            seconds=seconds,
                            connections=1,
                        )
                        results["uncached_alone"][name] = asdict(alone)
                        print(
                            f"  {name:8} {alone.requests_per_s:9.1f} req/s "
                            f"p50 {alone.p50_ms:7.2f} ms p99 {alone.p99_ms:7.2f} ms "
                            f"errors {alone.errors} (1 connection)"
                        )
            results["rss"][mode] = {
                "peak_worker_mib": round(sampler.peak_worker, 1),
                "peak_total_mib": round(sampler.peak_total, 1),
            }
    with common.nginx(work / "nginx", workers=NGINX_WORKERS) as port:
        print(f"nginx on 127.0.0.1:{port}")
        for name in pages:
            if fetch(port, f"/{name}.html") != (html / f"{name}.html").read_bytes():
                raise RuntimeError(f"nginx does not serve the bytes of {name}")
            result = common.wrk(
                f"http://127.0.0.1:{port}/{name}.html",
                seconds=seconds,
                connections=connections,
            )
            results["nginx"][name] = asdict(result)
            print(
                f"  {name:8} {result.requests_per_s:9.1f} req/s "
                f"p50 {result.p50_ms:7.2f} ms p99 {result.p99_ms:7.2f} ms"
            )
    results["bytes"] = {name: (html / f"{name}.html").stat().st_size for name in pages}
    return results


def report(results: dict, *, args: argparse.Namespace, argv: list[str]) -> str:
    pages = results["pages"]
    rows = []
    for name, path in pages.items():
        n = results["nginx"][name]
        c = results["cached"][name]
        u = results["uncached"][name]
        a = results["uncached_alone"][name]
        share = c["requests_per_s"] / n["requests_per_s"] if n["requests_per_s"] else 0
        rows.append(
            [
                f"{name} (`{path}`, {results['bytes'][name] // 1024} KB)",
                f"{n['requests_per_s']:,.0f}",
                f"{c['requests_per_s']:,.0f} ({share:.0%})",
                f"{c['p50_ms']:.1f} / {c['p99_ms']:.1f}",
                f"{u['requests_per_s']:,.0f}",
                f"{u['p50_ms']:.1f} / {u['p99_ms']:.1f}",
                f"{a['requests_per_s']:,.0f}",
                f"{a['p50_ms']:.1f} / {a['p99_ms']:.1f}",
                "yes" if share >= GOAL_CACHED_SHARE else "**no**",
                " / ".join(
                    "yes" if p99 < GOAL_UNCACHED_P99_MS else "**no**"
                    for p99 in (u["p99_ms"], a["p99_ms"])
                ),
            ]
        )
    errors = sum(
        r["errors"]
        for mode in ("cached", "uncached", "uncached_alone", "nginx")
        for r in results[mode].values()
    )
    rss = results["rss"]
    lines = [
        f"{results['articles']:,} generated articles ({results['vendor']}), "
        f"{results['server']} ({results['workers']} workers × {results['threads']} "
        "threads, as `cupure serve` runs it; `cupure.settings.prod`), wrk "
        f"{results['connections']} connections × {results['seconds']} s per URL from "
        "a second process; nginx serves the same HTML bytes as static files in the "
        "same run. Uncached pages are measured twice: with the "
        f"{results['connections']} connections, where a request queues behind "
        "the others on the machine's cores (its latency is about connections ÷ "
        "throughput), and with one (one reader at a time: what a page itself "
        "takes, server and network included). Latencies in ms (p50 / p99). Goals "
        f"(issue #9): cached ≥ {GOAL_CACHED_SHARE:.0%} of nginx, uncached p99 < "
        f"{GOAL_UNCACHED_P99_MS:.0f} ms.",
        "",
        common.table(
            [
                "page",
                "nginx req/s",
                "cached req/s (of nginx)",
                "cached ms",
                f"uncached req/s ({results['connections']} conn.)",
                "uncached ms",
                "uncached req/s (1 conn.)",
                "uncached ms",
                "cached goal",
                f"uncached goal ({results['connections']} / 1 conn.)",
            ],
            rows,
        ),
        "",
        f"Peak RSS while wrk ran: one worker {rss['uncached']['peak_worker_mib']:.0f} "
        f"MiB uncached, {rss['cached']['peak_worker_mib']:.0f} MiB cached (page cache "
        f"in local memory); all of {results['server']} "
        f"{rss['cached']['peak_total_mib']:.0f} MiB. "
        f"Non-2xx or socket errors: {errors}.",
        "",
        f"Command: `{common.command_line('pages.py', argv)}`  ",
        f"Machine: {results['machine']}; measured {results['when']}.",
    ]
    return "\n".join(lines)


def profile(database_url: str, pages: dict[str, str], repeat: int) -> None:
    """pyinstrument over ``repeat`` uncached renders of each page, in this process."""
    os.environ["CUPURE_PAGE_CACHE_SECONDS"] = "0"
    common.django_setup(database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)

    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in pages.items():
        client.get(path)
        started = time.perf_counter()
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(repeat):
                response = client.get(path)
        elapsed = (time.perf_counter() - started) / repeat * 1000
        out = common.BENCH_HOME / f"profile-{name}.txt"
        out.write_text(profiler.output_text(unicode=True, show_all=False))
        print(f"{name}: {response.status_code}, {elapsed:.1f} ms a render -> {out}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--vendor", choices=common.VENDORS, default="sqlite")
    parser.add_argument("--seconds", type=int, default=10, help="wrk time per URL")
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument(
        "--workers",
        type=int,
        default=server.default_workers(),
        help="server worker processes (default: as `cupure serve`)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=server.default_threads(),
        help="threads per worker process (default: as `cupure serve`)",
    )
    parser.add_argument("--quick", action="store_true", help="10k articles, 3 s/URL")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=20, help="renders to profile")
    parser.add_argument("--pick", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pick:
        import json

        print(json.dumps(_pick(args.pick)))
        return 0
    if args.quick:
        args.articles, args.seconds = 10_000, 3
    missing = common.tool_missing("wrk", "nginx")
    if missing and not args.profile:
        print(
            f"Not measured: {', '.join(missing)} not installed "
            "(`apt-get install wrk nginx`, or `make bench`).",
            file=sys.stderr,
        )
        return 2
    if args.vendor == "postgres" and common.postgres_version() is None:
        print("Not measured: PostgreSQL is not reachable at 127.0.0.1:5432.")
        return 2
    database_url = generate.ensure_database(
        args.articles, args.seed, vendor=args.vendor
    )
    pages = pick_pages(database_url)
    if args.profile:
        profile(database_url, pages, repeat=args.repeat)
        return 0
    work = Path(tempfile.mkdtemp(prefix="cupure-pages-"))
    # nginx's workers (an unprivileged user) must reach the files below it.
    work.chmod(0o755)
    try:
        results = measure(
            database_url=database_url,
            pages=pages,
            seconds=args.seconds,
            workers=args.workers,
            threads=args.threads,
            connections=args.connections,
            work=work,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results.update(
        pages=pages,
        articles=args.articles,
        vendor=args.vendor,
        server=SERVER,
        workers=args.workers,
        threads=args.threads,
        connections=args.connections,
        seconds=args.seconds,
        machine=common.machine_line(),
        when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    )
    common.save_result(f"pages-{args.vendor}-{args.articles}", results)
    text = report(results, args=args, argv=argv)
    print(text)
    if args.write:
        title = SECTION if args.vendor == "sqlite" else f"{SECTION} (PostgreSQL)"
        common.write_section(title, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
