"""RobotsChecker's rules and cache at their limits, with a stand-in fetcher (mutation
testing, issue #23): which statuses allow or refuse, for how long, what is fetched
and how, and which origins the bounded cache forgets."""

from __future__ import annotations

import logging
from ipaddress import ip_network

import pytest

from cupure.net import robots as robots_module
from cupure.net.errors import (
    ConnectionFailed,
    HTTPStatusError,
    RateLimited,
    RobotsDisallowed,
)
from cupure.net.fetch import FetchPolicy, FetchResponse
from cupure.net.robots import (
    ROBOTS_CACHE_SECONDS,
    ROBOTS_MAX_BYTES,
    ROBOTS_UNREACHABLE_CACHE_SECONDS,
    RobotsChecker,
)

RULES = b"User-agent: cupure\nDisallow: /private/\n\nUser-agent: *\nDisallow: /news/\n"


class StandIn:
    """Answers robots.txt requests from a table; records every call."""

    def __init__(self, answer: object = RULES) -> None:
        self.answer = answer
        self.calls: list[tuple[str, FetchPolicy, str]] = []

    def __call__(self, url: str, *, policy: FetchPolicy, accept: str) -> FetchResponse:
        self.calls.append((url, policy, accept))
        if isinstance(self.answer, Exception):
            raise self.answer
        assert isinstance(self.answer, bytes)
        return FetchResponse(url=url, status=200, headers={}, content=self.answer)


def checker(fetcher: StandIn, clock: list[float], **kwargs) -> RobotsChecker:
    return RobotsChecker(
        FetchPolicy(timeout=3.0), fetcher=fetcher, clock=lambda: clock[0], **kwargs
    )


def test_what_is_fetched_and_how() -> None:
    """Only robots.txt of the origin, as text, with the policy's settings but at most
    ROBOTS_MAX_BYTES."""
    fetcher, clock = StandIn(), [0.0]

    def resolver(host: str, port: int) -> list[str]:
        return ["10.0.0.1"]

    policy = FetchPolicy(
        allow_private=(ip_network("10.0.0.0/8"),),
        max_bytes=10 * 1024 * 1024,
        timeout=3.0,
        max_redirects=2,
        user_agent="tester/1",
        ca_file="/tmp/ca.pem",
        resolver=resolver,
    )
    robots = RobotsChecker(policy, fetcher=fetcher, clock=lambda: clock[0])
    assert robots.allowed("https://News.Example/news/1?x=1")
    url, used, accept = fetcher.calls[0]
    assert (url, accept) == ("https://news.example/robots.txt", "text/plain")
    passed_on = (
        used.allow_private,
        used.max_bytes,
        used.timeout,
        used.max_redirects,
        used.user_agent,
        used.ca_file,
    )
    assert passed_on == (
        (ip_network("10.0.0.0/8"),),
        ROBOTS_MAX_BYTES,
        3.0,
        2,
        "tester/1",
        "/tmp/ca.pem",
    )
    assert used.resolver is resolver  # not part of FetchPolicy's equality
    small = RobotsChecker(FetchPolicy(max_bytes=1000), fetcher=fetcher)
    small.allowed("https://other.example/")
    assert fetcher.calls[-1][1].max_bytes == 1000


def test_rules_are_kept_for_a_day_exactly() -> None:
    fetcher, clock = StandIn(), [100.0]
    robots = checker(fetcher, clock)
    assert not robots.allowed("https://a.example/private/x")
    clock[0] = 100.0 + ROBOTS_CACHE_SECONDS - 0.001
    assert robots.allowed("https://a.example/news/x")
    assert len(fetcher.calls) == 1
    clock[0] = 100.0 + ROBOTS_CACHE_SECONDS
    robots.allowed("https://a.example/news/x")
    assert len(fetcher.calls) == 2


ROBOTS_URL = "https://a.example/robots.txt"
DAY, RETRY = ROBOTS_CACHE_SECONDS, ROBOTS_UNREACHABLE_CACHE_SECONDS


