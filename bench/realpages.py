"""Real publishers' pages through the whole pipeline, as `cupure poll` meets them.

The extraction benchmark scores the extractor on WCXB's pages one call at a time; this
one serves the same pages over loopback as a publisher would and lets cupure ingest
them the way it ingests everything: feeds subscribed with ``cupure import-opml``, then
``cupure poll --all`` run as a command (fetch with its guards → feed parse → page fetch
→ extract → date choice → store → copies → story → topics → search index) until no
entry is left pending. Real pages bring what our own fixtures do not: odd and
placeholder dates, megabyte pages, documentation and product pages in an article
feed, broken markup.

* The pages: every ``html/NNNN.html.gz`` of ``../shared/data/wcxb-dev`` (all page
  types, not only articles), served as ``/pages/NNNN.html`` by a server on 127.0.0.1.
* The feeds: ``FEEDS`` RSS documents, pages dealt round-robin; each item gives the
  page's link and the gold title, and **no date** (so the date comes from the page,
  the worst case for the date choice), or, with ``--feed-dates``, the gold date as
  ``pubDate`` where the gold has one.

Figures: entries stored / ingested / failed (failures grouped by reason), duplicates
(entries per page link, articles per canonical URL), rounds and wall time, articles
per second, peak RSS of a polling process, and for the WCXB *article* pages with a gold
date: the stored date on the gold's day (or month, at the gold's precision), dates
taken from the page vs. first seen, and implausible stored dates (before 1990 or after
tomorrow; goal 0).

    .venv/bin/python bench/realpages.py [--limit N] [--feed-dates]
        [--vendor postgres] [--write]

``--write`` replaces the "## Real pages through the pipeline" section of
bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

TITLE = "Real pages through the pipeline"
DATA = common.REPO.parent / "shared" / "data" / "wcxb-dev"
FEEDS = 12
MAX_ROUNDS = 40
CUPURE = str(Path(sys.executable).with_name("cupure"))


def load_pages(corpus: Path, limit: int | None) -> list[dict]:
    pages = []
    for path in sorted((corpus / "ground-truth").glob("*.json")):
        html_path = corpus / "html" / f"{path.stem}.html.gz"
        if not html_path.exists():
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        truth = record.get("ground_truth") or {}
        page_type = record.get("_internal", {}).get("page_type", {}).get("primary")
        pages.append(
            {
                "id": path.stem,
                "type": page_type or "",
                "title": truth.get("title") or "",
                "date": truth.get("publish_date") or "",
                "body": gzip.decompress(html_path.read_bytes()),
            }
        )
        if limit and len(pages) >= limit:
            break
    return pages


def _gold_datetime(value: str) -> datetime | None:
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return datetime.strptime(value[: len(fmt) + 2], fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def feed_documents(base: str, pages: list[dict], *, dates: bool) -> dict[str, bytes]:
    feeds: dict[str, list[dict]] = {f"/feeds/{n:02d}.xml": [] for n in range(FEEDS)}
    names = list(feeds)
    for i, page in enumerate(pages):
        feeds[names[i % FEEDS]].append(page)
    docs = {}
    for path, items in feeds.items():
        parts = []
        for page in items:
            link = f"{base}/pages/{page['id']}.html"
            pub = ""
            gold = _gold_datetime(page["date"]) if dates else None
            if gold is not None:
                pub = (
                    f"<pubDate>{format_datetime(gold + timedelta(hours=12))}</pubDate>"
                )
            parts.append(
                f"<item><title>{escape(page['title'] or page['id'])}</title>"
                f"<link>{link}</link><guid>{link}</guid>{pub}</item>"
            )
        docs[path] = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>WCXB {path}</title><link>{base}/</link>"
            f"<description>real pages</description>{''.join(parts)}</channel></rss>"
        ).encode()
    return docs


class Publisher:
    """The pages and feeds on 127.0.0.1, counting requests per path."""

    def __init__(self, pages: list[dict], *, dates: bool) -> None:
        self.requests: Counter[str] = Counter()
        bodies = {f"/pages/{p['id']}.html": p["body"] for p in pages}
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                publisher.requests[self.path] += 1
                body = bodies.get(self.path) or publisher.feeds.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                kind = (
                    "application/rss+xml"
                    if self.path.startswith("/feeds/")
                    else ("text/html; charset=utf-8")
                )
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.feeds = feed_documents(self.base, pages, dates=dates)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Publisher:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def opml(base: str, feeds: list[str]) -> str:
    outlines = "".join(
        f'<outline type="rss" text="WCXB {n}" xmlUrl="{base}{path}"/>'
        for n, path in enumerate(feeds)
    )
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'


def run_cli(env: dict[str, str], *args: str, timeout: float = 900) -> tuple[int, str]:
    done = subprocess.run(
        [CUPURE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return done.returncode, (done.stdout + done.stderr)


def pending_count() -> int:
    from cupure.sources.models import Entry

    return Entry.objects.filter(status=Entry.Status.PENDING).count()


def run(args: argparse.Namespace) -> dict:
    pages = load_pages(args.data, args.limit)
    home = Path(tempfile.mkdtemp(prefix="cupure-realpages-"))
    if args.vendor == "postgres":
        database_url = f"{common.POSTGRES_SERVER}/{common.POSTGRES_PREFIX}_realpages"
        _postgres_recreate(database_url)
    else:
        database_url = common.sqlite_url(home / common.SQLITE_NAME)
    env = {
        **os.environ,
        **common.database_env(database_url, home),
        "CUPURE_SECRET_KEY": common.BENCH_SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": common.BENCH_SETTINGS,
        "CUPURE_FETCH_ALLOW_PRIVATE": "127.0.0.1/32",
        "CUPURE_ALLOWED_HOSTS": "127.0.0.1",
        # Real pages' images live on their publishers' hosts, which a benchmark
        # must never contact (only servers it starts on 127.0.0.1).
        "CUPURE_IMAGES": "0",
    }
    code, out = run_cli(env, "manage", "migrate", "--verbosity", "0")
    if code:
        raise SystemExit(f"migrate failed: {out[-2000:]}")
    common.django_setup(database_url, home=home)
    result: dict = {"pages": len(pages), "vendor": args.vendor}
    with Publisher(pages, dates=args.feed_dates) as publisher:
        opml_path = home / "feeds.opml"
        opml_path.write_text(opml(publisher.base, list(publisher.feeds)))
        code, out = run_cli(env, "import-opml", str(opml_path))
        if code:
            raise SystemExit(f"import-opml failed: {out[-2000:]}")
        started = time.monotonic()
        rounds, outputs, exit_codes = 0, [], Counter()
        previous = None
        while rounds < MAX_ROUNDS:
            rounds += 1
            code, out = run_cli(env, "poll", "--all", "--workers", str(args.workers))
            exit_codes[code] += 1
            outputs.append(out)
            left = pending_count()
            if left == 0 or left == previous:
                break
            previous = left
        result["seconds"] = time.monotonic() - started
        result["rounds"] = rounds
        result["exit_codes"] = dict(exit_codes)
        result["feed_requests"] = sum(
            n for path, n in publisher.requests.items() if path.startswith("/feeds/")
        )
        result["page_requests"] = Counter(
            n for path, n in publisher.requests.items() if path.startswith("/pages/")
        )
    result["peak_rss_mib"] = (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    result["tracebacks"] = sum(
        o.count("Traceback (most recent call last)") for o in outputs
    )
    result.update(_stored(pages))
    return result


def _postgres_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{common.POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _reason(text: str) -> str:
    """A failure's reason without the page-specific part (URLs, numbers)."""
    import re

    text = re.sub(r"https?://\S+", "URL", text or "(none)")
    text = re.sub(r"\d[\d.,]*", "N", text)
    return text[:200]


