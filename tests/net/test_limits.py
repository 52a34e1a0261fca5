"""cupure.net.limits: at most N requests in flight per host, across threads."""

from __future__ import annotations

import threading
import time

import pytest

from cupure.net.errors import HostBusy
from cupure.net.limits import HostLimiter, host_key


def test_host_key_is_the_lower_case_host() -> None:
    assert host_key("https://News.Example:8443/feed?x=1") == "news.example"
    assert host_key("News.Example") == "news.example"


def test_no_more_than_per_host_holders_at_once() -> None:
    """Eight threads on one host never have more than two slots at a time."""
    limiter = HostLimiter(per_host=2)
    lock = threading.Lock()
    inside = 0
    peak = 0

    def work() -> None:
        nonlocal inside, peak
        with limiter.slot("http://one.example/feed"):
            with lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.03)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2
    assert limiter.active_hosts() == 0


def test_other_hosts_are_not_held_up() -> None:
    limiter = HostLimiter(per_host=1)
    with (
        limiter.slot("http://busy.example/"),
        limiter.slot("http://other.example/", timeout=0.1),
    ):
        assert limiter.active_hosts() == 2


def test_waiting_too_long_raises_host_busy() -> None:
    limiter = HostLimiter(per_host=1)
    with limiter.slot("http://busy.example/"):
        started = time.monotonic()
        with (
            pytest.raises(HostBusy, match=r"busy\.example already has 1"),
            limiter.slot("http://busy.example/other", timeout=0.1),
        ):
            pass
        assert time.monotonic() - started < 0.5
    assert limiter.active_hosts() == 0


def test_per_host_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        HostLimiter(per_host=0)
