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


# --- RFC 9309 as written (issue #18) -----------------------------------------------


def test_longest_match_wins_whatever_the_order(server: RouteServer) -> None:
    """§2.2.2: the most specific (longest) rule applies, not the first one."""
    robots(
        server,
        body=b"User-agent: cupure\nDisallow: /news/\nAllow: /news/public/\n"
        b"Disallow: /news/public/drafts\n",
    )
    checker = RobotsChecker(local_policy())
    assert not checker.allowed(server.url("/news/secret"))
    assert checker.allowed(server.url("/news/public/story"))
    assert not checker.allowed(server.url("/news/public/drafts/1"))


def test_allow_wins_an_equally_long_disallow(server: RouteServer) -> None:
    """§2.2.2: "If an allow rule and a disallow rule are equivalent, then the
    allow rule SHOULD be used" (the standard library says disallowed: first wins)."""
    robots(server, body=b"User-agent: *\nDisallow: /page\nAllow: /page\n")
    assert RobotsChecker(local_policy()).allowed(server.url("/page"))


def test_wildcards_and_end_anchor(server: RouteServer) -> None:
    robots(server, body=b"User-agent: *\nDisallow: /*.pdf$\nDisallow: /a*/b\n")
    checker = RobotsChecker(local_policy())
    assert not checker.allowed(server.url("/files/report.pdf"))
    assert checker.allowed(server.url("/files/report.pdf.html"))
    assert not checker.allowed(server.url("/abc/b"))


def test_only_the_first_500_kib_are_parsed(server: RouteServer) -> None:
    """§2.5: a larger file is read up to the limit, the rest ignored (not refused)."""
    padding = b"# " + b"x" * 1000 + b"\n"
    body = b"User-agent: *\nDisallow: /early/\n"
    body += padding * 520 + b"Disallow: /late/\n"
    robots(server, body=body)
    checker = RobotsChecker(local_policy())
    assert not checker.allowed(server.url("/early/1"))
    assert checker.allowed(server.url("/late/1"))


class MemoryStore:
    def __init__(self) -> None:
        self.records: dict = {}

    def load(self, origin: str):
        return self.records.get(origin)

    def save(self, record) -> None:
        self.records[record.origin] = record


def test_a_store_shares_robots_between_checkers(server: RouteServer) -> None:
    """Two processes (two checkers) with one store fetch robots.txt once; an
    expired record is fetched again."""
    robots(server)
    store = MemoryStore()
    now = [1000.0]
    first = RobotsChecker(local_policy(), store=store, clock=lambda: now[0])
    second = RobotsChecker(local_policy(), store=store, clock=lambda: now[0])
    assert not first.allowed(server.url("/private/1"))
    assert not second.allowed(server.url("/private/1"))
    assert server.paths().count("/robots.txt") == 1
    (record,) = store.records.values()
    assert record.note == "200" and record.expires_at == 1000.0 + 24 * 3600
    now[0] += 24 * 3600 + 1
    assert not RobotsChecker(local_policy(), store=store, clock=lambda: now[0]).allowed(
        server.url("/private/1")
    )
    assert server.paths().count("/robots.txt") == 2


def test_unreachable_is_remembered_for_a_while_only(server: RouteServer) -> None:
    robots(server, status=503, body=b"down")
    store = MemoryStore()
    checker = RobotsChecker(local_policy(), store=store, clock=lambda: 0.0)
    assert not checker.allowed(server.url("/news/1"))
    (record,) = store.records.values()
    assert record.note == "503: unreachable"
    assert record.expires_at == 15 * 60


def test_a_broken_store_costs_nothing(server: RouteServer) -> None:
    robots(server)

    class Broken:
        def load(self, origin):
            raise RuntimeError("database away")

        def save(self, record):
            raise RuntimeError("database away")

    checker = RobotsChecker(local_policy(), store=Broken())
    assert not checker.allowed(server.url("/private/1"))
    assert checker.allowed(server.url("/news/1"))
