"""feed_poll's scheduling and health: adaptive intervals, server hints, Retry-After,
backoff, broken, 410, permanent redirects, feed discovery, charsets, robots.txt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.feeds.schedule import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_CEILING_SECONDS,
    BACKOFF_JITTER_SHARE,
    BROKEN_AFTER_FAILURES,
    BROKEN_POLL_SECONDS,
)
from cupure.sources.models import Entry, Feed
from cupure.sources.selectors import feed_list_due
from cupure.sources.services import feed_poll, feed_refresh
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import fixture, subscribe

pytestmark = pytest.mark.django_db

# The Gazette's entries are dated 09:30 and 11:00 that day; polls happen at noon.
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def seconds_to_next_poll(feed: Feed, now: datetime) -> float:
    feed.refresh_from_db()
    assert feed.next_poll_at is not None
    return (feed.next_poll_at - now).total_seconds()


def test_healthy_feed_is_polled_at_its_publishing_rate(gazette: LoopbackSite) -> None:
    """Two entries 90 min apart (09:30, 11:00): polled twice per gap, so the next
    poll is 45 min away, and the feed says why."""
    feed = subscribe(gazette, "/rss.xml")

    assert feed_poll(feed=feed, now=NOON).ok

    assert seconds_to_next_poll(feed, NOON) == pytest.approx(45 * 60)
    assert feed.poll_reason == "every 45 min: publishes every ~1.5 h"
    assert feed.poll_interval_seconds == 45 * 60


def test_cache_control_only_lengthens_the_interval(gazette: LoopbackSite) -> None:
    """max-age=7200 pushes the 45 min interval to 2 h; max-age=60 changes nothing."""
    gazette.pages["/rss.xml"].headers["Cache-Control"] = "max-age=7200"
    feed = subscribe(gazette, "/rss.xml")
    feed_poll(feed=feed, now=NOON)
    assert seconds_to_next_poll(feed, NOON) == pytest.approx(7200)
    assert feed.poll_reason.endswith("; Cache-Control/Expires 2 h")

    gazette.pages["/rss.xml"].headers["Cache-Control"] = "max-age=60"
    gazette.pages["/rss.xml"].body += b" "  # new ETag: a full answer
    feed_poll(feed=feed, now=NOON)
    assert seconds_to_next_poll(feed, NOON) == pytest.approx(45 * 60)


def test_feeds_of_one_host_share_its_request_budget(
    gazette: LoopbackSite, settings: pytest.MonkeyPatch
) -> None:
    """Budget 1 request/h for the host: the RSS feed alone wants 45 min (1.33/h),
    so it is slowed to 60 min; the Atom feed polled next shares the hour with what
    the RSS feed wants. Each feed says so, and `cupure feeds` rows carry it."""
    from cupure.sources.selectors import feed_health_rows

    settings.CUPURE_POLL_HOST_BUDGET = 1  # type: ignore[attr-defined]
    rss = subscribe(gazette, "/rss.xml")
    atom = subscribe(gazette, "/atom.xml")

    feed_poll(feed=rss, now=NOON)
    assert seconds_to_next_poll(rss, NOON) == pytest.approx(3600, abs=1)
    assert rss.poll_reason.endswith("127.0.0.1 budget 1 requests/h shared by 2 feeds")

    feed_poll(feed=atom, now=NOON)
    atom.refresh_from_db()
    wanted = atom.poll_interval_seconds
    assert wanted is not None
    share = (3600 / wanted + 3600 / (45 * 60)) / 1
    assert seconds_to_next_poll(atom, NOON) == pytest.approx(wanted * share, abs=1)
    reasons = {row["url"]: row["poll_reason"] for row in feed_health_rows()}
    assert reasons[atom.url] == atom.poll_reason
    assert "budget" in reasons[atom.url]


def test_a_poll_finding_only_new_entries_polls_again_at_the_floor(
    gazette: LoopbackSite,
) -> None:
    """The second poll finds twelve entries, none seen before: some may have
    scrolled off unseen, so the next poll is at the floor (5 min)."""

    def items(first: int, count: int) -> bytes:
        entries = "".join(
            f"<item><title>Story {n}</title><link>{gazette.url(f'/s/{n}')}</link>"
            f"<guid>s-{n}</guid><pubDate>Mon, 23 Nov 2026 {n % 12:02d}:00:00 +0000"
            "</pubDate></item>"
            for n in range(first, first + count)
        )
        return (
            f'<rss version="2.0"><channel><title>Busy</title>{entries}</channel></rss>'
        ).encode()

    gazette.pages["/busy.xml"] = Page(items(0, 1), "application/rss+xml")
    feed = subscribe(gazette, "/busy.xml")
    feed_poll(feed=feed, now=NOON)
    assert "every entry" not in Feed.objects.get(pk=feed.pk).poll_reason

    gazette.pages["/busy.xml"] = Page(items(100, 12), "application/rss+xml")
    assert feed_poll(feed=feed, now=NOON).new_entries == 12

    assert seconds_to_next_poll(feed, NOON) == 5 * 60
    assert "every entry it listed was new" in feed.poll_reason


def test_feed_ttl_is_kept_for_not_modified_polls(gazette: LoopbackSite) -> None:
    """<ttl>180</ttl> gives a 3 h interval, and the 304 poll after it keeps it."""
    gazette.pages["/weekly.xml"] = Page(
        fixture("feed_ttl.xml", gazette), "application/rss+xml"
    )
    feed = subscribe(gazette, "/weekly.xml")
    feed_poll(feed=feed, now=NOON)
    assert seconds_to_next_poll(feed, NOON) == pytest.approx(3 * 3600)

    again = feed_poll(feed=feed, now=NOON)

    assert again.not_modified
    assert seconds_to_next_poll(feed, NOON) == pytest.approx(3 * 3600)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(gazette: LoopbackSite, status: int) -> None:
    """429/503 with Retry-After: 3600 backs off an hour (longer than the first
    backoff step), marks the feed failing and records the code and reason."""
    gazette.pages["/busy.xml"] = Page(
        b"slow down", "text/plain", status=status, headers={"Retry-After": "3600"}
    )
    feed = subscribe(gazette, "/busy.xml")

    result = feed_poll(feed=feed, now=NOON)

    assert not result.ok and result.error_code == "rate_limited"
    assert seconds_to_next_poll(feed, NOON) == pytest.approx(3600)
    assert feed.poll_reason == ("in 60 min: the server asked us to wait (Retry-After)")
    assert BACKOFF_BASE_SECONDS < 3600
    assert feed.status == Feed.Status.FAILING
    assert feed.last_error_code == "rate_limited"
    assert str(status) in feed.last_error


def test_gone_feed_is_deactivated_and_no_longer_due(gazette: LoopbackSite) -> None:
    """410 makes the feed inactive with no next poll; the scheduler skips it."""
    gazette.pages["/gone.xml"] = Page(b"", "text/plain", status=410)
    feed = subscribe(gazette, "/gone.xml")

    result = feed_poll(feed=feed, now=NOON)

    feed.refresh_from_db()
    assert not result.ok and result.error_code == "gone"
    assert feed.status == Feed.Status.INACTIVE
    assert feed.next_poll_at is None
    assert feed.last_error
    assert feed not in feed_list_due(now=NOON + timedelta(days=30))


def test_feed_is_broken_after_repeated_failures_until_refreshed(
    gazette: LoopbackSite,
) -> None:
    """Failures back off exponentially; after BROKEN_AFTER_FAILURES in a row the feed
    is broken and polled weekly; an admin refresh clears it and polls at once."""
    gazette.pages["/flaky.xml"] = Page(b"oops", "text/plain", status=500)
    feed = subscribe(gazette, "/flaky.xml")
    now = NOON
    delays = []
    for _ in range(BROKEN_AFTER_FAILURES):
        feed_poll(feed=feed, now=now)
        delays.append(seconds_to_next_poll(feed, now))
        now = feed.next_poll_at
        if feed.consecutive_failures < BROKEN_AFTER_FAILURES:
            assert feed.status == Feed.Status.FAILING

    # Doubling, each lengthened by a random share (jitter) of at most 20 %.
    spread = 1 + BACKOFF_JITTER_SHARE
    for delay, factor in zip(delays[:3], (1, 2, 4), strict=True):
        assert (
            BACKOFF_BASE_SECONDS * factor
            <= delay
            <= BACKOFF_BASE_SECONDS * factor * spread
        )
    assert all(d <= BACKOFF_CEILING_SECONDS * spread for d in delays[:-1])
    assert feed.status == Feed.Status.BROKEN
    assert BROKEN_POLL_SECONDS <= delays[-1] <= BROKEN_POLL_SECONDS * spread
    assert "500" in feed.last_error

    gazette.pages["/flaky.xml"] = Page(
        fixture("feed_rss2.xml", gazette), "application/rss+xml"
    )
    result = feed_refresh(feed=feed)

    feed.refresh_from_db()
    assert result.ok and result.ingested == 2
    assert (feed.status, feed.consecutive_failures, feed.last_error) == (
        Feed.Status.OK,
        0,
        "",
    )


def test_permanent_redirect_is_adopted_once_it_repeats(gazette: LoopbackSite) -> None:
    """A 301 is followed at once, but the stored URL changes only on the second poll
    that sees it; entries are not stored twice."""
    gazette.pages["/old.xml"] = Page(
        b"", status=301, headers={"Location": gazette.url("/rss.xml")}
    )
    feed = subscribe(gazette, "/old.xml")

    first = feed_poll(feed=feed)
    feed.refresh_from_db()
    assert first.ok and first.new_entries == 2
    assert feed.url == gazette.url("/old.xml")
    assert (feed.redirect_pending_url, feed.redirect_seen) == (
        gazette.url("/rss.xml"),
        1,
    )

    second = feed_poll(feed=feed)
    feed.refresh_from_db()
    assert second.ok
    assert feed.url == gazette.url("/rss.xml")
    assert (feed.redirect_pending_url, feed.redirect_seen) == ("", 0)
    assert Entry.objects.count() == 2


def test_redirect_to_a_disallowed_address_is_never_followed(
    gazette: LoopbackSite,
) -> None:
    """A 301 to 127.0.0.2 (loopback outside the allow list) fails as blocked; the
    stored URL is kept and nothing is pending."""
    gazette.pages["/trap.xml"] = Page(
        b"", status=301, headers={"Location": "http://127.0.0.2/rss.xml"}
    )
    feed = subscribe(gazette, "/trap.xml")

    for _ in range(2):
        result = feed_poll(feed=feed)
        assert not result.ok and result.error_code == "blocked_address"

    feed.refresh_from_db()
    assert feed.url == gazette.url("/trap.xml")
    assert feed.redirect_pending_url == ""
    assert "127.0.0.2" in feed.last_error


def test_html_page_with_one_feed_is_followed_and_adopted(
    gazette: LoopbackSite,
) -> None:
    """A homepage advertising exactly one feed: that feed is polled and becomes the
    subscription (decision: one unambiguous feed is adopted if it parses)."""
    gazette.pages["/"] = Page(fixture("page_one_feed.html", gazette))
    feed = subscribe(gazette, "/")

    result = feed_poll(feed=feed)

    feed.refresh_from_db()
    assert result.ok and result.new_entries == 2
    assert feed.url == gazette.url("/rss.xml")
    assert feed.status == Feed.Status.OK


def test_html_page_with_several_feeds_records_them_as_the_reason(
    gazette: LoopbackSite,
) -> None:
    """Two advertised feeds: we do not choose; the reason lists both."""
    gazette.pages["/"] = Page(fixture("page_two_feeds.html", gazette))
    feed = subscribe(gazette, "/")

    result = feed_poll(feed=feed)

    feed.refresh_from_db()
    assert not result.ok and feed.last_error_code == "not_a_feed"
    assert gazette.url("/rss.xml") in feed.last_error
    assert gazette.url("/atom.xml") in feed.last_error
    assert feed.url == gazette.url("/")
    assert "/rss.xml" not in gazette.requests


def test_html_page_advertising_an_internal_feed_is_refused(
    gazette: LoopbackSite,
) -> None:
    """The one advertised feed is on a blocked address: refused, URL kept."""
    gazette.pages["/"] = Page(fixture("page_feed_inside.html", gazette))
    feed = subscribe(gazette, "/")

    result = feed_poll(feed=feed)

    feed.refresh_from_db()
    assert not result.ok and result.error_code == "blocked_address"
    assert feed.url == gazette.url("/")
    assert "127.0.0.2" in feed.last_error


def test_charset_from_the_content_type_header_is_used(gazette: LoopbackSite) -> None:
    """A KOI8-R feed without an XML declaration is read with the header's charset."""
    body = fixture("feed_koi8r.xml", gazette).decode().encode("koi8-r")
    gazette.pages["/koi8.xml"] = Page(body, "application/rss+xml; charset=koi8-r")
    feed = subscribe(gazette, "/koi8.xml")

    assert feed_poll(feed=feed).ok

    assert Entry.objects.get(feed=feed).title == "Новости дня"


