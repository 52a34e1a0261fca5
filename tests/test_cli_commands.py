"""`cupure trending`, `search`, `search-reindex` and `demo` end to end, as processes
(issue #23: no test ran them through the command line)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.test_cli import clean_env, cupure
from tests.test_cli_serve import CUPURE, free_port, stop

# Four publishers naming Ilse Varga within three hours of AT make her trend; the
# background topics, each named once three days before, do not.
AT = "2026-11-25T12:00:00+00:00"
STRIKE = [
    ("Harbour Herald", "Dockers strike as Ilse Varga refuses to meet union", "09:00"),
    ("Evening Post", "Union walks out after talks with Ilse Varga fail", "09:30"),
    ("Northshore Daily", "Ships stuck at sea while Ilse Varga stands firm", "10:00"),
    ("The Lantern", "Second day of the strike: what Ilse Varga said", "10:30"),
]
BACKGROUND = [
    ("Harbour Herald", "Marrowdale Council debates parking fees", "22T09:00"),
    ("Evening Post", "Sund Film Festival announces jury", "22T18:00"),
    ("The Lantern", "Kessel Zoo welcomes snow leopard cubs", "23T03:00"),
]


def record(source: str, title: str, when: str, number: int) -> dict[str, str]:
    day = when if "T" in when else f"25T{when}"
    return {
        "url": f"https://{source.replace(' ', '').lower()}.example/{number}",
        "title": title,
        "published": f"2026-11-{day}:00+00:00",
        "source": source,
        "text": f"{title}. The story continues with details from the scene.",
    }


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A CUPURE_HOME with the seven articles imported through `cupure import-jsonl`."""
    lines = tmp_path / "articles.jsonl"
    rows = [record(*item, number) for number, item in enumerate([*BACKGROUND, *STRIKE])]
    lines.write_text("".join(json.dumps(row) + "\n" for row in rows))
    imported = cupure("import-jsonl", str(lines), home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    return tmp_path


def test_trending_names_the_topic_and_why(home: Path) -> None:
    text = cupure("trending", "--at", AT, home=home)
    assert text.returncode == 0, text.stderr
    first = text.stdout.splitlines()[0]
    assert first.startswith(" 1. Ilse Varga  (")
    assert "from 4 publishers" in first
    assert "bound method" not in text.stdout
    assert "Marrowdale" not in text.stdout

    as_json = cupure("trending", "--at", AT, "--json", home=home)
    topics = json.loads(as_json.stdout)
    assert topics[0]["topic"] == "Ilse Varga"
    assert topics[0]["publishers"] == 4
    assert topics[0]["explanation"] in first

    later = cupure("trending", "--at", "2026-12-02T12:00:00+00:00", home=home)
    assert later.returncode == 0
    assert later.stdout == ""
    assert "Nothing is trending in that window." in later.stderr


def test_trending_refuses_a_bad_time(home: Path) -> None:
    result = cupure("trending", "--at", "yesterday-ish", home=home)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "yesterday-ish" in result.stderr


def test_search_finds_ranks_and_explains(home: Path) -> None:
    result = cupure("search", "leopard", "cubs", "--json", home=home)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["title"] for row in rows] == ["Kessel Zoo welcomes snow leopard cubs"]
    assert rows[0]["publisher"] == "The Lantern"
    assert rows[0]["url"] == "https://thelantern.example/2"

    text = cupure("search", "Ilse", "Varga", "--limit", "2", home=home)
    assert text.returncode == 0, text.stderr
    assert text.stdout.count("Ilse Varga") >= 2
    assert "Kessel" not in text.stdout

    none = cupure("search", "zeppelin", home=home)
    assert none.returncode == 0
    assert "No articles match 'zeppelin'." in none.stdout

    empty = cupure("search", "!!!", home=home)
    assert empty.returncode == 2
    assert "the query has no words to search for" in empty.stderr


def test_search_reindex_rebuilds_a_lost_index(home: Path) -> None:
    """With the full-text rows gone, search finds nothing until `search-reindex`."""
    with sqlite3.connect(home / "cupure.sqlite3") as db:
        db.execute("DELETE FROM search_fts")
    lost = cupure("search", "leopard", "--json", home=home)
    assert json.loads(lost.stdout) == []

    rebuilt = cupure("search-reindex", home=home)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Indexed 7 articles" in rebuilt.stderr
    found = cupure("search", "leopard", "--json", home=home)
    assert [row["title"] for row in json.loads(found.stdout)] == [
        "Kessel Zoo welcomes snow leopard cubs"
    ]


@pytest.mark.network
def test_demo_ingests_the_sample_publishers_and_serves_them(tmp_path: Path) -> None:
    """`cupure demo` as a reader runs it: sample publishers polled for real, the site
    served with their articles, Ctrl-C stops both."""
    port, publishers = str(free_port()), str(free_port())
    log = tmp_path / "demo.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [*CUPURE, "demo", "--port", port, "--publishers-port", publishers],
            env=clean_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert process.poll() is None, log.read_text()
            try:
                home_page = httpx.get(base + "/", timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        output = log.read_text()
        assert f"Demo publishers serving on http://127.0.0.1:{publishers}" in output
        assert "FAILED" not in output
        assert "Ingested " in output
        assert home_page.status_code == 200
        assert home_page.text.count('<article class="') >= 5
        about = httpx.get(base + "/about/", timeout=10)
        assert about.status_code == 200
        assert "No sources yet." not in about.text
    finally:
        stop(process, signal.SIGINT)
    # 130: stopped by Ctrl-C, as a shell reports it; quietly, without a traceback.
    assert process.returncode == 130, log.read_text()
    assert "Traceback" not in log.read_text()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{publishers}/", timeout=2)
