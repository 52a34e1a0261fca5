"""Nothing a feed lists is dropped without a word: a 5,000-entry feed is stored whole
(the pages are fetched over the following polls), and entries beyond the parse cap
are counted on the feed (issue #16: 4,000 of 5,000 vanished)."""

from __future__ import annotations

from datetime import timedelta

import pytest

import cupure.feeds.parse
import cupure.sources.services
from cupure.sources.models import Entry, Feed
from cupure.sources.services import feed_poll
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import subscribe

pytestmark = [pytest.mark.django_db, pytest.mark.faults]


def many_entries(site: LoopbackSite, count: int) -> None:
    items = "".join(
        f"<item><title>Item {i}</title><link>{site.base_url}/a/{i}</link>"
        f"<guid>item-{i}</guid></item>"
        for i in range(count)
    )
    document = f"<rss version='2.0'><channel><title>Many</title>{items}</channel></rss>"
    site.pages["/many.xml"] = Page(document.encode(), "application/rss+xml")


def test_a_5000_entry_feed_is_stored_whole(
    loopback_site: LoopbackSite, allow_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All 5,000 entries are stored (pending, for the next polls to fetch: the
    poll's time budget is spent at once here); a second poll adds none."""
    monkeypatch.setattr(cupure.sources.services, "POLL_TIME_BUDGET", timedelta(0))
    many_entries(loopback_site, 5000)
    feed = subscribe(loopback_site, "/many.xml")

    first = feed_poll(feed=feed)
    loopback_site.pages["/many.xml"].body += b" "
    second = feed_poll(feed=feed)

    assert first.ok and first.new_entries == 5000
    assert second.ok and second.new_entries == 0
    assert Entry.objects.filter(status=Entry.Status.PENDING).count() == 5000
    feed.refresh_from_db()
    assert feed.last_poll_note == ""


def test_entries_beyond_the_cap_are_counted_on_the_feed(
    loopback_site: LoopbackSite, allow_loopback: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the parse cap (lowered here) the entries left out are counted in the
    feed's note, which `cupure feeds` shows."""
    from cupure.sources.selectors import feed_health_rows

    monkeypatch.setattr(cupure.sources.services, "POLL_TIME_BUDGET", timedelta(0))
    monkeypatch.setattr(cupure.feeds.parse, "MAX_ENTRIES", 100)
    many_entries(loopback_site, 150)
    feed = subscribe(loopback_site, "/many.xml")

    result = feed_poll(feed=feed)

    assert result.ok and result.new_entries == 100
    feed = Feed.objects.get(pk=feed.pk)
    assert "50 entries after the first 100 were ignored" in feed.last_poll_note
    (row,) = feed_health_rows()
    assert row["last_poll_note"] == feed.last_poll_note
    assert row["pending_entries"] == 100
