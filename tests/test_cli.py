"""The `cupure` command: help, clear one-line errors, extract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def cupure(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["CUPURE_HOME"] = str(home)
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
    for command in ("demo", "serve", "add-feed", "poll", "extract"):
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
    assert set(data) == {
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
