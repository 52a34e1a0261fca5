"""WebSub push end to end: a real hub on 127.0.0.1 (tests/websub_hub.py), the site's
callback served by the live server, feeds on a loopback site. Subscription with a
per-subscription secret, intent verification, signed distribution only, lease
renewal, fallback to polling, unsubscription when a feed is removed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from urllib.parse import urlencode

import httpx
import pytest
from django.db import OperationalError
from django.utils import timezone

from cupure.articles.models import Article
from cupure.feeds.schedule import PUSHED_POLL_SECONDS
from cupure.feeds.websub import sign
from cupure.sources.models import Entry, Feed, WebSubSubscription
from cupure.sources.selectors import feed_health_rows
from cupure.sources.services import feed_poll, feed_poll_plan
from cupure.sources.websub import (
    RETRY_AFTER_FAILURE,
    feed_is_pushed,
    feed_remove,
    websub_maintain,
)
from tests.faults.processes import wait_until
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import fixture, subscribe
from tests.websub_hub import WebSubHubServer

pytestmark = pytest.mark.django_db(transaction=True)

State = WebSubSubscription.State
BRIDGE = (
    "gazette-1001",
    "Harbour bridge reopens after repairs",
    "/news/bridge-reopens",
    "Mon, 23 Nov 2026 09:30:00 +0000",
)
LIBRARY = (
    "gazette-1002",
    "Library extends its opening hours",
    "/news/library-hours",
    "Mon, 23 Nov 2026 11:00:00 +0000",
)


def rss(site: LoopbackSite, *items: tuple[str, str, str, str], hub: str = "") -> bytes:
    """An RSS feed of ``items`` on ``site``, naming ``hub`` in the document."""
    hub_link = f'<atom:link rel="hub" href="{hub}"/>' if hub else ""
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link>"
        f'<guid isPermaLink="false">{guid}</guid><pubDate>{date}</pubDate></item>'
        for guid, title, path, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>The Test Gazette</title><link>{site.url('/')}</link>{hub_link}"
        f"{entries}</channel></rss>"
    ).encode()


def unlocked(condition: Callable[[], object]) -> Callable[[], bool]:
    """``condition``, False while SQLite's shared in-memory test database says a
    table is locked by the live server's thread (it refuses instead of waiting)."""

    def check() -> bool:
        try:
            return bool(condition())
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            return False

    return check


