"""tests/ci.py: every spelling of CI that services use turns skips into failures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ci import fail_or_skip, in_ci

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.mark.parametrize("value", ["true", "1", "True", "TRUE", " true "])
def test_ci_spellings_are_ci(value: str) -> None:
    assert in_ci({"CI": value})


@pytest.mark.parametrize("value", ["", "false", "0", "no", "False"])
def test_other_values_are_not_ci(value: str) -> None:
    assert not in_ci({"CI": value})
    assert not in_ci({})


@pytest.mark.parametrize(("value", "code"), [("True", 0), ("1", 0), ("false", 1)])
def test_the_makefile_asks_the_same_helper(value: str, code: int) -> None:
    """`python tests/ci.py` exits 0 in CI: the Makefile's PostgreSQL run fails then."""
    env = {**os.environ, "CI": value}
    result = subprocess.run(
        [sys.executable, str(TESTS / "ci.py")], env=env, check=False, timeout=60
    )
    assert result.returncode == code
    assert "tests/ci.py" in (REPO / "Makefile").read_text()


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
