"""Reads for feeds: which are due, when the next one is, and their health."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from .models import Entry, Feed

# `cupure feeds` names the reasons of this many of a feed's latest failed entries.
ENTRY_ERRORS_SHOWN = 3


def _free_and_due(now: datetime) -> Q:
    return (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)) & (
        Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lte=now)
    )


def feed_list_due(*, now: datetime) -> QuerySet[Feed]:
    """Feeds to poll now: not inactive, due (or never polled), lease free; never
    polled first, then the most overdue."""
    return (
        Feed.objects.exclude(status=Feed.Status.INACTIVE)
        .filter(_free_and_due(now))
        .select_related("publisher")
        .order_by(F("next_poll_at").asc(nulls_first=True), "id")
    )


def feed_list_pending(*, now: datetime) -> QuerySet[Feed]:
    """Feeds not due but with entries left pending (a poll cut short by its time
    budget or by a killed poller), lease free: their pages are ingested without
    fetching the feed again."""
    from .services import MAX_ENTRY_ATTEMPTS

    pending = Entry.objects.filter(
        feed=OuterRef("pk"),
        status=Entry.Status.PENDING,
        attempts__lt=MAX_ENTRY_ATTEMPTS,
    )
    return (
        Feed.objects.exclude(status=Feed.Status.INACTIVE)
        .filter(next_poll_at__gt=now)
        .filter(Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lte=now))
        .filter(Exists(pending))
        .select_related("publisher")
        .order_by("id")
    )


def feed_next_due_at() -> datetime | None:
    """When the next active feed falls due (None: no active feed is scheduled)."""
    feed = (
        Feed.objects.exclude(status=Feed.Status.INACTIVE)
        .filter(next_poll_at__isnull=False)
        .order_by("next_poll_at")
        .first()
    )
    return feed.next_poll_at if feed else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def feed_health_rows() -> list[dict[str, Any]]:
    """Every feed as ``cupure feeds --json`` prints it: ``url``, ``title``, ``status``
    (ok|failing|broken|inactive), ``last_error``, ``last_error_code``,
    ``consecutive_failures``, ``last_polled`` / ``next_poll`` (ISO 8601 or null),
    ``articles`` (entries ingested as articles), ``publisher``, ``pending_entries``,
    ``failed_entries`` with ``entry_errors`` (the latest failed entries' links and
    reasons), ``last_poll_note`` (what the last poll left out, and why),
    ``poll_reason`` (when the next poll is and why: the publishing rate, the server's
    hints, the host budget, a backoff, a push subscription) and ``poll_interval``
    (seconds the feed wants between polls, before the host budget; null before its
    first poll), ``push`` (its WebSub subscription: ``hub``, ``state``,
    ``lease_expires``, ``pushes``, ``last_push``, ``last_error``; null when its
    feed names no hub or the site has no public URL)."""
    from .websub import push_row

    feeds = (
        Feed.objects.select_related("publisher")
        .annotate(
            article_count=Count("entries", filter=Q(entries__article__isnull=False)),
            pending_count=Count(
                "entries", filter=Q(entries__status=Entry.Status.PENDING)
            ),
            failed_count=Count(
                "entries", filter=Q(entries__status=Entry.Status.FAILED)
            ),
        )
        .order_by("publisher__name", "url")
    )
    rows = []
    for feed in feeds:
        errors = (
            [
                {"link": link, "error": error}
                for link, error in feed.entries.filter(status=Entry.Status.FAILED)
                .order_by("-id")
                .values_list("link", "last_error")[:ENTRY_ERRORS_SHOWN]
            ]
            if feed.failed_count
            else []
        )
        rows.append(
            {
                "url": feed.url,
                "title": feed.title,
                "publisher": feed.publisher.name,
                "status": feed.status,
                "last_error": feed.last_error,
                "last_error_code": feed.last_error_code,
                "consecutive_failures": feed.consecutive_failures,
                "last_polled": _iso(feed.last_polled_at),
                "next_poll": _iso(feed.next_poll_at),
                "articles": feed.article_count,
                "pending_entries": feed.pending_count,
                "failed_entries": feed.failed_count,
                "entry_errors": errors,
                "last_poll_note": feed.last_poll_note,
                "poll_reason": feed.poll_reason,
                "poll_interval": feed.poll_interval_seconds,
                "push": push_row(feed),
            }
        )
    return rows
