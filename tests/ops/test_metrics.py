"""Prometheus metrics at /metrics, for Prometheus only (issue #20, "Operable")."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from cupure.ops.metrics import MetricsApplication, SiteCollector
from cupure.sources.services import feed_poll
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import subscribe


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client: Client, **headers: str) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.content.decode())
        for s in family.samples
    }


@pytest.fixture(autouse=True)
def _fresh_site_gauges() -> None:
    SiteCollector._cached = None


@pytest.mark.django_db
def test_polls_fetch_errors_and_ingest_are_counted(gazette: LoopbackSite) -> None:
    ok_before = sample("cupure_feed_polls_total", outcome="ok")
    failed_before = sample("cupure_feed_polls_total", outcome="failed")
    stored_before = sample("cupure_articles_stored_total")
    delays_before = sample("cupure_ingest_delay_seconds_count", since="published")
    errors_before = sample(
        "cupure_fetch_errors_total", target="feed", reason="http_status"
    )
    gazette.pages["/gone.xml"] = Page(b"no feed here", status=404)

    assert feed_poll(feed=subscribe(gazette, "/rss.xml")).ingested == 2
    assert not feed_poll(feed=subscribe(gazette, "/gone.xml")).ok

    assert sample("cupure_feed_polls_total", outcome="ok") == ok_before + 1
    assert sample("cupure_feed_polls_total", outcome="failed") == failed_before + 1
    assert sample("cupure_articles_stored_total") == stored_before + 2
    assert (
        sample("cupure_ingest_delay_seconds_count", since="published")
        == delays_before + 2
    )
    assert (
        sample("cupure_fetch_errors_total", target="feed", reason="http_status")
        == errors_before + 1
    )


@pytest.mark.django_db
def test_the_page_shows_the_sites_state(client: Client, gazette: LoopbackSite) -> None:
    feed_poll(feed=subscribe(gazette, "/rss.xml"))

    metrics = scrape(client)

    assert metrics[("cupure_articles", ())] == 2
    assert metrics[("cupure_stories", ())] >= 1
    assert metrics[("cupure_topics", ())] >= 1
    assert metrics[("cupure_feeds", (("status", "ok"),))] == 1
    assert metrics[("cupure_entries", (("status", "ingested"),))] == 2
    assert metrics[("cupure_ingest_lag_seconds", ())] == 0
    assert ("cupure_feed_polls_total", (("outcome", "ok"),)) in metrics


def test_requests_are_counted_with_status_latency_and_page_cache() -> None:
    def page(environ, start_response):
        headers = [("Content-Type", "text/html")]
        if environ["PATH_INFO"] == "/cached/":
            headers.append(("Age", "3"))
        start_response("200 OK", headers)
        return [b"<p>page</p>"]

    app = MetricsApplication(page)
    labels = {"kind": "article", "method": "GET", "status": "200"}
    miss = sample("cupure_http_requests_total", page_cache="miss", **labels)
    hit = sample("cupure_http_requests_total", page_cache="hit", **labels)
    timed = sample("cupure_http_request_duration_seconds_count", kind="article")

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/articles/1/a/"}
    assert app(environ, lambda status, headers: None) == [b"<p>page</p>"]
    app({**environ, "PATH_INFO": "/cached/"}, lambda status, headers: None)
    app({**environ, "PATH_INFO": "/articles/2/b/"}, lambda status, headers: None)

    assert sample("cupure_http_requests_total", page_cache="miss", **labels) == miss + 2
    assert (
        sample(
            "cupure_http_requests_total",
            page_cache="hit",
            kind="other",
            method="GET",
            status="200",
        )
        >= 1
    )
    assert sample("cupure_http_requests_total", page_cache="hit", **labels) == hit
    assert (
        sample("cupure_http_request_duration_seconds_count", kind="article")
        == timed + 2
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # A proxy on this machine forwarding a visitor's request.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
    ],
)
def test_the_page_is_hidden_from_anyone_else(client: Client, headers: dict) -> None:
    response = client.get("/metrics", **headers)
    assert response.status_code == 404
    assert b"cupure_" not in response.content


@pytest.mark.django_db
def test_a_token_opens_it_from_anywhere_and_only_with_the_token(
    client: Client, settings
) -> None:
    settings.CUPURE_METRICS_TOKEN = "t0ken-for-prometheus"
    remote = {"REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "10.0.0.5:8000"}

    assert scrape(client, HTTP_AUTHORIZATION="Bearer t0ken-for-prometheus", **remote)
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess", **remote)
    local = client.get("/metrics")  # loopback without the token: no longer enough
    assert wrong.status_code == 404
    assert local.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "proxy",
    [
        {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
        {"ALLAUTH_TRUSTED_PROXY_COUNT": 1},
    ],
)
def test_behind_a_proxy_loopback_is_not_enough(
    client: Client, settings, proxy: dict
) -> None:
    """A proxy on this machine that forwards without any header would make every
    visitor look local: behind a proxy only the token opens the page."""
    for name, value in proxy.items():
        setattr(settings, name, value)

    assert client.get("/metrics").status_code == 404
    settings.CUPURE_METRICS_TOKEN = "t0ken"
    assert scrape(client, HTTP_AUTHORIZATION="Bearer t0ken")
