"""Writes for publishers and feeds: creating them and polling a feed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from cupure.feeds import FeedError, ParsedFeed, parse_feed
from cupure.net.errors import FetchError
from cupure.net.fetch import FetchPolicy, fetch, parse_allow_private

from .models import Entry, Feed, Publisher

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
# A healthy feed is looked at this often until adaptive polling (issue #3) knows better.
DEFAULT_POLL_INTERVAL = timedelta(minutes=15)
# Waits after the 1st, 2nd, 3rd… failure in a row, so a broken host is not hammered.
FAILURE_BACKOFF_BASE = timedelta(minutes=5)
FAILURE_BACKOFF_CEILING = timedelta(hours=12)
# After this many failures in a row a feed is "broken": an admin should look at it.
BROKEN_AFTER_FAILURES = 10
# An entry whose page failed this many times is left alone until an admin retries it.
MAX_ENTRY_ATTEMPTS = 3


def fetch_policy() -> FetchPolicy:
    """The fetch rules in force, from settings (read each time: the demo sets them)."""
    return FetchPolicy(
        allow_private=parse_allow_private(settings.CUPURE_FETCH_ALLOW_PRIVATE)
    )


def publisher_get_or_create(*, name: str, homepage_url: str = "") -> Publisher:
    """The publisher named ``name``, created on first sight."""
    slug = (
        slugify(name)[:200] or slugify(urlsplit(homepage_url).hostname or "") or "pub"
    )
    publisher, _ = Publisher.objects.get_or_create(
        slug=slug, defaults={"name": name, "homepage_url": homepage_url}
    )
    return publisher


def feed_create(*, url: str, publisher: Publisher, title: str = "") -> Feed:
    """Subscribe to ``url``; subscribing twice returns the same feed."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"Feed URL must start with http:// or https://, got {url!r}")
    feed, _ = Feed.objects.get_or_create(
        url=url, defaults={"publisher": publisher, "title": title}
    )
    return feed


@dataclass(frozen=True)
class PollResult:
    """What one poll of one feed did."""

    feed_id: int
    ok: bool
    not_modified: bool = False
    new_entries: int = 0
    ingested: int = 0
    failed: int = 0
    error: str = ""


def feed_poll(*, feed: Feed, now: datetime | None = None) -> PollResult:
    """Fetch ``feed``, store its new entries and ingest their articles.

    A failure is recorded on the feed with its reason and backs the feed off; it never
    raises, so one broken feed cannot stop the others.
    """
    from cupure.articles.services import article_ingest

    now = now or timezone.now()
    try:
        response = fetch(
            feed.url,
            policy=fetch_policy(),
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
            accept=FEED_ACCEPT,
        )
        parsed = None
        if not response.not_modified:
            parsed = parse_feed(
                response.content,
                url=response.url,
                content_type=response.content_type(),
                fetched_at=now,
            )
    except (FetchError, FeedError) as error:
        _feed_record_failure(feed, error, now)
        return PollResult(feed_id=feed.pk, ok=False, error=str(error))

    new_entries = 0 if parsed is None else _entries_store(feed, parsed)
    _feed_record_success(
        feed,
        now,
        parsed=parsed,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
    )
    ingested = failed = 0
    due = feed.entries.filter(
        status__in=[Entry.Status.PENDING, Entry.Status.FAILED],
        attempts__lt=MAX_ENTRY_ATTEMPTS,
    ).order_by("published", "id")
    for entry in due:
        if article_ingest(entry=entry) is None:
            failed += 1
        else:
            ingested += 1
    if ingested:
        from cupure.trends.services import topics_save

        topics_save()
    log.info(
        "Feed polled feed_id=%s new=%s ingested=%s failed=%s",
        feed.pk,
        new_entries,
        ingested,
        failed,
    )
    return PollResult(
        feed_id=feed.pk,
        ok=True,
        not_modified=parsed is None,
        new_entries=new_entries,
        ingested=ingested,
        failed=failed,
    )


def _entries_store(feed: Feed, parsed: ParsedFeed) -> int:
    """Store unseen entries (by guid, and by link for feeds that change guids)."""
    known_links = set(feed.entries.values_list("link", flat=True))
    created = 0
    for item in parsed.entries:
        if item.link in known_links:
            continue
        try:
            with transaction.atomic():
                _, was_created = Entry.objects.get_or_create(
                    feed=feed,
                    guid=item.guid,
                    defaults={
                        "link": item.link,
                        "title": item.title,
                        "summary": item.summary,
                        "published": item.published,
                    },
                )
        except IntegrityError:
            # Another worker stored the same entry between our read and our write.
            was_created = False
        known_links.add(item.link)
        created += was_created
    return created


def _feed_record_success(
    feed: Feed,
    now: datetime,
    *,
    parsed: ParsedFeed | None,
    etag: str,
    last_modified: str,
) -> None:
    feed.status = Feed.Status.OK
    feed.last_error = ""
    feed.last_error_code = ""
    feed.consecutive_failures = 0
    feed.last_polled_at = now
    feed.last_success_at = now
    feed.next_poll_at = now + DEFAULT_POLL_INTERVAL
    if etag:
        feed.etag = etag[:500]
    if last_modified:
        feed.last_modified = last_modified[:100]
    if parsed is not None:
        feed.format = parsed.format[:20]
        if parsed.title and not feed.title:
            feed.title = parsed.title[:500]
    feed.save()


def _feed_record_failure(feed: Feed, error: Exception, now: datetime) -> None:
    feed.consecutive_failures += 1
    feed.status = (
        Feed.Status.BROKEN
        if feed.consecutive_failures >= BROKEN_AFTER_FAILURES
        else Feed.Status.FAILING
    )
    feed.last_error = str(error)
    feed.last_error_code = getattr(error, "code", type(error).__name__)[:40]
    feed.last_polled_at = now
    backoff = FAILURE_BACKOFF_BASE * 2 ** (feed.consecutive_failures - 1)
    feed.next_poll_at = now + min(backoff, FAILURE_BACKOFF_CEILING)
    feed.save()
    log.warning("Feed failed feed_id=%s url=%s error=%s", feed.pk, feed.url, error)
