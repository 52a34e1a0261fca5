"""robots.txt shared between processes through the database (RFC 9309 §2.4: cached
at most 24 hours), and obeyed by the poller before it fetches an article page."""

from __future__ import annotations

import pytest

from cupure.net.fetch import FetchPolicy
from cupure.net.robots import RobotsChecker
from cupure.rights.models import RobotsTxt
from cupure.rights.robots_store import DatabaseRobotsStore
from cupure.sources.models import Entry
from cupure.sources.services import feed_poll
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import subscribe

pytestmark = pytest.mark.django_db


def _policy() -> FetchPolicy:
    from cupure.net.addresses import parse_allow_private

    return FetchPolicy(allow_private=parse_allow_private("127.0.0.1/32"))


def test_two_processes_read_robots_once(gazette: LoopbackSite) -> None:
    gazette.pages["/robots.txt"] = Page(
        b"User-agent: *\nDisallow: /news/\nAllow: /news/bridge-reopens\n",
        "text/plain",
    )
    now = [1_000_000.0]
    one = RobotsChecker(_policy(), store=DatabaseRobotsStore(), clock=lambda: now[0])
    two = RobotsChecker(_policy(), store=DatabaseRobotsStore(), clock=lambda: now[0])
    assert one.allowed(gazette.url("/news/bridge-reopens"))
    assert not two.allowed(gazette.url("/news/library-hours"))
    assert gazette.requests.count("/robots.txt") == 1
    row = RobotsTxt.objects.get()
    assert row.origin == gazette.base_url and row.note == "200" and row.has_rules
    assert row.expires_at.timestamp() == now[0] + 24 * 3600
    # A day later a third process asks the site again.
    now[0] += 24 * 3600 + 1
    three = RobotsChecker(_policy(), store=DatabaseRobotsStore(), clock=lambda: now[0])
    assert three.allowed(gazette.url("/news/bridge-reopens"))
    assert gazette.requests.count("/robots.txt") == 2


def test_unreachable_robots_is_shared_as_disallow(gazette: LoopbackSite) -> None:
    gazette.pages["/robots.txt"] = Page(b"down", "text/plain", status=500)
    RobotsChecker(_policy(), store=DatabaseRobotsStore()).allowed(gazette.url("/a"))
    row = RobotsTxt.objects.get()
    assert (row.allow_all, row.has_rules, row.note) == (
        False,
        False,
        "500: unreachable",
    )
    other = RobotsChecker(_policy(), store=DatabaseRobotsStore())
    assert not other.allowed(gazette.url("/a"))
    assert gazette.requests.count("/robots.txt") == 1


def test_poller_obeys_longest_match(gazette: LoopbackSite) -> None:
    """The more specific Disallow wins over a shorter Allow: one page not fetched."""
    gazette.pages["/robots.txt"] = Page(
        b"User-agent: *\nAllow: /news/\nDisallow: /news/library\n", "text/plain"
    )
    result = feed_poll(feed=subscribe(gazette, "/rss.xml"))
    assert result.ingested == 1
    refused = Entry.objects.get(link=gazette.url("/news/library-hours"))
    assert "robots.txt asks crawlers not to fetch" in refused.last_error
    assert "/news/library-hours" not in gazette.requests
    assert RobotsTxt.objects.filter(origin=gazette.base_url).exists()
