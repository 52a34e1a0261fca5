"""Push where publishers offer it: WebSub subscriptions of feeds, and what hubs send.

The life of a subscription (one per feed and hub, :class:`WebSubSubscription`):

1. A poll finds a hub (``Link:`` header or the feed's ``rel="hub"``) and, when the
   site has a public address (``CUPURE_PUBLIC_URL``), :func:`websub_consider` asks
   the hub to subscribe: callback ``/websub/<token>``, a fresh secret, a lease.
   Every request to a hub goes through :func:`cupure.net.fetch.fetch` (the address
   guard, time and size limits).
2. The hub verifies the intent with a GET; :func:`websub_verify` echoes the
   challenge only for the topic and mode we asked for, else 404.
3. The hub POSTs new content; :func:`websub_receive` accepts it only with a valid
   ``X-Hub-Signature`` (HMAC of the body with our secret), stores its entries like
   a poll does, and ingests their pages at once in the background. While a
   subscription is active the feed is polled only as a safety net
   (``cupure.feeds.schedule.PUSHED_POLL_SECONDS``).
4. :func:`websub_maintain` (each scheduler/poll round) renews leases before they
   end, and falls back to polling when a lease lapses or a hub never verifies; a
   hub that refuses or fails is tried again after RETRY_AFTER_FAILURE.
5. :func:`feed_remove` unsubscribes before the feed is deleted; the subscription
   row stays until the hub confirms, and pushes for it are answered 410 Gone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cupure.feeds import FeedError, ParsedFeed, parse_feed
from cupure.feeds.websub import (
    hub_links,
    lease_seconds_granted,
    new_secret,
    new_token,
    renew_margin,
    signature_valid,
    subscription_form,
)
from cupure.net.errors import FetchError
from cupure.net.fetch import FetchResponse, check_url, fetch

from .models import Feed, WebSubSubscription

log = logging.getLogger(__name__)

State = WebSubSubscription.State
# A hub that has not verified a request after this long is taken to have failed.
VERIFY_TIMEOUT = timedelta(minutes=10)
# After a hub failed or refused, subscribing is tried again no sooner than this.
RETRY_AFTER_FAILURE = timedelta(hours=6)
# Upkeep looks only at leases ending within this: a renewal is due a fifth of the
# lease before its end, under two days for the 1 to 10-day leases hubs grant (a
# longer one is renewed two days before its end).
RENEW_LOOKAHEAD = timedelta(days=2)
# An article a poll finds that the hub should have pushed this long ago means the
# hub is failing (its latency is seconds; a minute or two when busy).
PUSH_GRACE = timedelta(minutes=5)


def public_url() -> str:
    """The site's public address (``CUPURE_PUBLIC_URL``), "" when unset: without
    it no hub can reach us, and feeds are polled only."""
    return str(getattr(settings, "CUPURE_PUBLIC_URL", "") or "").rstrip("/")


def callback_url(token: str) -> str:
    return public_url() + reverse("websub_callback", args=[token])


def _one_line(error: BaseException, limit: int = 300) -> str:
    text = str(error) or type(error).__name__
    return " ".join(text.replace("\x00", "").split())[:limit]


def websub_consider(
    *, feed: Feed, response: FetchResponse, parsed: ParsedFeed | None, now: datetime
) -> WebSubSubscription | None:
    """After a successful poll: subscribe at the hub the feed names, unless a live
    subscription already covers it or a failed one waits for its retry time.
    Returns the feed's current subscription (None: no hub, or no public URL)."""
    if not public_url():
        return None
    links = hub_links(response.headers, parsed, url=response.url)
    if links is None:
        return None
    hub, topic = links.hubs[0], links.topic
    current = (
        WebSubSubscription.objects.filter(feed=feed)
        .exclude(state=State.UNSUBSCRIBING)
        .order_by("-id")
        .first()
    )
    if current is not None and (current.hub_url, current.topic_url) == (hub, topic):
        waiting = current.retry_at is not None and current.retry_at > now
        if current.state in (State.ACTIVE, State.SUBSCRIBING) or waiting:
            return current
        websub_request(current, mode="subscribe", now=now, secret=new_secret())
        return current
    if current is not None:
        # The feed moved to another hub or topic: leave the old one.
        websub_unsubscribe(current, now=now)
    subscription = WebSubSubscription.objects.create(
        feed=feed,
        hub_url=hub[:2000],
        topic_url=topic[:2000],
        token=new_token(),
        secret=new_secret(),
    )
    websub_request(subscription, mode="subscribe", now=now)
    return subscription


