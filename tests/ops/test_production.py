"""The README's production start, run as written (issue #20, "Production that starts").

The ``sh`` block of "When one machine is not enough" is read from README.md and run
line by line: its exports become the environment, its commands run (``worker``,
``scheduler`` and ``serve`` in the background, as the README means them). Only what
names the reader's own machines is replaced: PostgreSQL and Redis at 127.0.0.1 (Redis
databases 8 and 3), a generated secret key, the subscriptions (the bundled demo
publishers on a loopback port, which the fetcher may then reach), one web process on a
free port. The test then reads pages as the TLS proxy in front would forward them.

Run on PostgreSQL, and on SQLite (the database URL left empty: the default file
under CUPURE_HOME). With CI=true a missing PostgreSQL or Redis fails the test.
"""

from __future__ import annotations

import re
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from cupure.demo.server import DemoPublishers
from tests.loopback import free_port
from tests.ops.conftest import REDIS_BROKER, REDIS_CACHE, redis_or_fail
from tests.test_cli import clean_env

pytestmark = pytest.mark.network

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## When one machine is not enough"
# Commands that run until stopped.
SERVICES = {"worker", "scheduler", "serve"}
SITE = "news.example.org"
# Starting three Django processes and ingesting the demo on two shared cores.
INGEST_TIMEOUT_SECONDS = 240


