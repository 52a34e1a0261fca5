"""A confirmed permanent redirect is adopted only if its target is still allowed and
not already another subscription (issue #23: both rules survived mutation)."""

from __future__ import annotations

import logging

import pytest

from cupure.sources.models import Entry, Feed
from cupure.sources.services import _feed_adopt_redirect, feed_poll
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import subscribe

pytestmark = pytest.mark.django_db


def test_redirect_onto_an_existing_subscription_is_not_adopted(
    gazette: LoopbackSite, caplog: pytest.LogCaptureFixture
) -> None:
    """Two subscriptions may not end up with one URL: the moved feed keeps its own,
    and the warning names the feed it would have duplicated."""
    gazette.pages["/old.xml"] = Page(
        b"", status=301, headers={"Location": gazette.url("/rss.xml")}
    )
    existing = subscribe(gazette, "/rss.xml")
    moved = subscribe(gazette, "/old.xml")

    with caplog.at_level(logging.WARNING, logger="cupure.sources.services"):
        for _ in range(2):
            assert feed_poll(feed=moved).ok

    moved.refresh_from_db()
    assert moved.url == gazette.url("/old.xml")
    assert (moved.redirect_pending_url, moved.redirect_seen) == ("", 0)
    assert Feed.objects.filter(url=gazette.url("/rss.xml")).get() == existing
    assert "already subscribed" in caplog.text
    assert gazette.url("/rss.xml") in caplog.text
    assert Entry.objects.filter(feed=moved).count() == 2


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.2/rss.xml", "loopback"),
        ("http://10.0.0.7/rss.xml", "private"),
        ("http://[2001:2::1]/rss.xml", "not globally routable"),
        ("ftp://gazette.example/rss.xml", "http"),
    ],
)
def test_a_target_no_longer_allowed_is_not_adopted(
    gazette: LoopbackSite, caplog: pytest.LogCaptureFixture, target: str, reason: str
) -> None:
    """Every hop passed the fetcher's checks when it was followed, but the stored URL
    is checked again on adoption (the allow list or DNS may have changed since)."""
    feed = subscribe(gazette, "/rss.xml")
    with caplog.at_level(logging.WARNING, logger="cupure.sources.services"):
        _feed_adopt_redirect(feed, target)
    feed.refresh_from_db()
    assert feed.url == gazette.url("/rss.xml")
    assert "Permanent redirect not adopted" in caplog.text
    assert reason in caplog.text


def test_an_allowed_free_target_is_adopted(gazette: LoopbackSite) -> None:
    """The other side of both rules: an allowed URL nobody else has is stored."""
    feed = subscribe(gazette, "/old.xml")
    _feed_adopt_redirect(feed, gazette.url("/rss.xml"))
    feed.refresh_from_db()
    assert feed.url == gazette.url("/rss.xml")
