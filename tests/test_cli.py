"""The `cupure` command: help, clear one-line errors, extract."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from cupure.feeds import parse_opml
from tests.ci import machine_redis, redis_client
from tests.loopback import LoopbackSite, Page
from tests.signals import ctrl_c_restored

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCES_FIXTURES = Path(__file__).resolve().parent / "sources" / "fixtures"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment without our CUPURE_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["CUPURE_HOME"] = str(home)
    env.update(extra)
    return env


def cupure(*args: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(home, **extra)
    return subprocess.run(
        [sys.executable, "-m", "cupure", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = cupure("--help", home=tmp_path)
    assert result.returncode == 0
    for command in (
        "demo",
        "serve",
        "add-feed",
        "poll",
        "extract",
        "feeds",
        "import-opml",
        "export-opml",
        "worker",
    ):
        assert command in result.stdout


def test_bad_port_is_refused_with_a_reason(tmp_path: Path) -> None:
    result = cupure("demo", "--port", "eighty", home=tmp_path)
    assert result.returncode == 2
    assert "not a port number: 'eighty'" in result.stderr


def test_add_feed_refuses_a_non_http_url(tmp_path: Path) -> None:
    result = cupure("add-feed", "ftp://files.example/feed.xml", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, "one line, no traceback"
    assert "http:// or https://" in result.stderr


def test_extract_prints_the_design_json(tmp_path: Path) -> None:
    page = tmp_path / "bridge.html"
    page.write_text(
        (FIXTURES / "article_bridge.html")
        .read_text()
        .replace("{base}", "https://gazette.example")
    )
    result = cupure(
        "extract", str(page), "--url", "https://gazette.example/news/x", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # The design's keys, then the credit, the standfirst, what each paragraph is,
    # the update, where each field was read and the date's witnesses.
    extras = {
        "credit",
        "standfirst",
        "block_kinds",
        "updated",
        "sources",
        "date_candidates",
    }
    assert set(data) - extras == {
        "title",
        "byline",
        "published",
        "site_name",
        "canonical_url",
        "language",
        "lead_image",
        "paragraphs",
        "figures",
        "text",
    }
    assert data["title"] == "Harbour bridge reopens after repairs"
    assert data["sources"]["published"]
    assert data["lead_image"]["src"] == "https://gazette.example/img/bridge.jpg"
    assert data["text"] == "\n\n".join(data["paragraphs"])


def test_extract_reports_a_bad_file_and_carries_on(tmp_path: Path) -> None:
    """A missing file gets a one-line error; the good file is still extracted."""
    good = tmp_path / "library.html"
    good.write_text((FIXTURES / "article_library.html").read_text())
    result = cupure("extract", str(tmp_path / "missing.html"), str(good), home=tmp_path)
    assert result.returncode == 1
    assert "missing.html" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["title"] for item in lines] == ["Library extends its opening hours"]


def test_extract_reads_a_gzip_saved_page(tmp_path: Path) -> None:
    page = tmp_path / "library.html.gz"
    page.write_bytes(gzip.compress((FIXTURES / "article_library.html").read_bytes()))
    result = cupure("extract", "--json", str(page), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Library extends its opening hours"


# --- feeds: add-feed, poll, feeds, import-opml, export-opml, worker -------------------

LOOPBACK_ONLY = {"CUPURE_FETCH_ALLOW_PRIVATE": "127.0.0.1/32"}


# Spellings of internal addresses, and what the refusal must name.
DISALLOWED = {
    "http://0x7f000001/feed.xml": "127.0.0.1 (loopback)",
    "http://10.1.2.3/feed.xml": "10.1.2.3",
    "http://[::ffff:169.254.169.254]/latest": "169.254.169.254",
}


def test_add_feed_refuses_disallowed_urls(tmp_path: Path) -> None:
    """Internal addresses in any spelling are refused with the reason in one line,
    exit 2, and nothing is stored."""
    for url, reason in DISALLOWED.items():
        result = cupure("add-feed", url, home=tmp_path)

        assert result.returncode == 2, url
        assert result.stderr.strip().count("\n") == 0, result.stderr
        assert reason in result.stderr, result.stderr
    listed = cupure("feeds", "--json", home=tmp_path)
    assert json.loads(listed.stdout) == []


def count(home: Path, table: str, where: str = "1") -> int:
    """Rows of ``table`` in the command's SQLite database (opened read-only)."""
    import sqlite3

    uri = f"file:{home / 'cupure.sqlite3'}?mode=ro"
    with sqlite3.connect(uri, uri=True, timeout=5) as db:
        query = f"SELECT COUNT(*) FROM {table} WHERE {where}"  # noqa: S608 - ours
        return int(db.execute(query).fetchone()[0])