@pytest.mark.parametrize(
    ("error", "allowed", "lifetime", "logged"),
    [
        (HTTPStatusError("gone", status=404), True, DAY, []),
        (HTTPStatusError("teapot", status=400), True, DAY, []),
        (HTTPStatusError("odd", status=499), True, DAY, []),
        (
            HTTPStatusError("down", status=500),
            False,
            RETRY,
            [f"robots.txt unavailable {ROBOTS_URL}: down"],
        ),
        (
            HTTPStatusError("odd", status=399),
            False,
            RETRY,
            [f"robots.txt unavailable {ROBOTS_URL}: odd"],
        ),
        (
            RateLimited("slow down", status=429, retry_after=None),
            False,
            RETRY,
            [f"robots.txt rate limited {ROBOTS_URL}: slow down"],
        ),
        (
            ConnectionFailed("no route"),
            False,
            RETRY,
            [f"robots.txt not fetched {ROBOTS_URL}: no route"],
        ),
    ],
)
def test_statuses_and_failures(
    error: Exception,
    allowed: bool,
    lifetime: float,
    logged: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """4xx: no rules, everything allowed for a day. 5xx, 429 and network failures:
    unreachable, everything refused until a retry 15 minutes on (RFC 9309)."""
    fetcher, clock = StandIn(error), [0.0]
    robots = checker(fetcher, clock)
    with caplog.at_level(logging.INFO, logger="cupure.net.robots"):
        assert robots.allowed("https://a.example/page") is allowed
    assert [r.getMessage() for r in caplog.records] == logged
    clock[0] = lifetime - 0.001
    robots.allowed("https://a.example/page")
    assert len(fetcher.calls) == 1
    clock[0] = lifetime
    robots.allowed("https://a.example/page")
    assert len(fetcher.calls) == 2


def test_only_the_first_500_kib_are_read() -> None:
    late = b"User-agent: cupure\n" + b"#" * ROBOTS_MAX_BYTES + b"\nDisallow: /late/\n"
    robots = checker(StandIn(late), [0.0])
    assert robots.allowed("https://a.example/late/page")
    early = b"User-agent: cupure\nDisallow: /early/\n" + b"#" * ROBOTS_MAX_BYTES
    assert not checker(StandIn(early), [0.0]).allowed("https://a.example/early/x")


def test_our_agent_name_decides_which_group_applies() -> None:
    robots = checker(StandIn(), [0.0], user_agent="otherbot")
    assert not robots.allowed("https://a.example/news/1")
    assert robots.allowed("https://a.example/private/1")


def test_refusal_message() -> None:
    robots = checker(StandIn(), [0.0])
    with pytest.raises(RobotsDisallowed) as caught:
        robots.check("https://a.example/private/1")
    assert str(caught.value) == (
        "https://a.example/robots.txt asks crawlers not to fetch "
        "https://a.example/private/1; the entry is kept with its feed summary only"
    )
    assert caught.value.url == "https://a.example/private/1"


def test_the_cache_forgets_the_oldest_origin_when_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Oldest by expiry (not by name): c first, then b, then a."""
    monkeypatch.setattr(robots_module, "ROBOTS_CACHE_MAX_HOSTS", 2)
    fetcher, clock = StandIn(), [0.0]
    robots = checker(fetcher, clock)
    for step, host in enumerate(["c", "b", "a"]):
        clock[0] = float(step)
        robots.allowed(f"https://{host}.example/")
    assert len(fetcher.calls) == 3
    robots.allowed("https://a.example/")
    robots.allowed("https://b.example/")
    assert len(fetcher.calls) == 3  # a and b were kept
    # The forgotten origin's lock goes with it (memory follows the cache).
    assert set(robots._origin_locks) == {"https://a.example", "https://b.example"}
    robots.allowed("https://c.example/")
    assert [url for url, _, _ in fetcher.calls][-1] == "https://c.example/robots.txt"


def test_invalid_utf8_in_robots_txt_is_read_around() -> None:
    body = b"User-agent: cupure\n# caf\xe9 \xff\nDisallow: /private/\n"
    robots = checker(StandIn(body), [0.0])
    assert not robots.allowed("https://a.example/private/1")
    assert robots.allowed("https://a.example/public/1")