def _stored(pages: list[dict]) -> dict:
    from django.db.models import Count

    from cupure.articles.models import Article
    from cupure.sources.models import Entry

    now = datetime.now(UTC)
    by_id = {p["id"]: p for p in pages}
    entries = Entry.objects.all()
    status = Counter(entries.values_list("status", flat=True))
    failures = Counter(
        _reason(e)
        for e in entries.filter(status=Entry.Status.FAILED).values_list(
            "last_error", flat=True
        )
    )
    duplicate_links = (
        entries.values("link").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    duplicate_urls = (
        Article.objects.values("canonical_url")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    implausible = Article.objects.filter(published__lt=datetime(1990, 1, 1, tzinfo=UTC))
    implausible_count = (
        implausible.count()
        + Article.objects.filter(published__gt=now + timedelta(days=1)).count()
    )
    dated = right = from_page = 0
    sources: Counter[str] = Counter()
    source_field = "published_source" if hasattr(Article, "published_source") else None
    rows = Entry.objects.filter(article__isnull=False).values_list(
        "link",
        "article__published",
        *([f"article__{source_field}"] if source_field else []),
    )
    for row in rows:
        link, published = row[0], row[1]
        source = row[2] if source_field else ""
        page = by_id.get(link.rsplit("/", 1)[-1].removesuffix(".html"))
        if page is None or page["type"] != "article":
            continue
        sources[(source or "?").split(":")[0]] += 1
        gold = page["date"]
        if not gold:
            continue
        dated += 1
        precision = 10 if len(gold) >= 10 else 7
        if published.astimezone(UTC).isoformat()[:precision] == gold[:precision]:
            right += 1
        if source and not source.startswith(("first", "seen")):
            from_page += 1
    return {
        "entries": dict(status),
        "articles": Article.objects.count(),
        "failures": failures.most_common(8),
        "duplicate_links": duplicate_links,
        "duplicate_urls": duplicate_urls,
        "implausible": implausible_count,
        "dated_articles": dated,
        "dated_right": right,
        "date_sources": sources.most_common(8),
        "articles_by_type": Counter(
            by_id[link.rsplit("/", 1)[-1].removesuffix(".html")]["type"]
            for link in Entry.objects.filter(article__isnull=False).values_list(
                "link", flat=True
            )
            if link.rsplit("/", 1)[-1].removesuffix(".html") in by_id
        ).most_common(6),
    }


def report(r: dict, argv: list[str]) -> str:
    e = r["entries"]
    fetched = Counter(r["page_requests"])
    lines = [
        f"All {r['pages']:,} WCXB dev pages (articles and every other page type) "
        f"served on 127.0.0.1 as {FEEDS} RSS feeds without dates"
        + (
            " (with `--feed-dates`: the gold date as pubDate)"
            if "--feed-dates" in argv
            else ""
        )
        + f", subscribed with `cupure import-opml` and ingested by `cupure poll --all "
        f"--workers N` rounds until no entry was pending ({r['vendor']}).",
        "",
        "| what | value |",
        "|---|---|",
        f"| rounds of `cupure poll --all`, exit codes | {r['rounds']}, "
        f"{r['exit_codes']} |",
        f"| wall time | {r['seconds']:.1f} s "
        f"({r['articles'] / r['seconds']:.1f} articles/s) |",
        f"| entries: ingested / failed / pending | {e.get('ingested', 0):,} / "
        f"{e.get('failed', 0):,} / {e.get('pending', 0):,} |",
        f"| articles stored | {r['articles']:,} |",
        f"| duplicates: entries per link, articles per canonical URL | "
        f"{r['duplicate_links']}, {r['duplicate_urls']} |",
        f"| page fetches per page | {dict(sorted(fetched.items()))} |",
        f"| feed fetches | {r['feed_requests']} |",
        f"| tracebacks printed | {r['tracebacks']} |",
        "| implausible stored dates (before 1990, after tomorrow; goal 0) | "
        f"{r['implausible']} |",
        f"| article pages with a gold date: stored date right (gold precision) | "
        f"{r['dated_right']} of {r['dated_articles']} "
        f"({r['dated_right'] / max(r['dated_articles'], 1):.3f}) |",
        "| where article dates came from | "
        + ", ".join(f"{k} {v}" for k, v in r["date_sources"])
        + " |",
        "| articles stored, by WCXB page type | "
        + ", ".join(f"{k} {v}" for k, v in r["articles_by_type"])
        + " |",
        f"| peak RSS of a poll process | {r['peak_rss_mib']:.0f} MiB |",
        "",
        "Failures, by reason (numbers and URLs folded):",
        "",
    ]
    lines += [f"- {n} × {reason}" for reason, n in r["failures"]] or ["- none"]
    lines += [
        "",
        f"Command: `{common.command_line('realpages.py', argv)}`  ",
        f"Machine: {common.machine_line()}; measured "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--feed-dates", action="store_true")
    parser.add_argument("--vendor", choices=common.VENDORS, default="sqlite")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth").is_dir():
        print(f"WCXB dev not found at {args.data}: nothing measured", file=sys.stderr)
        return 1
    text = report(run(args), argv)
    print(text)
    if args.write:
        title = TITLE + (" (PostgreSQL)" if args.vendor == "postgres" else "")
        common.write_section(title, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