def ingested(home: Path) -> int:
    """Entries that became articles."""
    return count(home, "sources_entry", "article_id IS NOT NULL")


@pytest.fixture
def gazette_site() -> Iterator[LoopbackSite]:
    """The Test Gazette: a homepage advertising its RSS feed, RSS and Atom feeds,
    two article pages."""
    with LoopbackSite() as site:

        def text(name: str, directory: Path = FIXTURES) -> bytes:
            return (directory / name).read_text().replace("{base}", site.base_url)

        site.pages["/"] = Page(text("page_one_feed.html", SOURCES_FIXTURES).encode())
        site.pages["/rss.xml"] = Page(
            text("feed_rss2.xml").encode(), "application/rss+xml"
        )
        site.pages["/atom.xml"] = Page(
            text("feed_atom.xml").encode(), "application/atom+xml"
        )
        site.pages["/news/bridge-reopens"] = Page(text("article_bridge.html").encode())
        site.pages["/news/library-hours"] = Page(text("article_library.html").encode())
        yield site


def test_add_feed_discovers_poll_and_feeds_json(
    tmp_path: Path, gazette_site: LoopbackSite
) -> None:
    """add-feed --discover subscribes to the feed a homepage advertises; poll --once
    ingests it; feeds --json lists it with the documented keys."""
    added = cupure(
        "add-feed", gazette_site.url("/"), "--discover", home=tmp_path, **LOOPBACK_ONLY
    )
    assert added.returncode == 0, added.stderr
    assert f"Discovered the feed {gazette_site.url('/rss.xml')}" in added.stderr

    polled = cupure("poll", "--once", home=tmp_path, **LOOPBACK_ONLY)
    assert polled.returncode == 0, polled.stderr
    assert "2 new, 2 ingested" in polled.stderr

    listed = cupure("feeds", "--json", home=tmp_path)
    rows = json.loads(listed.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert {"url", "title", "status", "last_error", "last_polled", "next_poll"} <= set(
        row
    )
    assert row["url"] == gazette_site.url("/rss.xml")
    assert row["title"] == "The Test Gazette"
    assert (row["status"], row["last_error"], row["articles"]) == ("ok", "", 2)
    last_polled = datetime.fromisoformat(row["last_polled"])
    assert datetime.fromisoformat(row["next_poll"]) > last_polled
    # When and why, from the entries' dates (the Gazette's are days old).
    assert row["poll_reason"].startswith("every ")
    assert "publishes every" in row["poll_reason"] or "article" in row["poll_reason"]
    assert row["poll_interval"] > 0
    plain = cupure("feeds", home=tmp_path)
    assert f"next poll {row['poll_reason']}" in plain.stdout


def test_import_opml_reports_each_line_and_export_round_trips(
    tmp_path: Path, gazette_site: LoopbackSite
) -> None:
    """Every OPML URL goes through the add-feed checks: one report line each; exit 1
    because some were refused. export-opml lists exactly the feeds added."""
    opml = tmp_path / "subs.opml"
    opml.write_text(
        (SOURCES_FIXTURES / "subscriptions.opml")
        .read_text()
        .replace("{base}", gazette_site.base_url)
    )

    result = cupure("import-opml", str(opml), home=tmp_path, **LOOPBACK_ONLY)

    assert result.returncode == 1
    report = result.stdout.splitlines()
    assert report[0] == f"added: {gazette_site.url('/rss.xml')}"
    assert report[1] == f"exists: {gazette_site.url('/rss.xml')}"
    assert report[2].startswith("refused: http://10.0.0.5/feed.xml (")
    assert "10.0.0.5" in report[2].split("(", 1)[1]
    assert report[3].startswith("refused: file:///etc/passwd (")
    assert report[4] == f"added: {gazette_site.url('/atom.xml')}"
    assert len(report) == 5
    assert "2 added, 1 already there, 2 refused" in result.stderr

    exported = cupure("export-opml", home=tmp_path)
    assert exported.returncode == 0
    urls = sorted(feed.xml_url for feed in parse_opml(exported.stdout.encode()))
    assert urls == [gazette_site.url("/atom.xml"), gazette_site.url("/rss.xml")]

    # Both feeds polled at once on two threads; both list the bridge page, which is
    # stored as one article (the RSS feed's second entry is the library page).
    polled = cupure("poll", "--once", "--workers", "2", home=tmp_path, **LOOPBACK_ONLY)
    assert polled.returncode == 0, polled.stderr
    assert ingested(tmp_path) == 3
    assert count(tmp_path, "articles_article") == 2


def test_import_opml_refuses_an_unreadable_file(tmp_path: Path) -> None:
    """A file that is not OPML stops the import with a one-line reason."""
    bad = tmp_path / "bad.opml"
    bad.write_text("<html><body>not opml</body></html>")

    result = cupure("import-opml", str(bad), home=tmp_path)

    assert result.returncode == 2
    assert "not OPML" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_poll_loop_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    """`cupure poll` keeps running until SIGINT, then says so and exits 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cupure", "poll"],
        env=clean_env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_restored,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert "Polling due feeds until Ctrl-C" in first
        time.sleep(0.5)
        assert process.poll() is None, "the loop must keep running"
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Stopped." in rest
    assert "Traceback" not in rest


def test_worker_without_a_broker_says_what_to_set(tmp_path: Path) -> None:
    result = cupure("worker", home=tmp_path)

    assert result.returncode == 2
    assert "CUPURE_BROKER_URL is not set" in result.stderr


# Its own Redis database (the Celery task test uses 15), flushed before and after.
WORKER_REDIS_URL = machine_redis(14)


def test_worker_polls_what_poll_queues(
    tmp_path: Path, gazette_site: LoopbackSite
) -> None:
    """With CUPURE_BROKER_URL, `cupure poll --once` only queues; a `cupure worker`
    process polls the feed and stores its articles. With CI=true a missing Redis
    fails this test."""
    client = redis_client(WORKER_REDIS_URL, "WORKER TEST")
    client.flushdb()
    broker = {"CUPURE_BROKER_URL": WORKER_REDIS_URL, **LOOPBACK_ONLY}
    added = cupure("add-feed", gazette_site.url("/rss.xml"), home=tmp_path, **broker)
    assert added.returncode == 0, added.stderr
    queued = cupure("poll", "--once", home=tmp_path, **broker)
    assert "queued for a worker" in queued.stderr, queued.stderr
    assert "/news/" not in "".join(gazette_site.requests), "poll must not fetch pages"

    worker = subprocess.Popen(
        [sys.executable, "-m", "cupure", "worker", "--pool", "solo"],
        env=clean_env(tmp_path, **broker),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and ingested(tmp_path) < 2:
            time.sleep(0.1)
    finally:
        # Its task was acknowledged after it ran; a warm shutdown would only cost time.
        worker.kill()
        worker.wait(timeout=20)
        client.flushdb()
        client.close()
    rows = json.loads(cupure("feeds", "--json", home=tmp_path).stdout)
    assert rows[0]["articles"] == 2
    assert rows[0]["status"] == "ok"


def test_extract_of_a_refused_url_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """A URL the fetcher may not reach gets the fetcher's reason, on one line."""
    result = cupure("extract", "http://127.0.0.1:9/page", home=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("http://127.0.0.1:9/page: Refused to")
    assert result.stdout == ""


def test_import_jsonl_reports_bad_lines_and_keeps_the_good(tmp_path: Path) -> None:
    lines = tmp_path / "articles.jsonl"
    good = {
        "url": "https://gazette.example/a",
        "title": "Harbour bridge reopens",
        "published": "2026-11-23T09:30:00+00:00",
        "source": "The Test Gazette",
        "text": "The old harbour bridge reopened to traffic on Monday.",
    }
    lines.write_text("not json\n" + json.dumps(good) + "\n")
    result = cupure("import-jsonl", str(lines), home=tmp_path)
    assert result.returncode == 1
    assert f"{lines}:1: not JSON" in result.stderr
    exported = cupure("export-jsonl", home=tmp_path)
    assert [json.loads(row)["url"] for row in exported.stdout.splitlines()] == [
        "https://gazette.example/a"
    ]


def test_remove_feed_forgets_the_feed_and_says_so(
    tmp_path: Path, gazette_site: LoopbackSite
) -> None:
    """remove-feed deletes the subscription (no hub here to leave); a second time,
    or an address never followed, is refused with the reason."""
    url = gazette_site.url("/rss.xml")
    assert cupure("add-feed", url, home=tmp_path, **LOOPBACK_ONLY).returncode == 0

    removed = cupure("remove-feed", url, home=tmp_path)

    assert removed.returncode == 0, removed.stderr
    assert f"Removed {url}" in removed.stderr
    assert json.loads(cupure("feeds", "--json", home=tmp_path).stdout) == []
    again = cupure("remove-feed", url, home=tmp_path)
    assert again.returncode == 2
    assert "no feed" in again.stderr and "cupure feeds" in again.stderr


def test_a_malformed_fetch_setting_is_named_in_one_line(tmp_path: Path) -> None:
    """CUPURE_FETCH_ALLOW_PRIVATE=1 (a flag where networks are expected) is a
    setting to mend, named in one line, not a traceback."""
    result = cupure(
        "add-feed",
        "http://127.0.0.1:9/feed.xml",
        home=tmp_path,
        CUPURE_FETCH_ALLOW_PRIVATE="1",
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, "one line, no traceback"
    assert "configuration error: CUPURE_FETCH_ALLOW_PRIVATE: '1' is not a network" in (
        result.stderr
    )


def test_poll_stops_on_a_malformed_fetch_setting_before_blaming_feeds(
    tmp_path: Path, gazette_site: LoopbackSite
) -> None:
    """The setting is named and no feed is marked failing for it: a publisher's
    feed is not at fault when the fetch rules cannot be read."""
    url = gazette_site.url("/rss.xml")
    assert cupure("add-feed", url, home=tmp_path, **LOOPBACK_ONLY).returncode == 0
    result = cupure(
        "poll", "--all", "--once", home=tmp_path, CUPURE_FETCH_ALLOW_PRIVATE="1"
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, "one line, no traceback"
    assert "cupure poll: configuration error: CUPURE_FETCH_ALLOW_PRIVATE" in (
        result.stderr
    )
    feeds = json.loads(cupure("feeds", "--json", home=tmp_path).stdout)
    assert [feed["last_error"] for feed in feeds] == [""]


def test_add_feed_refuses_an_unreadable_url_in_one_line(tmp_path: Path) -> None:
    """An unclosed IPv6 bracket is named, not a traceback."""
    result = cupure("add-feed", "http://[::1/feed", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, "one line, no traceback"
    assert "URL cannot be read (Invalid IPv6 URL): http://[::1/feed" in result.stderr
