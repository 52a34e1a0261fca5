"""tests/ci.py: every spelling of CI that services use turns skips into failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import suites
from tests.ci import fail_or_skip, in_ci, machine_redis
from tests.loopback import free_port

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.mark.parametrize("value", ["true", "1", "True", "TRUE", " true "])
def test_ci_spellings_are_ci(value: str) -> None:
    assert in_ci({"CI": value})


@pytest.mark.parametrize("value", ["", "false", "0", "no", "False"])
def test_other_values_are_not_ci(value: str) -> None:
    assert not in_ci({"CI": value})
    assert not in_ci({})


@pytest.mark.parametrize("value", ["True", "1"])
def test_make_test_fails_without_postgresql_in_ci(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make test` (tests/suites.py) asks the same helper: in CI, a PostgreSQL it
    cannot reach fails the run before any test runs."""
    monkeypatch.setenv("CI", value)
    monkeypatch.setattr(
        suites, "POSTGRES_SERVER", f"postgresql://postgres@127.0.0.1:{free_port()}/x"
    )
    assert suites.main() == 1
    assert "CI is set: failing, not skipping" in capsys.readouterr().err


def test_fail_or_skip_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="Redis is missing"):
        fail_or_skip("Redis is missing")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="NOT RUN"):
        fail_or_skip("Redis is missing", skip="!!! NOT RUN !!!")


def test_no_fixture_reads_ci_itself() -> None:
    """A fixture comparing CI to one spelling would skip under the others."""
    readers = [
        path.relative_to(REPO)
        for path in TESTS.rglob("*.py")
        if path.name != "ci.py"
        and "node_modules" not in path.parts
        and re.search(r"""environ(\.get)?\(?\[?["']CI["']""", path.read_text())
    ]
    assert readers == []


def test_a_run_can_be_given_a_redis_server_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`make test`'s PostgreSQL run points every Redis test at its own server."""
    monkeypatch.delenv("CUPURE_TEST_REDIS", raising=False)
    assert machine_redis(7) == "redis://127.0.0.1:6379/7"
    monkeypatch.setenv("CUPURE_TEST_REDIS", "redis://127.0.0.1:6390")
    assert machine_redis(7) == "redis://127.0.0.1:6390/7"