def readme_block() -> list[str]:
    """The lines of the first ``sh`` block of the production section."""
    text = README.read_text()
    section = text[text.index(SECTION) :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the production section lost its sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def parse(lines: list[str]) -> tuple[dict[str, str], list[list[str]]]:
    """The block's exports and its commands (argv), comments dropped."""
    exports: dict[str, str] = {}
    commands: list[list[str]] = []
    for line in lines:
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "export":
            for word in words[1:]:
                name, _, value = word.partition("=")
                exports[name] = value
        else:
            assert words[0] == "cupure", f"the README runs something else: {line}"
            commands.append(words[1:])
    return exports, commands


def localise(exports: dict[str, str], database_url: str) -> dict[str, str]:
    """The README's placeholders replaced by this machine's servers."""
    env = dict(exports)
    assert env["CUPURE_DATABASE_URL"].startswith("postgres://")
    env["CUPURE_DATABASE_URL"] = database_url
    assert env["CUPURE_BROKER_URL"].startswith("redis://")
    env["CUPURE_BROKER_URL"] = REDIS_BROKER
    assert env["CUPURE_CACHE_URL"].startswith("redis://")
    env["CUPURE_CACHE_URL"] = REDIS_CACHE
    assert env["CUPURE_SECRET_KEY"] == "..."
    env["CUPURE_SECRET_KEY"] = secrets.token_urlsafe(50)
    assert env["DJANGO_SETTINGS_MODULE"] == "cupure.settings.prod"
    assert env["CUPURE_ALLOWED_HOSTS"] == SITE
    assert env["CUPURE_METRICS_TOKEN"] == "..."
    env["CUPURE_METRICS_TOKEN"] = secrets.token_urlsafe(32)
    # The demo publishers listen on loopback, which the fetcher refuses otherwise.
    env["CUPURE_FETCH_ALLOW_PRIVATE"] = "127.0.0.1/32"
    return env


def opml(demo: DemoPublishers) -> str:
    outlines = "".join(
        f'<outline type="rss" text="{feed.publisher}" xmlUrl="{feed.feed_url}"/>'
        for feed in demo.feeds()
    )
    return f'<opml version="2.0"><head/><body>{outlines}</body></opml>'


@pytest.fixture(params=["postgresql", "sqlite"])
def database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        # Redis still carries the queue and the cache.
        redis_or_fail(REDIS_BROKER)
        return ""
    return request.getfixturevalue("postgres_url")


def test_the_readme_production_start_serves_pages(
    tmp_path: Path, database_url: str, demo: DemoPublishers
) -> None:
    import redis

    for url in (REDIS_BROKER, REDIS_CACHE):
        redis.Redis.from_url(url).flushdb()
    exports, commands = parse(readme_block())
    env = clean_env(tmp_path / "home", **localise(exports, database_url))
    # Set by the browser tests' harness for Playwright; never in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    (tmp_path / "feeds.opml").write_text(opml(demo))
    port = free_port()
    services: list[tuple[list[str], subprocess.Popen]] = []
    logs = tmp_path / "logs"
    logs.mkdir()
    try:
        for argv in commands:
            if argv[0] == "serve":
                argv = [*argv, "--host", "127.0.0.1", "--port", str(port)]
                argv[argv.index("--workers") + 1] = "1"  # two cores, not eight
            if argv[0] in SERVICES:
                log = open(logs / f"{argv[0]}.log", "wb")  # noqa: SIM115
                process = subprocess.Popen(
                    [sys.executable, "-m", "cupure", *argv],
                    env=env,
                    cwd=tmp_path,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
                services.append((argv, process))
                continue
            result = subprocess.run(
                [sys.executable, "-m", "cupure", *argv],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            assert result.returncode == 0, (argv, result.stdout, result.stderr)
            if argv[:2] == ["manage", "check"]:
                assert "System check identified no issues" in result.stdout

        pages = read_pages(port, services, logs, env["CUPURE_METRICS_TOKEN"])
    finally:
        for _, process in services:
            process.terminate()
        for _, process in services:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    serve_log = (logs / "serve.log").read_text()
    assert "Collecting static files" in serve_log, serve_log
    for name, response in pages.items():
        assert response.status_code == 200, (name, response.text[:500], serve_log)


def read_pages(
    port: int,
    services: list[tuple[list[str], subprocess.Popen]],
    logs: Path,
    metrics_token: str,
) -> dict[str, httpx.Response]:
    """Home once an article is on it, that article, the site's feed, a stylesheet
    and the readiness probe, as the TLS proxy would forward them."""
    proxy = {
        "Host": SITE,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "203.0.113.7",
    }
    pages: dict[str, httpx.Response] = {}
    deadline = time.monotonic() + INGEST_TIMEOUT_SECONDS
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers=proxy, timeout=10
    ) as client:
        while True:
            for argv, process in services:
                assert process.poll() is None, (
                    f"`cupure {' '.join(argv)}` stopped:\n"
                    + (logs / f"{argv[0]}.log").read_text()[-3000:]
                )
            try:
                home = client.get("/")
            except httpx.TransportError:
                home = None  # the server is still starting
            if home is not None:
                assert home.status_code == 200, home.text[:2000]
                article = re.search(r'href="(/articles/\d+/[^"]+)"', home.text)
                if article:
                    break
            assert time.monotonic() < deadline, "no article reached the home page"
            time.sleep(2)
        pages["home"] = home
        pages["article"] = client.get(article.group(1))
        pages["feed"] = client.get("/feeds/latest.rss")
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', home.text)
        assert stylesheet and re.search(r"\.[0-9a-f]{12}\.css$", stylesheet.group(1))
        pages["stylesheet"] = client.get(stylesheet.group(1))
        pages["readyz"] = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
        # Prometheus, with its token: the events of every process of the machine.
        pages["metrics"] = httpx.get(
            f"http://127.0.0.1:{port}/metrics",
            headers={"Authorization": f"Bearer {metrics_token}"},
            timeout=10,
        )
        hidden = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        plain = httpx.get(f"http://127.0.0.1:{port}/", headers={"Host": SITE})
    assert hidden.status_code == 404, "behind a proxy, loopback is not enough"
    assert plain.status_code == 301, "plain HTTP is sent to HTTPS"
    assert pages["readyz"].json()["checks"]["broker"]["ok"] is True
    assert "<rss" in pages["feed"].text
    metrics = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(pages["metrics"].text)
        for sample in family.samples
    }
    # Polled by the Celery worker, counted in its own process, shown by the web's.
    assert metrics[("cupure_feed_polls_total", (("outcome", "ok"),))] >= 1
    assert metrics[("cupure_articles_stored_total", ())] >= 1
    assert metrics[("cupure_articles", ())] >= 1
    assert ("cupure_queue_depth", (("queue", "celery"),)) in metrics
    home_hits = [
        value
        for (name, labels), value in metrics.items()
        if name == "cupure_http_requests_total" and ("kind", "home") in labels
    ]
    assert sum(home_hits) >= 1
    return pages
