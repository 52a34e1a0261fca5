"""cupure.net.robots: robots.txt fetched through fetch() from a loopback site."""

from __future__ import annotations

import pytest

from cupure.net.errors import BlockedAddress, RobotsDisallowed
from cupure.net.fetch import FetchPolicy
from cupure.net.robots import RobotsChecker
from tests.net.servers import RouteServer, local_policy, respond

ROBOTS = b"""# test site: cupure may not read /private/, others may not read /news/
User-agent: cupure
Disallow: /private/

User-agent: *
Disallow: /news/
"""


def robots(server: RouteServer, status: int = 200, body: bytes = ROBOTS) -> None:
    server.routes["/robots.txt"] = lambda h: respond(
        h, status, body, {"Content-Type": "text/plain"}
    )


def test_rules_for_our_agent_apply(server: RouteServer) -> None:
    """The group for "cupure" applies to us; the "*" group does not."""
    robots(server)
    checker = RobotsChecker(local_policy())
    assert checker.allowed(server.url("/news/story-1"))
    assert not checker.allowed(server.url("/private/page"))
    with pytest.raises(RobotsDisallowed, match=r"robots\.txt asks") as caught:
        checker.check(server.url("/private/page"))
    assert caught.value.code == "robots_disallowed"
    checker.check(server.url("/news/story-1"))


def test_robots_txt_is_fetched_once_per_origin(server: RouteServer) -> None:
    robots(server)
    checker = RobotsChecker(local_policy())
    for index in range(5):
        checker.allowed(server.url(f"/news/{index}"))
    assert server.paths().count("/robots.txt") == 1
    assert server.seen[0].headers["user-agent"].startswith("cupure/")


def test_cache_expires(server: RouteServer) -> None:
    robots(server)
    now = [0.0]
    checker = RobotsChecker(local_policy(), clock=lambda: now[0])
    checker.allowed(server.url("/a"))
    now[0] = 25 * 3600.0
    checker.allowed(server.url("/a"))
    assert server.paths().count("/robots.txt") == 2


def test_missing_robots_txt_allows_everything(server: RouteServer) -> None:
    """404 (no routes registered): RFC 9309 says everything is allowed."""
    checker = RobotsChecker(local_policy())
    assert checker.allowed(server.url("/private/page"))


def test_server_error_disallows_everything_for_a_while(server: RouteServer) -> None:
    """5xx means unreachable: RFC 9309 says assume complete disallow."""
    robots(server, status=500, body=b"oops")
    checker = RobotsChecker(local_policy())
    assert not checker.allowed(server.url("/news/story-1"))


def test_robots_behind_a_redirect_is_followed(server: RouteServer) -> None:
    server.routes["/robots.txt"] = lambda h: respond(
        h, 301, b"", {"Location": "/real-robots.txt"}
    )
    server.routes["/real-robots.txt"] = lambda h: respond(h, 200, ROBOTS)
    checker = RobotsChecker(local_policy())
    assert not checker.allowed(server.url("/private/x"))


def test_blocked_address_is_not_a_robots_question(server: RouteServer) -> None:
    """An internal URL raises BlockedAddress instead of being "allowed"."""
    robots(server)
    checker = RobotsChecker(FetchPolicy())
    with pytest.raises(BlockedAddress):
        checker.allowed(server.url("/news/1"))
    assert server.seen == []


def test_rate_limited_robots_disallows_for_now(server: RouteServer) -> None:
    """429 on robots.txt: treated as unreachable, so nothing is fetched for a while."""
    server.routes["/robots.txt"] = lambda h: respond(h, 429, b"", {"Retry-After": "5"})
    checker = RobotsChecker(local_policy())
    assert not checker.allowed(server.url("/news/1"))
    assert not checker.allowed(server.url("/news/2"))
    assert server.paths().count("/robots.txt") == 1