def test_robots_txt_refusal_fails_the_entry_with_the_reason(
    gazette: LoopbackSite,
) -> None:
    """robots.txt disallows one article: it is never fetched, its entry is failed
    saying robots.txt refused it, and the other article is ingested."""
    gazette.pages["/robots.txt"] = Page(
        b"User-agent: *\nDisallow: /news/library-hours\n", "text/plain"
    )
    feed = subscribe(gazette, "/rss.xml")

    result = feed_poll(feed=feed)

    assert (result.ingested, result.failed) == (1, 1)
    refused = Entry.objects.get(guid="gazette-1002")
    assert refused.status == Entry.Status.FAILED
    assert "robots.txt" in refused.last_error
    assert "/news/library-hours" not in gazette.requests
    assert gazette.requests.count("/robots.txt") == 1


def test_busy_host_defers_the_feed_without_a_failure(
    gazette: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every slot of the host taken (other polls in flight), the feed is not
    fetched, counts no failure and is looked at again in a minute."""
    from contextlib import ExitStack

    from cupure.net.limits import MAX_REQUESTS_PER_HOST
    from cupure.sources import services

    monkeypatch.setattr(services, "HOST_SLOT_WAIT_SECONDS", 0.05)
    feed = subscribe(gazette, "/rss.xml")
    with ExitStack() as held:
        for _ in range(MAX_REQUESTS_PER_HOST):
            held.enter_context(services.host_limiter().slot(gazette.base_url))
        result = feed_poll(feed=feed, now=NOON)

    assert not result.ok and result.error_code == "host_busy"
    assert gazette.requests == []
    feed.refresh_from_db()
    assert (feed.status, feed.consecutive_failures) == (Feed.Status.OK, 0)
    assert seconds_to_next_poll(feed, NOON) == services.HOST_BUSY_RETRY.total_seconds()
