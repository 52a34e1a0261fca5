"""Only one scheduler is active at once; a dead one is replaced when its lease ends."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cupure.sources.services import process_lease_claim, process_lease_release
from tests.test_cli import clean_env

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


@pytest.mark.django_db
def test_one_holder_at_a_time_until_the_lease_ends() -> None:
    assert process_lease_claim(name="scheduler", holder="a", ttl=TTL, now=NOW)
    assert not process_lease_claim(name="scheduler", holder="b", ttl=TTL, now=NOW)
    # The holder renews; the other keeps standing by.
    later = NOW + timedelta(seconds=20)
    assert process_lease_claim(name="scheduler", holder="a", ttl=TTL, now=later)
    assert not process_lease_claim(name="scheduler", holder="b", ttl=TTL, now=later)
    # "a" dies: once its lease runs out, "b" takes over.
    expired = later + TTL + timedelta(seconds=1)
    assert process_lease_claim(name="scheduler", holder="b", ttl=TTL, now=expired)
    assert not process_lease_claim(name="scheduler", holder="a", ttl=TTL, now=expired)


@pytest.mark.django_db
def test_a_clean_stop_hands_the_role_over_at_once() -> None:
    assert process_lease_claim(name="scheduler", holder="a", ttl=TTL, now=NOW)
    process_lease_release(name="scheduler", holder="b")  # not b's to give
    assert not process_lease_claim(name="scheduler", holder="b", ttl=TTL, now=NOW)
    process_lease_release(name="scheduler", holder="a")
    assert process_lease_claim(name="scheduler", holder="b", ttl=TTL, now=NOW)


def test_two_schedulers_started_together_only_one_is_active(tmp_path: Path) -> None:
    """Two `cupure scheduler` processes on one database: exactly one says it is
    active, the other stands by."""
    env = clean_env(tmp_path)
    setup = subprocess.run(
        [sys.executable, "-m", "cupure", "feeds"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr
    command = [sys.executable, "-m", "cupure", "scheduler", "--rounds", "2"]
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=120)[1] for p in (first, second)]

    assert [p.returncode for p in (first, second)] == [0, 0]
    active = [o for o in outputs if o.startswith("Scheduler ")]
    standing_by = [o for o in outputs if "standing by" in o]
    assert len(active) == 1, outputs
    assert len(standing_by) == 1, outputs
