"""kill -9 mid-ingest: of a pool process (replaced, its feeds polled again) and of
the poller itself (its pool dies with it; the next poller finishes the work at
once). Nothing lost, nothing twice, the publisher asked no more than needed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.faults.processes import (
    alive,
    children,
    cupure_run,
    cupure_start,
    kill9,
    outcome,
    publisher,
    subscribe_all,
    wait_until,
)
from tests.loopback import LoopbackSite

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

FEEDS, ENTRIES, PAGE_DELAY = 4, 3, 0.4


def page_requests(site: LoopbackSite) -> Counter[str]:
    return Counter(path for path in site.requests if "/a" in path)


def test_a_killed_pool_process_is_replaced_and_its_feeds_polled_again(
    tmp_path: Path, loopback_site: LoopbackSite
) -> None:
    """`cupure poll --once` with a pool process killed mid-ingest finishes the round:
    every article stored once, each feed fetched at most twice (the retry)."""
    paths = publisher(loopback_site, feeds=FEEDS, entries=ENTRIES, delay=PAGE_DELAY)
    subscribe_all(tmp_path, loopback_site, paths)
    poller = cupure_start(tmp_path, "poll", "--once", "--workers", "2")
    try:
        wait_until(lambda: page_requests(loopback_site), "the first article page")
        pool = children(poller.pid)
        assert pool, "no pool process found"
        kill9(pool[0])
        _out, err = poller.communicate(timeout=120)
    finally:
        poller.kill()
        poller.wait()

    assert "BrokenProcessPool" not in err
    assert "A poll process died" in err
    assert poller.returncode == 0, err
    feeds, articles = outcome(tmp_path)
    assert sum(row["articles"] for row in feeds) == FEEDS * ENTRIES
    assert len(articles) == FEEDS * ENTRIES
    assert len({a["url"] for a in articles}) == len(articles)
    assert all(row["failed_entries"] == 0 for row in feeds), feeds
    for path in paths:
        assert loopback_site.requests.count(path) <= 2, path
    assert max(page_requests(loopback_site).values()) <= 2


def test_a_killed_poller_takes_its_pool_along_and_the_next_one_finishes(
    tmp_path: Path, loopback_site: LoopbackSite
) -> None:
    """kill -9 of `cupure poll` mid-ingest: its pool processes exit with it (no
    orphans); the next `cupure poll --once` takes over the dead leases at once and
    ingests the pending pages without fetching those feeds again."""
    paths = publisher(loopback_site, feeds=FEEDS, entries=ENTRIES, delay=PAGE_DELAY)
    subscribe_all(tmp_path, loopback_site, paths)
    poller = cupure_start(tmp_path, "poll", "--workers", "2")
    try:
        wait_until(lambda: page_requests(loopback_site), "the first article page")
        pool = children(poller.pid)
        assert pool, "no pool process found"
        kill9(poller.pid)
        poller.wait(timeout=10)
        wait_until(lambda: not any(alive(pid) for pid in pool), "the pool to exit", 15)
    finally:
        poller.kill()
        poller.wait()
    fetched = {path: loopback_site.requests.count(path) for path in paths}

    second = cupure_run(tmp_path, "poll", "--once", "--workers", "2")

    assert second.returncode == 0, second.stderr
    feeds, articles = outcome(tmp_path)
    assert len(articles) == FEEDS * ENTRIES, (feeds, second.stderr, fetched)
    assert len({a["url"] for a in articles}) == len(articles)
    assert sum(row["pending_entries"] for row in feeds) == 0
    # A feed fetched and stored before the kill is not fetched again (its schedule
    # holds); only the polls cut short (one per pool process) are redone.
    counts = [loopback_site.requests.count(path) for path in paths]
    assert max(counts) <= 2 and sum(counts) <= FEEDS + 2, (counts, fetched)
    assert max(page_requests(loopback_site).values()) <= 2


@pytest.mark.django_db
def test_a_feed_whose_polls_keep_dying_backs_off(
    loopback_site: LoopbackSite, allow_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll that never finishes (its process dies) is retried at once the first
    time, then only after the backoff: no loop of requests from a feed that kills
    its poller."""
    import cupure.sources.services as services
    from cupure.sources.models import Feed
    from cupure.sources.selectors import feed_list_due
    from tests.sources.conftest import subscribe

    publisher(loopback_site, feeds=1, entries=1, delay=0)
    feed = subscribe(loopback_site, "/f0.xml")

    def die(*args: object) -> None:
        raise SystemExit("killed")  # as a process death: nothing after it runs

    monkeypatch.setattr(services, "_feed_poll_leased", die)
    with pytest.raises(SystemExit):
        services.feed_poll(feed=feed)
    feed.refresh_from_db()
    assert feed.unfinished_polls == 1
    assert feed in feed_list_due(now=services.timezone.now())

    with pytest.raises(SystemExit):
        services.feed_poll(feed=feed)
    feed = Feed.objects.get(pk=feed.pk)
    assert feed.unfinished_polls == 2
    assert feed not in feed_list_due(now=services.timezone.now())
    wait = (feed.next_poll_at - services.timezone.now()).total_seconds()
    assert wait >= services.backoff_interval(1) - 60

    monkeypatch.undo()
    feed.next_poll_at = None
    feed.save(update_fields=["next_poll_at"])
    assert services.feed_poll(feed=feed).ok
    feed.refresh_from_db()
    assert feed.unfinished_polls == 0
