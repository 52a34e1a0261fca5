"""`cupure serve`: the production server (granian) runs Django correctly.

Starts the real command on a loopback port (SQLite under a temporary CUPURE_HOME,
the page cache on as by default) and checks what a server can get wrong: HEAD,
static files through WhiteNoise, a POST body with its CSRF cookie, the page cache.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cupure.web.server import DEFAULT_THREADS, server_argv
from tests.loopback import free_port
from tests.ops.conftest import serving
from tests.test_cli import clean_env

pytestmark = pytest.mark.network

STOP_TIMEOUT_SECONDS = 30
CUPURE = [sys.executable, "-m", "cupure"]
# Shared with tests/test_cli_commands.py.
__all__ = ["CUPURE", "free_port", "stop"]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """`cupure serve` on a free port; yields its base URL and stops it after."""
    env = clean_env(tmp_path)
    with serving(env, tmp_path / "serve.log", "--threads", "2") as base:
        yield base


def stop(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send ``sig``; kill the process if it has not exited STOP_TIMEOUT_SECONDS on."""
    process.send_signal(sig)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_serve_runs_the_site_under_granian(site: str) -> None:
    with httpx.Client(base_url=site, timeout=10) as client:
        first = client.get("/")
        second = client.get("/")
        head = client.head("/")

        assert first.status_code == 200
        assert first.headers["server"] == "granian"
        assert "Content-Security-Policy" in first.headers
        assert first.headers["cache-control"] == "max-age=30"
        assert second.content == first.content
        assert "age" in second.headers, "the second view came from the page cache"
        assert head.status_code == 200
        assert head.content == b""
        # Compressed for this anonymous reader (httpx accepts gzip), cached so.
        assert first.headers["content-encoding"] == "gzip"
        assert "Permissions-Policy" in first.headers
        assert head.headers["content-length"] == first.headers["content-length"]
        assert int(first.headers["content-length"]) < len(first.content)

        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', first.text)
        assert stylesheet
        css = client.get(stylesheet.group(1))
        assert css.status_code == 200
        assert css.headers["content-type"].startswith("text/css")
        assert len(css.content) == int(css.headers["content-length"]) > 0


def test_serve_reads_a_post_body_with_its_csrf_cookie(site: str) -> None:
    with httpx.Client(base_url=site, timeout=10) as client:
        form = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token and "csrftoken" in client.cookies

        refused = client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "login": "nobody",
                "password": "not the password",
            },
        )
        forged = httpx.post(
            site + "/accounts/login/",
            data={"login": "nobody", "password": "x"},
            timeout=10,
        )

    # The form was read (Django answers about the password, not about the token).
    assert refused.status_code == 200
    assert "username and/or password you specified are not correct" in refused.text
    assert forged.status_code == 403


def test_server_command_line_has_the_documented_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CUPURE_WEB_WORKERS", raising=False)
    monkeypatch.delenv("CUPURE_WEB_THREADS", raising=False)
    argv = server_argv(host="127.0.0.1", port=8000)
    assert argv[1:3] == ["-m", "granian"]
    assert argv[argv.index("--interface") + 1] == "wsgi"
    assert argv[argv.index("--workers") + 1] == str(os.cpu_count() or 1)
    assert argv[argv.index("--blocking-threads") + 1] == str(DEFAULT_THREADS)
    assert argv[-1] == "cupure.wsgi:application"

    monkeypatch.setenv("CUPURE_WEB_WORKERS", "3")
    monkeypatch.setenv("CUPURE_WEB_THREADS", "5")
    argv = server_argv(host="0.0.0.0", port=80)  # noqa: S104 - only a command line
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--blocking-threads") + 1] == "5"
    assert argv[argv.index("--host") + 1] == "0.0.0.0"  # noqa: S104

    argv = server_argv(host="127.0.0.1", port=8000, workers=2, threads=1)
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--blocking-threads") + 1] == "1"