def websub_request(
    subscription: WebSubSubscription,
    *,
    mode: str,
    now: datetime,
    secret: str | None = None,
) -> bool:
    """Send a (un)subscription request to the hub; True when the hub accepted it.

    The state is saved first: a hub may verify before it answers. A hub that
    cannot be reached or refuses marks the subscription failed with the reason
    (the feed is polled; subscribing is tried again after RETRY_AFTER_FAILURE).
    """
    from .services import fetch_policy

    if secret is not None:
        subscription.secret = secret
    if mode == "subscribe" and subscription.state != State.ACTIVE:
        subscription.state = State.SUBSCRIBING
    elif mode == "unsubscribe":
        subscription.state = State.UNSUBSCRIBING
    subscription.requested_at = now
    subscription.retry_at = None
    subscription.save(
        update_fields=["secret", "state", "requested_at", "retry_at", "last_error"]
    )
    form = subscription_form(
        mode=mode,
        topic=subscription.topic_url,
        callback=callback_url(subscription.token),
        secret=subscription.secret,
    )
    try:
        policy = fetch_policy()
        fetch(check_url(subscription.hub_url, policy=policy), policy=policy, form=form)
    except FetchError as error:
        reason = f"hub {subscription.hub_url} refused or failed: {_one_line(error)}"
        log.warning(
            "WebSub %s request failed feed_id=%s: %s",
            mode,
            subscription.feed_id,
            reason,
        )
        if mode == "subscribe":
            _websub_fail(subscription, reason, now)
        return False
    log.info(
        "WebSub %s requested feed_id=%s hub=%s topic=%s",
        mode,
        subscription.feed_id,
        subscription.hub_url,
        subscription.topic_url,
    )
    return True


def _websub_fail(subscription: WebSubSubscription, reason: str, now: datetime) -> None:
    """Give the push up for now: the feed is polled again at once (it may have been
    waiting on the push), and subscribing is retried after RETRY_AFTER_FAILURE."""
    was_active = subscription.state == State.ACTIVE
    WebSubSubscription.objects.filter(pk=subscription.pk).update(
        state=State.FAILED, last_error=reason[:1000], retry_at=now + RETRY_AFTER_FAILURE
    )
    subscription.refresh_from_db()
    if was_active and subscription.feed_id:
        _poll_soon(subscription.feed_id, now, "the push stopped")


def _poll_soon(feed_id: int, now: datetime, why: str) -> None:
    Feed.objects.filter(pk=feed_id, next_poll_at__gt=now).update(
        next_poll_at=now, poll_reason=f"now: {why}, polled instead"
    )


def websub_unsubscribe(subscription: WebSubSubscription, *, now: datetime) -> None:
    """Leave the hub: an active or pending subscription is unsubscribed (kept until
    the hub confirms); one that never worked is simply deleted."""
    if subscription.state in (State.ACTIVE, State.SUBSCRIBING):
        if not websub_request(subscription, mode="unsubscribe", now=now):
            # The hub cannot be told; pushes that still come are answered 410.
            WebSubSubscription.objects.filter(pk=subscription.pk).update(feed=None)
        return
    subscription.delete()


def websub_verify(
    *, token: str, params: Mapping[str, str], now: datetime | None = None
) -> tuple[int, str]:
    """Answer a hub's verification of intent: ``(status, body)``.

    The challenge is echoed (200) only when the token is ours and the topic and
    mode are what we asked for (a subscription we requested or hold, an
    unsubscription we requested); anything else is 404, as the spec says. A
    ``denied`` notice marks the subscription failed, and the feed is polled.
    """
    now = now or timezone.now()
    subscription = WebSubSubscription.objects.filter(token=token).first()
    mode = params.get("hub.mode", "")
    topic = params.get("hub.topic", "")
    if subscription is None or topic != subscription.topic_url:
        return 404, "unknown subscription"
    if mode == "denied":
        reason = params.get("hub.reason", "") or "no reason given"
        _websub_fail(subscription, f"hub denied the subscription: {reason}", now)
        return 200, ""
    challenge = params.get("hub.challenge", "")
    if not challenge:
        return 404, "no challenge"
    if (
        mode == "subscribe"
        and subscription.feed_id is not None
        and subscription.state in (State.SUBSCRIBING, State.ACTIVE)
    ):
        lease = lease_seconds_granted(params.get("hub.lease_seconds"))
        subscription.state = State.ACTIVE
        subscription.verified_at = now
        subscription.lease_seconds = lease
        subscription.lease_expires_at = now + timedelta(seconds=lease)
        subscription.requested_at = None
        subscription.last_error = ""
        subscription.save()
        log.info(
            "WebSub subscription verified feed_id=%s lease=%ss",
            subscription.feed_id,
            lease,
        )
        return 200, challenge
    if mode == "unsubscribe" and subscription.state == State.UNSUBSCRIBING:
        log.info("WebSub unsubscription verified topic=%s", subscription.topic_url)
        subscription.delete()
        return 200, challenge
    return 404, f"not expecting {mode or 'that'} for this topic"