@pytest.fixture
def pushes_ingested(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set when the background ingest of pushed entries has finished: the test
    waits on it instead of reading the database while that thread writes."""
    from cupure.sources import websub

    done = threading.Event()
    ingest = websub._ingest_in_thread

    def ingest_and_signal(feed_id: int) -> None:
        try:
            ingest(feed_id)
        finally:
            done.set()

    monkeypatch.setattr(websub, "_ingest_in_thread", ingest_and_signal)
    return done


@pytest.fixture
def site(
    loopback_site: LoopbackSite, allow_loopback: None, settings, live_server
) -> LoopbackSite:
    """The Gazette's two article pages; the site's public URL is the live server."""
    settings.CUPURE_PUBLIC_URL = live_server.url
    loopback_site.pages["/news/bridge-reopens"] = Page(
        fixture("article_bridge.html", loopback_site)
    )
    loopback_site.pages["/news/library-hours"] = Page(
        fixture("article_library.html", loopback_site)
    )
    return loopback_site


@pytest.fixture
def hub() -> Iterator[WebSubHubServer]:
    with WebSubHubServer() as server:
        yield server


def pushed_feed(site: LoopbackSite, hub: WebSubHubServer) -> Feed:
    """A feed whose hub is named in the HTTP Link header, polled once and
    subscribed (the hub verified)."""
    site.pages["/feed.xml"] = Page(
        rss(site, BRIDGE),
        "application/rss+xml",
        headers={
            "Link": f'<{hub.url}>; rel="hub", <{site.url("/feed.xml")}>; rel="self"'
        },
    )
    feed = subscribe(site, "/feed.xml")
    assert feed_poll(feed=feed).ok
    wait_until(
        unlocked(
            lambda: WebSubSubscription.objects.filter(
                feed=feed, state=State.ACTIVE
            ).exists()
        ),
        "the hub's verification",
    )
    # The hub records us once our answer reaches it, a moment after we stored it.
    wait_until(lambda: hub.hub.subscribed(site.url("/feed.xml")), "the hub")
    return feed


def test_pushed_article_arrives_without_a_poll(
    site: LoopbackSite,
    hub: WebSubHubServer,
    live_server,
    pushes_ingested: threading.Event,
) -> None:
    """Discovered from the Link header; the request carries our callback, the topic
    and a long random secret; once verified the feed is polled only as a safety
    net, and a distributed feed's new article is ingested without fetching the
    feed again."""
    feed = pushed_feed(site, hub)
    (request,) = hub.requests
    assert request["hub.mode"] == "subscribe"
    assert request["hub.topic"] == site.url("/feed.xml")
    assert request["hub.callback"].startswith(f"{live_server.url}/websub/")
    assert len(request["hub.secret"]) >= 40
    subscription = WebSubSubscription.objects.get(feed=feed)
    assert subscription.secret == request["hub.secret"]
    assert feed_is_pushed(feed, now=timezone.now())
    plan = feed_poll_plan(feed, now=timezone.now())
    assert plan.seconds >= PUSHED_POLL_SECONDS
    assert "pushed by its hub" in plan.reason

    feed_fetches = site.requests.count("/feed.xml")
    statuses = hub.hub.publish(
        site.url("/feed.xml"), rss(site, BRIDGE, LIBRARY), "application/rss+xml"
    )

    assert statuses == [202]
    assert pushes_ingested.wait(30), "the pushed article was not ingested"
    assert Article.objects.filter(title="Library extends its opening hours").exists()
    assert site.requests.count("/feed.xml") == feed_fetches
    subscription.refresh_from_db()
    assert subscription.pushes == 1 and subscription.last_push_at is not None
    (row,) = feed_health_rows()
    assert row["push"]["state"] == "active"
    assert (row["push"]["hub"], row["push"]["pushes"]) == (hub.url, 1)


def test_each_subscription_has_its_own_secret(
    site: LoopbackSite, hub: WebSubHubServer
) -> None:
    """Two feeds named by the hub in their documents: two tokens, two secrets."""
    for path in ("/a.xml", "/b.xml"):
        site.pages[path] = Page(rss(site, BRIDGE, hub=hub.url), "application/rss+xml")
        feed_poll(feed=subscribe(site, path))
    wait_until(
        unlocked(
            lambda: WebSubSubscription.objects.filter(state=State.ACTIVE).count() == 2
        ),
        "both verifications",
    )
    wait_until(lambda: len(hub.hub.subscribed(site.url("/b.xml"))) == 1, "the hub")
    first, second = WebSubSubscription.objects.order_by("id")
    assert first.token != second.token and first.secret != second.secret
    assert (first.topic_url, second.topic_url) == (
        site.url("/a.xml"),
        site.url("/b.xml"),
    )


def test_content_is_accepted_only_with_a_valid_signature(
    site: LoopbackSite, hub: WebSubHubServer, live_server
) -> None:
    """No signature, a signature with another secret, an unknown method: 403 and
    nothing stored. The subscription's secret, sha1 or sha256: accepted."""
    feed = pushed_feed(site, hub)
    subscription = WebSubSubscription.objects.get(feed=feed)
    callback = f"{live_server.url}/websub/{subscription.token}"
    body = rss(site, BRIDGE, LIBRARY)
    entries = Entry.objects.count()

    for signature in (
        None,
        sign("not-the-secret", body),
        "md5=" + sign(subscription.secret, body).split("=", 1)[1],
        sign(subscription.secret, body + b" "),
    ):
        headers = {"Content-Type": "application/rss+xml"}
        if signature:
            headers["X-Hub-Signature"] = signature
        answer = httpx.post(callback, content=body, headers=headers)
        assert answer.status_code == 403, signature
    assert Entry.objects.count() == entries

    answer = httpx.post(
        callback,
        content=body,
        headers={
            "Content-Type": "application/rss+xml",
            "X-Hub-Signature": sign(subscription.secret, body, "sha1"),
        },
    )
    assert answer.status_code == 202
    assert Entry.objects.count() == entries + 1
    unknown = httpx.post(f"{live_server.url}/websub/nope", content=body)
    assert unknown.status_code == 404


def test_a_signed_body_that_is_not_a_feed_stores_nothing(
    site: LoopbackSite, hub: WebSubHubServer, live_server
) -> None:
    feed = pushed_feed(site, hub)
    subscription = WebSubSubscription.objects.get(feed=feed)
    body = b"<html><body>hello</body></html>"
    answer = httpx.post(
        f"{live_server.url}/websub/{subscription.token}",
        content=body,
        headers={
            "Content-Type": "text/html",
            "X-Hub-Signature": sign(subscription.secret, body),
        },
    )
    assert answer.status_code == 400
    assert "not a feed" in answer.text
    assert Entry.objects.filter(feed=feed).count() == 1


def test_verification_echoes_only_the_intent_we_asked_for(
    site: LoopbackSite, hub: WebSubHubServer, live_server
) -> None:
    """Wrong topic, unknown token, an unsubscription we did not ask for, no
    challenge: 404. Our topic and mode: the challenge, as text."""
    feed = pushed_feed(site, hub)
    subscription = WebSubSubscription.objects.get(feed=feed)
    callback = f"{live_server.url}/websub/{subscription.token}"

    def verify(url: str, **params: str) -> httpx.Response:
        return httpx.get(f"{url}?{urlencode(params)}")

    topic = site.url("/feed.xml")
    ask = {"hub.challenge": "c-123", "hub.lease_seconds": "600"}
    assert (
        verify(
            callback, **{"hub.mode": "subscribe", "hub.topic": "http://x/"}, **ask
        ).status_code
        == 404
    )
    assert (
        verify(
            f"{live_server.url}/websub/nope",
            **{"hub.mode": "subscribe", "hub.topic": topic},
            **ask,
        ).status_code
        == 404
    )
    assert (
        verify(
            callback, **{"hub.mode": "unsubscribe", "hub.topic": topic}, **ask
        ).status_code
        == 404
    )
    assert (
        verify(callback, **{"hub.mode": "subscribe", "hub.topic": topic}).status_code
        == 404
    )
    answer = verify(callback, **{"hub.mode": "subscribe", "hub.topic": topic}, **ask)
    assert (answer.status_code, answer.text) == (200, "c-123")
    assert "no-store" in answer.headers["Cache-Control"]
    subscription.refresh_from_db()
    assert subscription.lease_seconds == 600


def test_a_hub_that_stops_pushing_is_noticed_by_the_safety_poll(
    site: LoopbackSite, hub: WebSubHubServer
) -> None:
    """A poll finds an article published after the subscription that the hub never
    pushed: the subscription is failed with that reason and the feed goes back
    to adaptive polling."""
    from email.utils import format_datetime

    feed = pushed_feed(site, hub)
    later = timezone.now() + timedelta(minutes=20)
    unpushed = (*LIBRARY[:3], format_datetime(later, usegmt=True))
    site.pages["/feed.xml"].body = rss(site, BRIDGE, unpushed)

    result = feed_poll(feed=feed, now=later + timedelta(minutes=10))

    assert result.ok and result.new_entries == 1
    subscription = WebSubSubscription.objects.get(feed=feed)
    assert subscription.state == State.FAILED
    assert subscription.last_error == (
        "the hub did not push 1 new article(s) that a poll found"
    )
    feed.refresh_from_db()
    assert "pushed" not in feed.poll_reason
    assert not feed_is_pushed(feed, now=later)


def test_a_pushed_feed_whose_poll_finds_only_pushed_entries_stays_pushed(
    site: LoopbackSite, hub: WebSubHubServer
) -> None:
    """An entry published moments ago (within the hub's grace) is not a miss."""
    from email.utils import format_datetime

    feed = pushed_feed(site, hub)
    now = timezone.now() + timedelta(minutes=1)
    fresh = (*LIBRARY[:3], format_datetime(now, usegmt=True))
    site.pages["/feed.xml"].body = rss(site, BRIDGE, fresh)

    assert feed_poll(feed=feed, now=now + timedelta(seconds=30)).new_entries == 1

    assert WebSubSubscription.objects.get(feed=feed).state == State.ACTIVE


@pytest.mark.parametrize("failure", ["refused", "denied"])
def test_a_failing_hub_leaves_the_feed_polled(site: LoopbackSite, failure: str) -> None:
    """A hub answering 500, or denying the subscription: the subscription is failed
    with the reason, retried only later, and the feed keeps its adaptive polls."""
    options = (
        {"refuse_status": 500} if failure == "refused" else {"deny_reason": "full"}
    )
    with WebSubHubServer(**options) as hub:
        site.pages["/feed.xml"] = Page(
            rss(site, BRIDGE, hub=hub.url), "application/rss+xml"
        )
        feed = subscribe(site, "/feed.xml")
        assert feed_poll(feed=feed).ok
        wait_until(
            unlocked(
                lambda: WebSubSubscription.objects.filter(state=State.FAILED).exists()
            ),
            "the failure to be recorded",
        )
    subscription = WebSubSubscription.objects.get(feed=feed)
    expected = "500" if failure == "refused" else "hub denied the subscription: full"
    assert expected in subscription.last_error
    assert subscription.retry_at is not None
    assert subscription.retry_at >= timezone.now() + RETRY_AFTER_FAILURE - timedelta(
        minutes=1
    )
    feed.refresh_from_db()
    assert not feed_is_pushed(feed, now=timezone.now())
    assert feed.poll_reason == "every 24 h: no article in 7 days"
    # The next poll before the retry time does not ask the hub again.
    requests = len(hub.requests)
    feed_poll(feed=feed)
    assert len(hub.requests) == requests


def test_lease_is_renewed_before_it_ends_and_a_lapse_falls_back_to_polling(
    site: LoopbackSite, hub: WebSubHubServer
) -> None:
    feed = pushed_feed(site, hub)
    subscription = WebSubSubscription.objects.get(feed=feed)
    assert subscription.lease_expires_at is not None
    first_expiry = subscription.lease_expires_at

    # Early in the lease: nothing to do.
    assert websub_maintain(now=timezone.now()) == 0
    # Within the last fifth of the lease: renewed (same token and secret).
    assert websub_maintain(now=first_expiry - timedelta(minutes=30)) == 1
    wait_until(lambda: len(hub.requests) == 2, "the renewal request")
    renewal = hub.requests[1]
    assert (renewal["hub.mode"], renewal["hub.secret"]) == (
        "subscribe",
        subscription.secret,
    )
    wait_until(
        unlocked(
            lambda: (
                WebSubSubscription.objects.get(pk=subscription.pk).requested_at is None
            )
        ),
        "the renewal's verification",
    )
    subscription.refresh_from_db()
    assert subscription.state == State.ACTIVE
    assert subscription.lease_expires_at is not None
    assert subscription.lease_expires_at > first_expiry - timedelta(minutes=30)

    # The lease ends unrenewed (the hub is gone): the feed is polled at once.
    lapse = subscription.lease_expires_at + timedelta(seconds=1)
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=lapse + timedelta(hours=5))
    assert websub_maintain(now=lapse) == 1
    subscription.refresh_from_db()
    feed.refresh_from_db()
    assert subscription.state == State.EXPIRED
    assert not feed_is_pushed(feed, now=lapse)
    assert feed.next_poll_at == lapse
    assert feed.poll_reason == "now: the push lease ended, polled instead"


