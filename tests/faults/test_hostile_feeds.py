"""Hostile feeds and pages cost their own entry at most, never the feed or the poll,
and a failing feed is never polled faster than its backoff (issue #16)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cupure.articles.models import Article
from cupure.sources.models import Entry, Feed
from cupure.sources.selectors import feed_list_due
from cupure.sources.services import feed_poll
from tests.faults.hostile import serve_hostile
from tests.loopback import LoopbackSite
from tests.sources.conftest import subscribe

pytestmark = [pytest.mark.django_db, pytest.mark.faults]


def test_hostile_feeds_store_every_good_entry(
    loopback_site: LoopbackSite, allow_loopback: None
) -> None:
    """Overflowing dates, NUL bytes, invalid UTF-8, a 10 MB heading, duplicate guids
    and links: every good entry is stored once, each feed polls OK, and the only
    failures are on entries, with their reason."""
    hostile = serve_hostile(loopback_site)
    feeds = [subscribe(loopback_site, path) for path in hostile.feed_paths]

    results = [feed_poll(feed=feed) for feed in feeds]

    assert all(r.ok for r in results), [r.error for r in results]
    stored = Entry.objects.filter(status=Entry.Status.INGESTED).count()
    assert stored == hostile.good
    assert Entry.objects.count() == hostile.good + hostile.hostile
    for entry in Entry.objects.filter(status=Entry.Status.FAILED):
        assert entry.last_error, entry.link
    # Duplicates in the document are left out with a reason, and stored once.
    assert Article.objects.count() == stored
    assert len(set(Article.objects.values_list("canonical_url", flat=True))) == stored
    pages = Feed.objects.get(url=loopback_site.url("/pages.xml"))
    assert "duplicate guid" in pages.last_poll_note
    assert "same link" in pages.last_poll_note
    # Every stored date is one the database and Python can hold.
    for article in Article.objects.all():
        assert 1990 <= article.published.year <= 2100, article.title
    assert "\x00" not in "".join(Article.objects.values_list("title", flat=True))


def test_a_crash_on_one_page_costs_that_entry_only(
    loopback_site: LoopbackSite, allow_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error nobody foresaw while ingesting one page marks that entry failed with
    the reason; the feed polls OK and its other entries are stored."""
    import cupure.articles.services as articles

    hostile = serve_hostile(loopback_site, huge_heading=False)
    real_extract = articles.extract_article

    def extract_or_crash(html: bytes, *, url: str | None = None):  # type: ignore[no-untyped-def]
        if url and url.endswith("/d/early"):
            raise RuntimeError("a bug in the extractor")
        return real_extract(html, url=url)

    monkeypatch.setattr(articles, "extract_article", extract_or_crash)
    feed = subscribe(loopback_site, "/dates.json")

    result = feed_poll(feed=feed)

    assert result.ok, result.error
    assert (result.ingested, result.failed) == (2, 1)
    broken = Entry.objects.get(link=loopback_site.url("/d/early"))
    assert broken.status == Entry.Status.FAILED
    assert "a bug in the extractor" in broken.last_error
    assert broken.attempts == 1
    feed.refresh_from_db()
    assert feed.status == Feed.Status.OK
    assert hostile.good > 0


def test_a_crashing_feed_backs_off_and_is_not_polled_again(
    loopback_site: LoopbackSite, allow_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed whose parse raises is recorded failing (internal error) and pushed out
    by the backoff: polling rounds after it do not fetch it again (the hot loop of
    issue #16 fetched it 895-1,685 times in 15 s)."""
    import cupure.sources.services as services
    from cupure.cli import _poll_round

    serve_hostile(loopback_site, huge_heading=False)

    def parse_crash(*args: object, **kwargs: object) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(services, "parse_feed", parse_crash)
    feed = subscribe(loopback_site, "/dates.json")

    for _round in range(5):
        _poll_round(every=False, workers=1)

    assert loopback_site.requests.count("/dates.json") == 1
    feed.refresh_from_db()
    assert feed.status == Feed.Status.FAILING
    assert feed.last_error_code == "internal_error"
    assert "OverflowError" in feed.last_error
    assert feed.consecutive_failures == 1
    assert (feed.next_poll_at - feed.last_polled_at).total_seconds() >= 600
    assert feed not in feed_list_due(now=feed.last_polled_at)


@pytest.mark.django_db(transaction=True)
def test_cupure_poll_asks_each_hostile_feed_once(
    tmp_path: Path, loopback_site: LoopbackSite
) -> None:
    """`cupure poll` running on the hostile feeds: each feed is fetched once (the
    hot loop of issue #16 fetched them 895-1,685 times in 15 s), every good page
    stored once."""
    from tests.faults.processes import (
        cupure_start,
        outcome,
        subscribe_all,
        wait_until,
    )

    hostile = serve_hostile(loopback_site)
    subscribe_all(tmp_path, loopback_site, hostile.feed_paths)
    poller = cupure_start(tmp_path, "poll", "--workers", "2")
    try:
        wait_until(
            lambda: all(p in loopback_site.requests for p in ("/p/huge", "/d/plain")),
            "the pages of both feeds",
        )
        # The poller keeps running for several rounds (it pauses 1 s at least).
        time.sleep(6)
    finally:
        poller.terminate()
        poller.wait(timeout=30)

    for path in hostile.feed_paths:
        assert loopback_site.requests.count(path) == 1, loopback_site.requests
    _feeds, articles = outcome(tmp_path)
    assert len(articles) == hostile.good
    assert len({a["url"] for a in articles}) == len(articles)