def websub_receive(
    *,
    token: str,
    body: bytes,
    headers: Mapping[str, str],
    now: datetime | None = None,
) -> tuple[int, str]:
    """Take content a hub distributes: ``(status, body)``.

    404 for a token that is not ours, 410 for a feed we removed (hubs then drop
    the subscription), 403 without a valid ``X-Hub-Signature``, 400 for a body
    that is not a feed (nothing stored, the reason said); else the entries are
    stored like a poll's and their pages ingested in the background (202).
    """
    from .services import _entries_store
    from .services import _one_line as one_line

    now = now or timezone.now()
    subscription = (
        WebSubSubscription.objects.filter(token=token).select_related("feed").first()
    )
    if subscription is None:
        return 404, "unknown subscription"
    feed = subscription.feed
    if feed is None or subscription.state == State.UNSUBSCRIBING:
        return 410, "unsubscribed"
    if not signature_valid(subscription.secret, body, headers.get("X-Hub-Signature")):
        log.warning("WebSub push refused, bad signature feed_id=%s", feed.pk)
        return 403, "missing or invalid X-Hub-Signature"
    try:
        parsed = parse_feed(
            body,
            url=subscription.topic_url,
            content_type=headers.get("Content-Type"),
            fetched_at=now,
        )
    except FeedError as error:
        log.warning("WebSub push not a feed feed_id=%s: %s", feed.pk, error)
        return 400, one_line(error)
    new_entries, refused = _entries_store(feed, parsed)
    WebSubSubscription.objects.filter(pk=subscription.pk).update(
        last_push_at=now, pushes=subscription.pushes + 1
    )
    log.info(
        "WebSub push received feed_id=%s entries=%s new=%s refused=%s",
        feed.pk,
        len(parsed.entries),
        new_entries,
        len(refused),
    )
    if new_entries:
        feed_ingest_pushed(feed)
    return 202, f"{new_entries} new entries"


def websub_check_missed(*, feed: Feed, stored_since: datetime, now: datetime) -> int:
    """After a poll of a pushed feed: entries the poll stored (``created_at`` from
    ``stored_since``) that were published after the hub verified us and longer
    than PUSH_GRACE ago were never pushed. The hub is failing silently: the
    subscription is failed with the reason and the feed goes back to adaptive
    polling (subscribing is tried again later). How many were missed."""
    subscription = (
        WebSubSubscription.objects.filter(
            feed=feed, state=State.ACTIVE, verified_at__isnull=False
        )
        .order_by("-id")
        .first()
    )
    if subscription is None or subscription.verified_at is None:
        return 0
    missed = feed.entries.filter(
        created_at__gte=stored_since,
        published__gt=subscription.verified_at,
        published__lt=now - PUSH_GRACE,
    ).count()
    if missed:
        log.warning("WebSub hub missed entries feed_id=%s missed=%s", feed.pk, missed)
        _websub_fail(
            subscription,
            f"the hub did not push {missed} new article(s) that a poll found",
            now,
        )
    return missed


def feed_ingest_pushed(feed: Feed) -> None:
    """Ingest the pages of pushed entries now, without holding up the hub: on a
    Celery worker when there is a broker, else on a thread of this process.
    Entries left pending (a poll held the feed) are taken by the next round."""
    if settings.CUPURE_BROKER_URL:
        from .tasks import feed_ingest_pending_task

        try:
            feed_ingest_pending_task.apply_async((feed.pk,), retry=False)
            return
        except Exception as error:  # the scheduler's next round ingests them
            log.warning("Pushed entries not enqueued feed_id=%s: %s", feed.pk, error)
            return
    thread = threading.Thread(
        target=_ingest_in_thread, args=(feed.pk,), name=f"websub-ingest-{feed.pk}"
    )
    thread.daemon = True
    thread.start()