def test_removing_a_feed_unsubscribes_and_later_pushes_are_gone(
    site: LoopbackSite, hub: WebSubHubServer, live_server
) -> None:
    feed = pushed_feed(site, hub)
    subscription = WebSubSubscription.objects.get(feed=feed)
    topic = site.url("/feed.xml")
    assert hub.hub.subscribed(topic)

    assert feed_remove(feed=feed) == 1

    assert not Feed.objects.filter(pk=feed.pk).exists()
    assert hub.requests[-1]["hub.mode"] == "unsubscribe"
    wait_until(lambda: not hub.hub.subscribed(topic), "the hub to drop us")
    assert not WebSubSubscription.objects.filter(pk=subscription.pk).exists()
    # A push from a hub that did not hear of it: not ours any more.
    body = rss(site, BRIDGE)
    answer = httpx.post(
        f"{live_server.url}/websub/{subscription.token}",
        content=body,
        headers={"X-Hub-Signature": sign(subscription.secret, body)},
    )
    assert answer.status_code == 404


def test_demo_publish_arrives_on_the_site_by_push(
    allow_loopback: None,
    settings,
    live_server,
    capsys: pytest.CaptureFixture[str],
    pushes_ingested: threading.Event,
) -> None:
    """The demo publishers' feeds name their hub; `cupure demo-publish` publishes a
    wire article that the hub pushes, and it is ingested without another poll."""
    from cupure.cli import main
    from cupure.demo.server import DemoPublishers
    from cupure.sources.services import feed_create, publisher_get_or_create

    settings.CUPURE_PUBLIC_URL = live_server.url
    with DemoPublishers(port=0) as demo:
        (wire,) = [f for f in demo.feeds() if f.publisher == "Meridian Wire"]
        feed = feed_create(
            url=wire.feed_url,
            publisher=publisher_get_or_create(name=wire.publisher),
        )
        assert feed_poll(feed=feed).ok
        wait_until(
            unlocked(
                lambda: WebSubSubscription.objects.filter(state=State.ACTIVE).exists()
            ),
            "the demo hub's verification",
        )
        wait_until(lambda: demo.hub and demo.hub.subscribed(wire.feed_url), "the hub")
        polled = Entry.objects.count()

        assert (
            main(
                [
                    "demo-publish",
                    "--publishers-port",
                    str(demo.site.base_url.rsplit(":", 1)[1]),
                ]
            )
            == 0
        )

        said = capsys.readouterr().out
        assert "pushed to 1 of 1 subscriber(s)" in said
        assert pushes_ingested.wait(30), "the pushed demo article was not ingested"
        assert Article.objects.filter(title__startswith="Sund estuary ferry").exists()
        assert Entry.objects.count() == polled + 1


