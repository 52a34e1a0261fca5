"""/healthz and /readyz for load balancers (issue #20, "Operable")."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from django.test import Client

from tests.ops.conftest import REDIS_BROKER, closed_port, redis_or_fail
from tests.test_cli import clean_env

# A balancer probes a backend by its address, not by the site's name.
BALANCER = {"HTTP_HOST": "10.20.30.40:8000"}


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    """No django_db mark: any query here would raise instead of answering."""
    response = client.get("/healthz", **BALANCER)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_cache(client: Client) -> None:
    response = client.get("/readyz", **BALANCER)

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "cache"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_broker_when_there_is_one(client: Client, settings) -> None:
    redis_or_fail(REDIS_BROKER)
    settings.CUPURE_BROKER_URL = REDIS_BROKER
    ready = client.get("/readyz", **BALANCER)
    settings.CUPURE_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/8"
    broker_down = client.get("/readyz", **BALANCER)

    assert ready.status_code == 200, ready.json()
    assert ready.json()["checks"]["broker"]["ok"] is True
    assert broker_down.status_code == 503
    body = broker_down.json()
    assert body["status"] == "not ready"
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] is True


def test_probes_refuse_other_methods(client: Client) -> None:
    response = client.post("/healthz", **BALANCER)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# Run in a process of its own: this one's database is the test database.
ALL_DOWN = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/readyz", HTTP_HOST="10.0.0.1")
print(response.status_code, json.dumps(response.json()))
"""


def test_readyz_names_every_dependency_that_is_down(tmp_path) -> None:
    """Database, cache and broker all unreachable (ports nobody listens on): 503 and
    each one named, with no host or user in the answer."""
    port = closed_port()
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="cupure.settings.dev",
        CUPURE_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/cupure_down",
        CUPURE_DATABASE_CONNECT_TIMEOUT="2",
        CUPURE_CACHE_URL=f"redis://127.0.0.1:{port}/3",
        CUPURE_BROKER_URL=f"redis://127.0.0.1:{port}/8",
    )
    result = subprocess.run(
        [sys.executable, "-c", ALL_DOWN],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    payload = json.loads(body)
    assert status == "503"
    assert payload["failed"] == ["database", "cache", "broker"]
    assert payload["checks"]["database"]["error"] == "OperationalError"
    assert "127.0.0.1" not in body and "postgres" not in body
    # The reasons, with the addresses, are in the server's log.
    assert "readiness check failed: database" in result.stderr
