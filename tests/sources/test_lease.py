"""The poll lease: one worker per feed at a time, and no feed stuck by a dead one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.sources.models import Feed
from cupure.sources.selectors import feed_list_due
from cupure.sources.services import (
    POLL_LEASE,
    feed_lease_claim,
    feed_lease_release,
    feed_lease_renew,
    feed_leases_reap,
    feed_poll,
    lease_holder,
)
from tests.loopback import LoopbackSite
from tests.sources.conftest import subscribe

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_second_claimer_is_refused(gazette: LoopbackSite) -> None:
    """While one worker holds the lease, a second claim fails."""
    feed = subscribe(gazette, "/rss.xml")

    first = feed_lease_claim(feed_id=feed.pk, now=NOON)
    second = feed_lease_claim(feed_id=feed.pk, now=NOON + timedelta(seconds=1))

    assert first == NOON + POLL_LEASE
    assert second is None


def test_expired_lease_is_taken_over(gazette: LoopbackSite) -> None:
    """A worker killed mid-poll never releases; its lease expires and is taken."""
    feed = subscribe(gazette, "/rss.xml")
    feed_lease_claim(feed_id=feed.pk, now=NOON)

    later = NOON + POLL_LEASE + timedelta(seconds=1)
    taken = feed_lease_claim(feed_id=feed.pk, now=later)

    assert taken == later + POLL_LEASE


def test_release_does_not_free_another_workers_lease(gazette: LoopbackSite) -> None:
    """A slow worker whose lease expired and was taken over cannot release the new
    holder's lease when it finally finishes."""
    feed = subscribe(gazette, "/rss.xml")
    stale = feed_lease_claim(feed_id=feed.pk, now=NOON)
    assert stale is not None
    current = feed_lease_claim(feed_id=feed.pk, now=NOON + POLL_LEASE * 2)

    feed_lease_release(feed_id=feed.pk, lease=stale)

    feed.refresh_from_db()
    assert feed.poll_lease_until == current


def test_poll_of_a_leased_feed_is_skipped_without_fetching(
    gazette: LoopbackSite,
) -> None:
    """feed_poll on a feed another worker holds does nothing and fetches nothing."""
    feed = subscribe(gazette, "/rss.xml")
    now = datetime.now(UTC)
    feed_lease_claim(feed_id=feed.pk, now=now)

    result = feed_poll(feed=feed, now=now)

    assert result.skipped
    assert gazette.requests == []
    assert feed not in feed_list_due(now=now)


def test_poll_gives_the_lease_back(gazette: LoopbackSite) -> None:
    """After a poll (good or failed) the feed holds no lease."""
    feed = subscribe(gazette, "/rss.xml")
    broken = subscribe(gazette, "/missing.xml")

    assert feed_poll(feed=feed).ok
    assert not feed_poll(feed=broken).ok

    assert set(Feed.objects.values_list("poll_lease_until", flat=True)) == {None}


@pytest.mark.django_db(transaction=True)
def test_racing_claimers_get_exactly_one_lease(gazette: LoopbackSite) -> None:
    """Eight threads (eight database connections) claim one feed at the same moment:
    exactly one wins."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    feed = subscribe(gazette, "/rss.xml")
    start = Barrier(8)

    def claim(_: int) -> bool:
        try:
            start.wait()
            return feed_lease_claim(feed_id=feed.pk, now=NOON) is not None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(claim, range(8)))

    assert outcomes.count(True) == 1


def dead_pid() -> int:
    """The pid of a process that ran and is gone."""
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_dead_holders_lease_is_taken_over_at_once(gazette: LoopbackSite) -> None:
    """A poller or Celery child killed mid-poll holds a lease naming a process that
    is gone on this host: the next claim (a redelivered task) takes it at once,
    long before it expires."""
    import socket

    feed = subscribe(gazette, "/rss.xml")
    now = datetime.now(UTC)
    dead = f"{socket.gethostname()}:{dead_pid()}:1"
    assert feed_lease_claim(feed_id=feed.pk, now=now, holder=dead)

    assert feed_lease_claim(feed_id=feed.pk, now=now + timedelta(seconds=1))
    feed.refresh_from_db()
    assert feed.poll_lease_holder == lease_holder()


def test_a_live_or_remote_holders_lease_is_respected(gazette: LoopbackSite) -> None:
    """A holder on another host (or alive here) keeps its lease until it expires."""
    feed = subscribe(gazette, "/rss.xml")
    other = subscribe(gazette, "/atom.xml")
    now = datetime.now(UTC)
    assert feed_lease_claim(feed_id=feed.pk, now=now, holder="elsewhere:1:1")
    assert feed_lease_claim(feed_id=other.pk, now=now, holder=lease_holder())

    soon = now + timedelta(seconds=1)
    assert feed_lease_claim(feed_id=feed.pk, now=soon, holder="x:2:2") is None
    assert feed_lease_claim(feed_id=other.pk, now=soon, holder="x:2:2") is None
    assert feed_leases_reap(now=soon) == 0
    later = now + POLL_LEASE + timedelta(seconds=1)
    assert feed_lease_claim(feed_id=feed.pk, now=later, holder="x:2:2")


def test_leases_of_dead_holders_are_reaped_and_renewal_needs_the_lease(
    gazette: LoopbackSite,
) -> None:
    """A new poller frees the leases of dead processes on this host before it looks
    for work; a holder renews only a lease it still holds."""
    import socket

    feed = subscribe(gazette, "/rss.xml")
    now = datetime.now(UTC)
    dead = f"{socket.gethostname()}:{dead_pid()}:1"
    feed_lease_claim(feed_id=feed.pk, now=now, holder=dead)

    assert feed_lease_renew(feed_id=feed.pk, holder="someone-else:1:1") is None
    assert feed_leases_reap(now=now) == 1
    assert feed in feed_list_due(now=now)
    assert feed_lease_renew(feed_id=feed.pk, holder=dead) is None


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_short_lease_alive_while_the_poll_runs(
    gazette: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a poll runs its lease is renewed (a killed poller's lease therefore ends
    within POLL_LEASE, not after the whole poll budget)."""
    import time

    import cupure.sources.services as services

    monkeypatch.setattr(services, "LEASE_HEARTBEAT_SECONDS", 0.05)
    feed = subscribe(gazette, "/rss.xml")
    holder = lease_holder()
    first = feed_lease_claim(feed_id=feed.pk, holder=holder)
    assert first is not None

    with services._LeaseHeartbeat(feed.pk, holder) as heartbeat:
        deadline = time.monotonic() + 10
        while heartbeat.lease is None and time.monotonic() < deadline:
            time.sleep(0.05)

    assert heartbeat.lease is not None and heartbeat.lease > first
    feed.refresh_from_db()
    assert feed.poll_lease_until == heartbeat.lease
    assert feed.poll_lease_holder == holder