def _ingest_in_thread(feed_id: int) -> None:
    from .services import feed_ingest_pending

    try:
        feed = Feed.objects.filter(pk=feed_id).first()
        if feed is not None:
            feed_ingest_pending(feed=feed)
    except Exception:
        log.exception("Ingest of pushed entries failed feed_id=%s", feed_id)
    finally:
        connection.close()


def websub_maintain(*, now: datetime | None = None) -> int:
    """Renew leases that end soon, fall back to polling when one lapsed or a hub
    never verified, and forget unsubscriptions no hub confirmed; how many
    subscriptions were acted on. Called by every scheduler and poll round."""
    now = now or timezone.now()
    acted = 0
    stale_request = now - VERIFY_TIMEOUT
    renew = []
    for subscription in WebSubSubscription.objects.filter(
        state=State.ACTIVE, lease_expires_at__lte=now + RENEW_LOOKAHEAD
    ):
        assert subscription.lease_expires_at is not None
        if subscription.lease_expires_at <= now:
            WebSubSubscription.objects.filter(pk=subscription.pk).update(
                state=State.EXPIRED,
                last_error="the lease ended before the hub renewed it",
                retry_at=now,
            )
            if subscription.feed_id:
                _poll_soon(subscription.feed_id, now, "the push lease ended")
            acted += 1
            continue
        margin = timedelta(seconds=renew_margin(subscription.lease_seconds or 0))
        waiting = (
            subscription.requested_at is not None
            and subscription.requested_at > stale_request
        )
        if subscription.lease_expires_at - margin <= now and not waiting:
            renew.append(subscription)
    for subscription in WebSubSubscription.objects.filter(
        state=State.SUBSCRIBING, requested_at__lt=stale_request
    ):
        _websub_fail(
            subscription,
            f"hub {subscription.hub_url} did not verify within "
            f"{int(VERIFY_TIMEOUT.total_seconds() // 60)} min",
            now,
        )
        acted += 1
    forgotten, _ = WebSubSubscription.objects.filter(
        state=State.UNSUBSCRIBING, requested_at__lt=stale_request
    ).delete()
    # The hubs last: the database work is done when they call back.
    for subscription in renew:
        websub_request(subscription, mode="subscribe", now=now)
    return acted + forgotten + len(renew)


def feed_is_pushed(feed: Feed, *, now: datetime) -> bool:
    """True while a hub pushes this feed (a verified subscription, lease running)."""
    return WebSubSubscription.objects.filter(
        feed=feed, state=State.ACTIVE, lease_expires_at__gt=now
    ).exists()


def feed_remove(*, feed: Feed, now: datetime | None = None) -> int:
    """Stop following ``feed``: delete the feed and its entries (the articles stay,
    credited to their publisher) and unsubscribe from its hubs; how many hub
    subscriptions are being left.

    The hubs are told once the deletion is committed (never from inside a
    transaction: a hub may verify while we wait for its answer). Until a hub
    confirms, its subscription row stays, without a feed: pushes for it are
    answered 410 Gone.
    """
    now = now or timezone.now()
    subscriptions = list(WebSubSubscription.objects.filter(feed=feed))
    live = [s for s in subscriptions if s.state in (State.ACTIVE, State.SUBSCRIBING)]
    WebSubSubscription.objects.filter(feed=feed).exclude(
        pk__in=[s.pk for s in live]
    ).delete()
    WebSubSubscription.objects.filter(pk__in=[s.pk for s in live]).update(
        feed=None, state=State.UNSUBSCRIBING, requested_at=now
    )
    log.info("Feed removed feed_id=%s url=%s", feed.pk, feed.url)
    feed.delete()

    def tell_hubs() -> None:
        for subscription in live:
            subscription.refresh_from_db()
            websub_request(subscription, mode="unsubscribe", now=now)

    transaction.on_commit(tell_hubs)
    return len(live)


def push_row(feed: Feed) -> dict[str, object] | None:
    """The feed's push subscription as ``cupure feeds --json`` shows it (None:
    not pushed): ``hub``, ``state``, ``lease_expires``, ``pushes``, ``last_push``,
    ``last_error``."""
    subscription = WebSubSubscription.objects.filter(feed=feed).order_by("-id").first()
    if subscription is None:
        return None

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "hub": subscription.hub_url,
        "state": subscription.state,
        "lease_expires": iso(subscription.lease_expires_at),
        "pushes": subscription.pushes,
        "last_push": iso(subscription.last_push_at),
        "last_error": subscription.last_error,
    }