def test_demo_publish_without_a_demo_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cupure.cli import main

    with LoopbackSite() as nothing:
        port = nothing.base_url.rsplit(":", 1)[1]
    assert main(["demo-publish", "--publishers-port", port]) != 0
    assert "start `cupure demo` first" in capsys.readouterr().err


def test_deleting_a_feed_in_the_admin_unsubscribes(
    site: LoopbackSite, hub: WebSubHubServer
) -> None:
    """The admin's delete goes through the same removal; the subscriptions list
    shows the hub and state but never the secret or the token."""
    from django.test import Client
    from django.urls import reverse

    from tests.accounts.factories import staff_account

    feed = pushed_feed(site, hub)
    subscription = WebSubSubscription.objects.get(feed=feed)
    user, _ = staff_account("editor", "editor@example.com", "not-a-real-pw")
    client = Client()
    client.force_login(user)

    listing = client.get(reverse("admin:sources_websubsubscription_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert hub.url in html and "Active" in html
    assert subscription.secret not in html and subscription.token not in html

    deleted = client.post(
        reverse("admin:sources_feed_delete", args=[feed.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert not Feed.objects.filter(pk=feed.pk).exists()
    assert hub.requests[-1]["hub.mode"] == "unsubscribe"
    wait_until(lambda: not hub.hub.subscribed(site.url("/feed.xml")), "the hub")
