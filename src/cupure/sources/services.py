"""Writes for publishers and feeds: subscribing, polling politely, refreshing.

``feed_poll`` is the one place a feed is fetched. It holds the feed's lease while it
works (so two workers never poll one feed), schedules the next poll from
:mod:`cupure.feeds.schedule` (adaptive when healthy, backed off when failing, weekly
when broken, never when gone), records every failure on the feed with its one-line
reason and code, and never raises for a failure of the feed itself, so one bad feed
cannot stop the others.

Decisions worth knowing:

* A web page given instead of a feed (NotAFeed) that advertises exactly one feed is
  followed, and the subscription moves to that feed if it is allowed and parses; with
  several, the poll fails with NotAFeed listing them (the person chooses); with none,
  it fails with NotAFeed.
* A permanent redirect moves the subscription only once it repeated
  (``permanent_redirect_step``) and the target passes :func:`check_url` again.
* Article pages obey robots.txt (one RobotsChecker per process and policy); feeds are
  published to be polled and are not checked, as other readers do.
* Every fetch holds a slot of the per-host limiter; a busy host defers the feed a
  minute (or leaves the entry pending) without counting a failure.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from cupure.feeds import FeedError, NotAFeed, ParsedFeed, parse_feed
from cupure.feeds.schedule import (
    RATE_WINDOW,
    PollPlan,
    backoff_interval,
    backoff_reason,
    duration_text,
    is_broken,
    permanent_redirect_step,
    poll_plan,
)
from cupure.net.caching import cache_lifetime
from cupure.net.errors import FetchError, Gone, HostBusy, InvalidURL, RateLimited
from cupure.net.fetch import (
    FEED_ACCEPT,
    FETCH_MAX_BYTES,
    FETCH_TIMEOUT_SECONDS,
    FetchPolicy,
    FetchResponse,
    check_url,
    fetch,
    parse_allow_private,
)
from cupure.net.limits import HostLimiter, host_key
from cupure.net.robots import RobotsChecker
from cupure.ops import metrics

from .models import Entry, Feed, ProcessLease, Publisher

log = logging.getLogger(__name__)

# A poll fetches the feed (at most one fetch timeout) and then article pages until this
# budget is spent; what is left stays pending for the next poll. It bounds one poll.
POLL_TIME_BUDGET = timedelta(minutes=5)
# The poll lease is short and renewed by a heartbeat while the poll runs, so a poller
# killed mid-poll frees its feeds within this time (the old 7-minute lease, issue #16);
# on the same host a lease whose holder process is gone is taken over at once.
POLL_LEASE = timedelta(seconds=60)
T = TypeVar("T")
# Tries of a lease query that SQLite's shared cache answers "table is locked".
LOCKED_RETRIES = 8
LEASE_HEARTBEAT_SECONDS = 15.0
# ...but not beyond the budget and a margin (one more page fetch and the writes).
LEASE_RENEWED_FOR = POLL_TIME_BUDGET + timedelta(minutes=2)
# A feed handed to a worker leaves the due list this long: a queued task may wait
# behind others before its poll (which takes at most the budget) sets the real time.
ENQUEUED_HOLD = POLL_TIME_BUDGET + timedelta(minutes=2)
# How long a poll waits for a free slot on a busy host before leaving it for later.
HOST_SLOT_WAIT_SECONDS = 30.0
# A feed deferred because its host was busy is looked at again this soon.
HOST_BUSY_RETRY = timedelta(minutes=1)
# An entry whose page failed this many times is left alone until an admin retries it.
MAX_ENTRY_ATTEMPTS = 3
# Kept on an entry while its page is being ingested; still there afterwards, the
# process died mid-ingest.
ENTRY_UNFINISHED = "ingest started but did not finish (the process died or was killed)"
# Entries are looked up and stored this many at a time (SQLite allows 32,766 query
# parameters; a batch of guids and links stays far below).
ENTRY_BATCH = 500
# What a poll left out is kept on the feed, this many lines of it (and the count).
POLL_NOTE_MAX_LINES = 20

_robots_lock = threading.Lock()
_robots_checkers: dict[FetchPolicy, RobotsChecker] = {}
_host_limiter = HostLimiter()


def fetch_policy() -> FetchPolicy:
    """The fetch rules in force, from settings (read each time: the demo sets them).

    ``CUPURE_FETCH_TIMEOUT`` and ``CUPURE_FETCH_MAX_BYTES`` are optional settings; the
    defaults of :mod:`cupure.net.fetch` apply when they are absent.
    """
    try:
        allow_private = parse_allow_private(settings.CUPURE_FETCH_ALLOW_PRIVATE)
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None
    return FetchPolicy(
        allow_private=allow_private,
        timeout=float(getattr(settings, "CUPURE_FETCH_TIMEOUT", FETCH_TIMEOUT_SECONDS)),
        max_bytes=int(getattr(settings, "CUPURE_FETCH_MAX_BYTES", FETCH_MAX_BYTES)),
    )


def robots_checker() -> RobotsChecker:
    """The process's robots.txt checker for the policy in force (one per policy, so
    its per-origin cache is shared by every poll of this process); what it reads is
    kept in the database for the other processes (cupure.rights.robots_store)."""
    from cupure.rights.robots_store import DatabaseRobotsStore

    policy = fetch_policy()
    with _robots_lock:
        checker = _robots_checkers.get(policy)
        if checker is None:
            checker = _robots_checkers[policy] = RobotsChecker(
                policy, store=DatabaseRobotsStore()
            )
        return checker


def host_limiter() -> HostLimiter:
    """The process's per-host concurrency limiter; every fetch of a poll holds a
    slot."""
    return _host_limiter


def publisher_get_or_create(
    *, name: str, homepage_url: str = "", display_policy: str | None = None
) -> Publisher:
    """The publisher named ``name``, created on first sight.

    ``display_policy`` (full, excerpt or headline; ValueError otherwise) is set when
    given, on a new publisher or an existing one; a new publisher without one shows
    excerpts (cupure.rights.policy).
    """
    from cupure.rights.policy import DEFAULT_POLICY, parse_policy

    policy = parse_policy(display_policy) if display_policy else None
    slug = (
        slugify(name)[:200] or slugify(urlsplit(homepage_url).hostname or "") or "pub"
    )
    publisher, created = Publisher.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "homepage_url": homepage_url,
            "display_policy": (policy or DEFAULT_POLICY).value,
        },
    )
    if not created and policy is not None and publisher.display_policy != policy:
        publisher.display_policy = policy.value
        publisher.save(update_fields=["display_policy"])
    return publisher


def feed_create(*, url: str, publisher: Publisher, title: str = "") -> Feed:
    """Subscribe to ``url``; subscribing twice returns the same feed.

    Only the scheme is checked here; commands check the address first with
    :func:`feed_url_check` so the person sees the reason before anything is stored.
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"Feed URL must start with http:// or https://, got {url!r}")
    feed, _ = Feed.objects.get_or_create(
        url=url, defaults={"publisher": publisher, "title": title}
    )
    return feed


def feed_url_check(*, url: str) -> str:
    """``url`` normalised if the fetcher may reach it (syntax, scheme, every address it
    resolves to); raises FetchError (InvalidURL, BlockedAddress, ConnectionFailed…)
    with the reason otherwise."""
    stripped = url.strip()
    # Only the scheme gets a feed's own wording; everything else about the URL (an
    # unreadable one included) is the fetcher's to judge and explain.
    if not stripped.lower().startswith(("http://", "https://")):
        raise InvalidURL(
            f"Feed URL must start with http:// or https://, got {url!r}", url=url
        )
    return check_url(stripped, policy=fetch_policy())


def feed_discover(*, url: str) -> tuple[str, list[str]]:
    """The feed URL to subscribe to for ``url``, and the other feeds it offers.

    Fetches ``url``: a feed gives ``(url, [])``; an HTML page advertising feeds gives
    its best one and the rest. Raises FetchError or FeedError (NotAFeed when the page
    advertises none) with the reason.
    """
    policy = fetch_policy()
    response = fetch(url, policy=policy, accept=FEED_ACCEPT)
    try:
        parse_feed(
            response.content,
            url=response.url,
            content_type=response.headers.get("content-type"),
        )
    except NotAFeed as error:
        if not error.alternates:
            raise
        best = check_url(error.alternates[0], policy=policy)
        return best, error.alternates[1:]
    return url, []


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
    error_code: str = ""
    # Another worker holds the feed's lease: this call did nothing.
    skipped: bool = False
    # Only entries left pending were ingested; the feed itself was not fetched.
    pending_only: bool = False


def lease_holder() -> str:
    """Who is polling: ``host:pid:thread`` of the calling thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def _holder_is_dead(holder: str) -> bool:
    """True when ``holder`` names a process (or a thread of this process) on this
    host that no longer runs; False when it may be alive or is on another host."""
    host, _, rest = holder.partition(":")
    pid_text, _, thread_text = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        alive = {str(thread.ident) for thread in threading.enumerate()}
        return thread_text not in alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """True when ``pid`` has exited but not been reaped yet: a pool process killed
    with its poller is re-parented, and in a container nobody may ever reap it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def feed_lease_claim(
    *, feed_id: int, now: datetime | None = None, holder: str | None = None
) -> datetime | None:
    """Claim the poll lease of feed ``feed_id``; its expiry, or None if held elsewhere.

    One conditional UPDATE, so of two workers racing for a feed exactly one wins on
    every database. An expired lease, or one whose holder is seen dead on this host
    (a poller or Celery child killed mid-poll, a redelivered task), is taken over.
    """
    now = now or timezone.now()
    holder = holder or lease_holder()
    until = now + POLL_LEASE
    free = Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lte=now)
    claimed = _unless_locked(
        lambda: (
            Feed.objects.filter(pk=feed_id)
            .filter(free)
            .update(poll_lease_until=until, poll_lease_holder=holder)
        ),
        default=0,
    )
    if claimed:
        return until
    current = _unless_locked(
        lambda: (
            Feed.objects.filter(pk=feed_id)
            .values_list("poll_lease_holder", flat=True)
            .first()
            or ""
        ),
        default="",
    )
    if not current or current == holder or not _holder_is_dead(current):
        return None
    log.info("Feed lease of a dead holder taken over feed_id=%s", feed_id)
    claimed = _unless_locked(
        lambda: Feed.objects.filter(pk=feed_id, poll_lease_holder=current).update(
            poll_lease_until=until, poll_lease_holder=holder
        ),
        default=0,
    )
    return until if claimed else None


def _unless_locked(query: Callable[[], T], *, default: T) -> T:
    """``query()``, retried a few times while SQLite says the table is locked, then
    ``default`` (the lease is someone else's). SQLite's shared-cache databases (the
    test suite's in-memory one) refuse a read or write while another connection
    uses the table instead of waiting for it, as the busy timeout does elsewhere."""
    for attempt in range(LOCKED_RETRIES):
        try:
            return query()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01 * (attempt + 1))
    return default


def feed_leases_reap(*, now: datetime | None = None) -> int:
    """Free the poll leases whose holder is seen dead on this host (a poller or
    worker killed mid-poll), so a poller started after it picks its feeds up at
    once, not when the lease runs out; how many were freed."""
    now = now or timezone.now()
    prefix = f"{socket.gethostname()}:"
    held = (
        Feed.objects.filter(
            poll_lease_until__gt=now, poll_lease_holder__startswith=prefix
        )
        .values_list("poll_lease_holder", flat=True)
        .distinct()
    )
    freed = 0
    for holder in {h for h in held if _holder_is_dead(h)}:
        freed += Feed.objects.filter(poll_lease_holder=holder).update(
            poll_lease_until=None, poll_lease_holder=""
        )
    if freed:
        log.info("Poll leases of dead holders freed count=%s", freed)
    return freed


def feed_lease_renew(*, feed_id: int, holder: str) -> datetime | None:
    """Extend ``holder``'s lease by POLL_LEASE from now; None if it lost the lease."""
    until = timezone.now() + POLL_LEASE
    renewed = Feed.objects.filter(pk=feed_id, poll_lease_holder=holder).update(
        poll_lease_until=until
    )
    return until if renewed else None


def feed_lease_release(*, feed_id: int, lease: datetime) -> None:
    """Give the lease back, unless it expired and another worker holds it now."""
    Feed.objects.filter(pk=feed_id, poll_lease_until=lease).update(
        poll_lease_until=None, poll_lease_holder=""
    )


class _LeaseHeartbeat:
    """Renews a feed's lease every LEASE_HEARTBEAT_SECONDS while a poll runs, on its
    own thread (and database connection), so a long poll keeps a short lease."""

    def __init__(self, feed_id: int, holder: str) -> None:
        self.feed_id, self.holder = feed_id, holder
        self.lease: datetime | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"lease-heartbeat-{feed_id}", daemon=True
        )

    def __enter__(self) -> _LeaseHeartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=LEASE_HEARTBEAT_SECONDS)

    def _run(self) -> None:
        from django.db import connection

        # A poll is bounded by its budget; one that runs far past it is hung, and
        # its lease is left to expire so another worker can take the feed.
        give_up = time.monotonic() + LEASE_RENEWED_FOR.total_seconds()
        try:
            while not self._stop.wait(LEASE_HEARTBEAT_SECONDS):
                if time.monotonic() > give_up:
                    log.warning(
                        "Poll past its budget, lease left to expire feed_id=%s",
                        self.feed_id,
                    )
                    return
                try:
                    self.lease = feed_lease_renew(
                        feed_id=self.feed_id, holder=self.holder
                    )
                except Exception as error:  # the poll itself will meet the same fault
                    log.warning(
                        "Feed lease not renewed feed_id=%s: %s", self.feed_id, error
                    )
        finally:
            connection.close()


def feed_refresh(*, feed: Feed, now: datetime | None = None) -> PollResult:
    """An admin's "refresh now": forget the failures (broken or gone) and poll now."""
    Feed.objects.filter(pk=feed.pk).update(
        status=Feed.Status.OK, consecutive_failures=0, next_poll_at=None
    )
    feed.refresh_from_db()
    log.info("Feed refreshed by an admin feed_id=%s", feed.pk)
    return feed_poll(feed=feed, now=now)


def feed_poll(*, feed: Feed, now: datetime | None = None) -> PollResult:
    """Fetch ``feed``, store its new entries and ingest their articles.

    Holds the feed's lease for the duration (returns ``skipped`` if another worker has
    it). A failure is recorded on the feed with its reason and code and reschedules it
    with backoff; so is an unexpected error (a bug, hostile input no check foresaw):
    it never raises for the feed's own failures, so one bad feed cannot stop the
    others nor be re-polled in a loop. Only a database that cannot be reached
    propagates (after the lease is given back, if it can be), for the caller (a task)
    to retry later.

    A poll that never finishes (its process died) is retried at once the first time
    and with backoff after that (``_feed_poll_started``), so a feed that kills its
    poller cannot be fetched in a loop (issue #16).
    """
    now = now or timezone.now()
    holder = lease_holder()
    # The lease runs on the real clock even when ``now`` is given (tests, replays).
    lease = feed_lease_claim(feed_id=feed.pk, holder=holder)
    if lease is None:
        log.info("Feed skipped, lease held elsewhere feed_id=%s", feed.pk)
        skipped = PollResult(feed_id=feed.pk, ok=True, skipped=True)
        metrics.poll_observed(skipped)
        return skipped
    deadline = time.monotonic() + POLL_TIME_BUDGET.total_seconds()
    heartbeat = _LeaseHeartbeat(feed.pk, holder)
    try:
        with heartbeat:
            _feed_poll_started(feed, now)
            try:
                result = _feed_poll_leased(feed, now, deadline)
            except (OperationalError, InterfaceError):
                raise
            except Exception as error:
                result = _feed_poll_crashed(feed, error, now)
            Feed.objects.filter(pk=feed.pk).update(unfinished_polls=0)
            metrics.poll_observed(result)
            return result
    finally:
        feed_lease_release(feed_id=feed.pk, lease=heartbeat.lease or lease)


def _feed_poll_started(feed: Feed, now: datetime) -> None:
    """Count the poll as started; after polls that never finished (their process
    died: killed, out of memory, a crash in a parser), push the feed out by the
    backoff for that many failures before fetching it again.

    The first unfinished poll is retried at once (a poller killed by its operator
    should not delay the feed), the next ones back off exponentially, so no feed
    can kill process after process in a loop of requests (issue #16).
    """
    Feed.objects.filter(pk=feed.pk).update(unfinished_polls=F("unfinished_polls") + 1)
    feed.refresh_from_db()
    if feed.unfinished_polls <= 1:
        return
    log.warning(
        "Feed poll did not finish %s times in a row (process died?) feed_id=%s",
        feed.unfinished_polls - 1,
        feed.pk,
    )
    delay = backoff_interval(feed.unfinished_polls - 1, jitter=random.random())
    provisional = now + timedelta(seconds=delay)
    if feed.next_poll_at is None or feed.next_poll_at < provisional:
        Feed.objects.filter(pk=feed.pk).update(next_poll_at=provisional)


def _feed_poll_crashed(feed: Feed, error: Exception, now: datetime) -> PollResult:
    """An error no check foresaw: logged with its traceback, recorded on the feed as
    an internal error, and the feed backed off like any other failure."""
    log.exception("Poll crashed feed_id=%s url=%s", feed.pk, feed.url)
    crash = InternalPollError(
        f"internal error while polling ({type(error).__name__}: "
        f"{str(error)[:200]}); see the log. The feed is retried with backoff",
        url=feed.url,
    )
    feed.refresh_from_db()
    _feed_record_failure(feed, crash, now)
    return PollResult(
        feed_id=feed.pk, ok=False, error=str(crash), error_code=crash.code
    )


def _feed_poll_leased(feed: Feed, now: datetime, deadline: float) -> PollResult:
    try:
        response, parsed = _feed_fetch(feed, now)
    except HostBusy as error:
        # Politeness, not the feed's fault: try again soon without counting a failure.
        feed.next_poll_at = now + HOST_BUSY_RETRY
        feed.poll_reason = (
            f"in {duration_text(HOST_BUSY_RETRY.total_seconds())}: the host was busy "
            "with our other requests"
        )
        feed.save(update_fields=["next_poll_at", "poll_reason"])
        return PollResult(
            feed_id=feed.pk, ok=False, error=str(error), error_code=error.code
        )
    except (FetchError, FeedError) as error:
        _feed_record_failure(feed, error, now)
        return PollResult(
            feed_id=feed.pk, ok=False, error=str(error), error_code=error.code
        )

    had_entries = feed.last_success_at is not None
    stored_since = timezone.now()
    new_entries, refused = (0, []) if parsed is None else _entries_store(feed, parsed)
    note = None if parsed is None else _poll_note([*parsed.skipped, *refused])
    _websub_after_poll(
        feed, response, parsed, now, stored_since if new_entries else None
    )
    _feed_record_success(
        feed,
        now,
        response=response,
        parsed=parsed,
        note=note,
        overflowed=_overflowed(parsed, new_entries, had_entries),
    )
    ingested, failed = _entries_ingest(feed, deadline)
    if ingested:
        from cupure.trends.services import topics_save, trends_snapshot_refresh

        topics_save()
        trends_snapshot_refresh()
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


def _fetch_parse(
    url: str, feed: Feed | None, now: datetime
) -> tuple[FetchResponse, ParsedFeed | None]:
    """One conditional GET (when ``feed`` is given) and the parse, in a host slot."""
    with host_limiter().slot(url, timeout=HOST_SLOT_WAIT_SECONDS):
        response = fetch(
            url,
            policy=fetch_policy(),
            etag=(feed.etag or None) if feed else None,
            last_modified=(feed.last_modified or None) if feed else None,
            accept=FEED_ACCEPT,
        )
    if response.not_modified:
        return response, None
    parsed = parse_feed(
        response.content,
        url=response.url,
        # The full header: its charset decides how the bytes are decoded.
        content_type=response.headers.get("content-type"),
        fetched_at=now,
    )
    return response, parsed


def _feed_fetch(feed: Feed, now: datetime) -> tuple[FetchResponse, ParsedFeed | None]:
    """Fetch and parse the feed; an HTML page advertising exactly one feed is
    followed to it, and that feed is adopted if it parses (see below)."""
    try:
        return _fetch_parse(feed.url, feed, now)
    except NotAFeed as error:
        if len(error.alternates) != 1:
            # None: nothing to follow. Several: which one the person wanted is their
            # choice, not ours; the message lists them.
            if error.alternates:
                raise NotAFeed(
                    f"{feed.url} is a web page offering {len(error.alternates)} "
                    f"feeds ({', '.join(error.alternates[:5])}); subscribe to one "
                    "of them instead",
                    url=feed.url,
                    alternates=error.alternates,
                ) from None
            raise
        # Exactly one: the page names its feed unambiguously (a homepage subscribed
        # by mistake). Adopted only if it is allowed and really parses as a feed.
        target = check_url(error.alternates[0], policy=fetch_policy())
        response, parsed = _fetch_parse(target, None, now)
        _feed_adopt_url(feed, target, reason="advertised by the page")
        return response, parsed


def _feed_adopt_url(feed: Feed, url: str, *, reason: str) -> bool:
    """Move the subscription to ``url`` unless another feed already has it."""
    if url == feed.url:
        return False
    if Feed.objects.filter(url=url).exclude(pk=feed.pk).exists():
        log.warning(
            "Feed URL not adopted, already subscribed feed_id=%s url=%s", feed.pk, url
        )
        return False
    log.info(
        "Feed URL adopted feed_id=%s old=%s new=%s (%s)", feed.pk, feed.url, url, reason
    )
    feed.url = url
    # Validators of the old URL mean nothing to the new one.
    feed.etag = feed.last_modified = ""
    feed.save(update_fields=["url", "etag", "last_modified"])
    return True


def _entries_store(feed: Feed, parsed: ParsedFeed) -> tuple[int, list[str]]:
    """Store unseen entries (by guid, and by link for feeds that change guids); return
    how many were new, and one line per entry that could not be stored.

    Every unseen entry is stored, however long the feed (a 5,000-entry dump lost 4,000
    to a per-poll cap before, issue #16); the poll's time budget bounds the page
    fetches instead, and the rest stay pending for the next polls.
    """
    known_links, known_guids = set(), set()
    # Only this document's guids and links: a feed's history grows for years, its
    # page does not. In batches, to stay within every database's parameter limit.
    items = list(parsed.entries)
    for start in range(0, len(items), ENTRY_BATCH):
        batch = items[start : start + ENTRY_BATCH]
        known = feed.entries.filter(
            Q(link__in={i.link for i in batch}) | Q(guid__in={i.guid for i in batch})
        )
        for link, guid in known.values_list("link", "guid"):
            known_links.add(link)
            known_guids.add(guid)
    fresh = []
    fresh_items = []
    for item in items:
        if item.link in known_links or item.guid in known_guids:
            continue
        known_links.add(item.link)
        known_guids.add(item.guid)
        fresh_items.append(item)
        fresh.append(
            Entry(
                feed=feed,
                guid=item.guid,
                link=item.link,
                title=item.title,
                summary=item.summary,
                published=item.published,
            )
        )
    if not fresh:
        return 0, []
    # The feed's lease keeps other workers off this feed; should one store the same
    # entries anyway (a lease that expired), the unique (feed, guid) constraint keeps
    # one of each.
    refused: list[str] = []
    stored = 0
    for start in range(0, len(fresh), ENTRY_BATCH):
        batch = fresh[start : start + ENTRY_BATCH]
        try:
            with transaction.atomic():
                Entry.objects.bulk_create(batch, ignore_conflicts=True)
            stored += len(batch)
        except (OperationalError, InterfaceError):
            raise
        except (DatabaseError, ValueError):
            # One entry the database refuses must cost that entry only: store the
            # batch one by one and name the refused ones.
            for entry in batch:
                try:
                    with transaction.atomic():
                        Entry.objects.bulk_create([entry], ignore_conflicts=True)
                    stored += 1
                except (OperationalError, InterfaceError):
                    raise
                except (DatabaseError, ValueError) as error:
                    refused.append(
                        f"entry {entry.guid[:100]!r} not stored: {_one_line(error)}"
                    )
    from cupure.articles.services import feed_entry_dates_record

    feed_entry_dates_record(feed=feed, items=fresh_items)
    return stored, refused


def _one_line(error: BaseException, limit: int = 300) -> str:
    """An error as one line a person can read (no NULs, which PostgreSQL refuses)."""
    text = str(error) or type(error).__name__
    return " ".join(text.replace("\x00", "").split())[:limit]


def _entries_ingest(
    feed: Feed, deadline: float, *, retry_failed: bool = True
) -> tuple[int, int]:
    """Ingest the feed's pending (and retryable failed) entries, oldest first, until
    the poll's time budget is spent; the rest wait for the next poll.

    An entry whose page breaks our code (hostile dates, NUL bytes, a 10 MB heading…)
    is marked failed with the reason and the next entry goes on (issue #16); only an
    unreachable database stops the loop.
    """
    from cupure.articles.services import article_ingest

    ingested = failed = 0
    statuses = [Entry.Status.PENDING]
    if retry_failed:
        statuses.append(Entry.Status.FAILED)
    due = feed.entries.filter(
        status__in=statuses, attempts__lt=MAX_ENTRY_ATTEMPTS
    ).order_by("published", "id")
    for entry in due:
        if time.monotonic() >= deadline:
            log.info("Poll time budget spent feed_id=%s; rest left pending", feed.pk)
            break
        # The attempt is counted before it starts: a page that kills the process
        # (out of memory, a crash in a parser) is tried MAX_ENTRY_ATTEMPTS times,
        # not forever, and says why. article_ingest counts it again from the old
        # value it holds, to the same number.
        Entry.objects.filter(pk=entry.pk).update(
            attempts=F("attempts") + 1, last_error=ENTRY_UNFINISHED
        )
        try:
            article = article_ingest(entry=entry)
        except (OperationalError, InterfaceError):
            raise
        except Exception as error:
            log.exception(
                "Article ingest crashed entry_id=%s url=%s", entry.pk, entry.link
            )
            Entry.objects.filter(pk=entry.pk).update(
                status=Entry.Status.FAILED,
                attempts=entry.attempts + 1,
                last_error=f"internal error ({type(error).__name__}): "
                f"{_one_line(error)}",
            )
            article = None
        if article is None:
            # Deferred (the host was busy) rather than failed: no attempt counted.
            Entry.objects.filter(
                pk=entry.pk, status=Entry.Status.PENDING, last_error=ENTRY_UNFINISHED
            ).update(attempts=entry.attempts, last_error=entry.last_error)
            failed += 1
        else:
            ingested += 1
    return ingested, failed


def feed_ingest_pending(*, feed: Feed) -> PollResult:
    """Ingest the entries of ``feed`` left pending (a poll cut short by its time
    budget, or by a poller killed mid-ingest), without fetching the feed again: its
    schedule is kept, and the pages wait no longer than a lease (issue #16)."""
    holder = lease_holder()
    lease = feed_lease_claim(feed_id=feed.pk, holder=holder)
    if lease is None:
        return PollResult(feed_id=feed.pk, ok=True, skipped=True, pending_only=True)
    deadline = time.monotonic() + POLL_TIME_BUDGET.total_seconds()
    heartbeat = _LeaseHeartbeat(feed.pk, holder)
    try:
        with heartbeat:
            ingested, failed = _entries_ingest(feed, deadline, retry_failed=False)
    finally:
        feed_lease_release(feed_id=feed.pk, lease=heartbeat.lease or lease)
    if ingested:
        from cupure.trends.services import topics_save

        topics_save()
    log.info(
        "Pending entries ingested feed_id=%s ingested=%s failed=%s",
        feed.pk,
        ingested,
        failed,
    )
    return PollResult(
        feed_id=feed.pk,
        ok=True,
        ingested=ingested,
        failed=failed,
        pending_only=True,
    )


# A feed listing at least this many entries, all of them new since the last poll,
# has probably dropped some we never saw: it is polled again at the floor.
OVERFLOW_MIN_ENTRIES = 10


def _overflowed(parsed: ParsedFeed | None, new_entries: int, had_entries: bool) -> bool:
    """True when a poll (not the first) found every entry of a feed new."""
    if parsed is None or not had_entries:
        return False
    listed = len(parsed.entries)
    return listed >= OVERFLOW_MIN_ENTRIES and new_entries >= listed


def _feed_record_success(
    feed: Feed,
    now: datetime,
    *,
    response: FetchResponse,
    parsed: ParsedFeed | None,
    note: str | None = None,
    overflowed: bool = False,
) -> None:
    feed.status = Feed.Status.OK
    if note is not None:
        feed.last_poll_note = note
    feed.last_error = ""
    feed.last_error_code = ""
    feed.consecutive_failures = 0
    feed.last_polled_at = now
    feed.last_success_at = now
    etag = response.headers.get("etag", "")
    last_modified = response.headers.get("last-modified", "")
    if etag:
        feed.etag = etag[:500]
    if last_modified:
        feed.last_modified = last_modified[:100]
    if parsed is not None:
        feed.format = parsed.format[:20]
        feed.ttl_seconds = parsed.ttl_seconds
        if parsed.title and not feed.title:
            feed.title = parsed.title[:500]
    fields = [
        "status",
        "last_error",
        "last_error_code",
        "consecutive_failures",
        "last_polled_at",
        "last_success_at",
        "etag",
        "last_modified",
        "format",
        "ttl_seconds",
        "title",
        "next_poll_at",
        "redirect_pending_url",
        "redirect_seen",
        "last_poll_note",
    ]
    pending, seen, adopt = permanent_redirect_step(
        feed.redirect_pending_url, feed.redirect_seen, response.permanent_redirect
    )
    feed.redirect_pending_url, feed.redirect_seen = pending[:2000], seen
    if adopt:
        feed.redirect_pending_url, feed.redirect_seen = "", 0
        _feed_adopt_redirect(feed, pending)
    plan = feed_poll_plan(
        feed,
        now=now,
        cache_lifetime=cache_lifetime(response.headers, now),
        overflowed=overflowed,
    )
    feed.next_poll_at = now + timedelta(seconds=plan.seconds)
    feed.poll_interval_seconds = round(plan.wanted_seconds)
    feed.poll_reason = plan.reason[:300]
    feed.save(update_fields=[*fields, "poll_interval_seconds", "poll_reason"])


def _same_host(host: str) -> Q:
    """Feeds whose URL is on ``host`` (any scheme or port)."""
    query = Q()
    for scheme in ("http", "https"):
        query |= Q(url__istartswith=f"{scheme}://{host}/")
        query |= Q(url__istartswith=f"{scheme}://{host}:")
    return query


def feed_poll_plan(
    feed: Feed,
    *,
    now: datetime,
    cache_lifetime: float | None = None,
    overflowed: bool = False,
) -> PollPlan:
    """The next poll of a healthy ``feed`` (:func:`cupure.feeds.schedule.poll_plan`)
    from its recent entries, the server's hints, its push subscription and what the
    other feeds of its host want of the host's budget."""
    published = feed.entries.filter(published__gte=now - RATE_WINDOW).values_list(
        "published", flat=True
    )
    host = host_key(feed.url)
    others = list(
        Feed.objects.filter(_same_host(host))
        .exclude(pk=feed.pk)
        .exclude(status=Feed.Status.INACTIVE)
        .values_list("poll_interval_seconds", flat=True)
    )
    return poll_plan(
        list(published),
        now=now,
        cache_lifetime=cache_lifetime,
        ttl_seconds=feed.ttl_seconds,
        host=host,
        host_others_per_hour=sum(3600.0 / w for w in others if w),
        host_feeds=len(others) + 1,
        host_budget_per_hour=settings.CUPURE_POLL_HOST_BUDGET,
        pushed=feed_is_pushed(feed, now=now),
        overflowed=overflowed,
        min_seconds=settings.CUPURE_POLL_MIN_SECONDS,
        max_seconds=settings.CUPURE_POLL_MAX_SECONDS,
    )


def feed_is_pushed(feed: Feed, *, now: datetime) -> bool:
    """True while a hub pushes this feed's new entries (a verified, unexpired
    WebSub subscription)."""
    from .websub import feed_is_pushed as pushed

    return pushed(feed, now=now)


def _websub_after_poll(
    feed: Feed,
    response: FetchResponse,
    parsed: ParsedFeed | None,
    now: datetime,
    stored_since: datetime | None,
) -> None:
    """Subscribe at the hub the feed names, and notice a hub that stopped pushing
    (the poll found entries it should have pushed); see cupure.sources.websub. A
    hub's trouble never fails the poll."""
    from .websub import websub_check_missed, websub_consider

    try:
        if stored_since is not None:
            websub_check_missed(feed=feed, stored_since=stored_since, now=now)
        websub_consider(feed=feed, response=response, parsed=parsed, now=now)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        log.exception("WebSub subscription failed feed_id=%s", feed.pk)


def _poll_note(lines: list[str]) -> str:
    """What a poll left out, for the feed's ``last_poll_note``: a count and the
    first POLL_NOTE_MAX_LINES reasons."""
    if not lines:
        return ""
    shown = [_one_line(ValueError(line)) for line in lines[:POLL_NOTE_MAX_LINES]]
    more = len(lines) - len(shown)
    tail = [f"… and {more} more"] if more else []
    return "\n".join([f"{len(lines)} entries left out:", *shown, *tail])


def _feed_adopt_redirect(feed: Feed, target: str) -> None:
    """Adopt a confirmed permanent redirect, re-checking the address first: every hop
    to it passed the fetcher's checks, but a stored URL must stay allowed."""
    try:
        allowed = check_url(target, policy=fetch_policy())
    except FetchError as error:
        log.warning(
            "Permanent redirect not adopted feed_id=%s target=%s: %s",
            feed.pk,
            target,
            error,
        )
        return
    if Feed.objects.filter(url=allowed).exclude(pk=feed.pk).exists():
        log.warning(
            "Permanent redirect not adopted, already subscribed feed_id=%s url=%s",
            feed.pk,
            allowed,
        )
        return
    log.info("Feed URL adopted feed_id=%s old=%s new=%s", feed.pk, feed.url, allowed)
    feed.url = allowed
    feed.save(update_fields=["url"])


class InternalPollError(FeedError):
    """A poll failed in our own code (a bug, input no check foresaw)."""

    code = "internal_error"


def _feed_record_failure(
    feed: Feed, error: FetchError | FeedError, now: datetime
) -> None:
    metrics.fetch_failed("feed", error)
    feed.last_error = str(error).replace("\n", " ")
    feed.last_error_code = error.code[:40]
    feed.last_polled_at = now
    fields = [
        "status",
        "last_error",
        "last_error_code",
        "consecutive_failures",
        "last_polled_at",
        "next_poll_at",
        "poll_reason",
    ]
    if isinstance(error, Gone):
        # 410: the publisher removed the feed for good. Only an admin revives it.
        feed.status = Feed.Status.INACTIVE
        feed.next_poll_at = None
        feed.poll_reason = "never: the feed is gone (410); an admin may refresh it"
        feed.save(update_fields=fields)
        log.warning("Feed gone, deactivated feed_id=%s url=%s", feed.pk, feed.url)
        return
    feed.consecutive_failures += 1
    broken = is_broken(feed.consecutive_failures)
    feed.status = Feed.Status.BROKEN if broken else Feed.Status.FAILING
    retry_after = error.retry_after if isinstance(error, RateLimited) else None
    delay = backoff_interval(
        feed.consecutive_failures, retry_after=retry_after, jitter=random.random()
    )
    feed.next_poll_at = now + timedelta(seconds=delay)
    feed.poll_reason = backoff_reason(
        feed.consecutive_failures, retry_after=retry_after, delay=delay
    )[:300]
    feed.save(update_fields=fields)
    log.warning(
        "Feed failed feed_id=%s url=%s code=%s error=%s",
        feed.pk,
        feed.url,
        error.code,
        error,
    )


def process_lease_claim(
    *, name: str, holder: str, ttl: timedelta, now: datetime | None = None
) -> bool:
    """Take or renew the role ``name`` for ``holder`` until ``now + ttl``.

    True when ``holder`` holds it now; False while another live holder does. One
    conditional UPDATE decides, so two processes starting at once cannot both win.
    """
    now = now or timezone.now()
    ProcessLease.objects.get_or_create(name=name)
    won = (
        ProcessLease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__isnull=True) | Q(expires_at__lt=now))
        .update(holder=holder, expires_at=now + ttl)
    )
    return won == 1


def process_lease_release(*, name: str, holder: str) -> None:
    """Give the role up at once (on a clean stop), so another process can take it."""
    ProcessLease.objects.filter(name=name, holder=holder).update(expires_at=None)


def feed_mark_enqueued(*, feed_id: int, now: datetime) -> None:
    """Push a feed handed to a worker out of the due list for ENQUEUED_HOLD, so the
    scheduler does not enqueue it again while it waits; the poll sets the real time,
    and a lost task makes the feed due again after that."""
    Feed.objects.filter(pk=feed_id).update(next_poll_at=now + ENQUEUED_HOLD)


@dataclass(frozen=True)
class OpmlImportLine:
    """What happened to one subscription of an OPML file."""

    url: str
    outcome: str  # "added", "exists" or "refused"
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.outcome}: {self.url}" + (
            f" ({self.reason})" if self.reason else ""
        )


def opml_import(*, content: bytes) -> list[OpmlImportLine]:
    """Subscribe to every feed of an OPML file, each URL through the same checks as
    ``add-feed``; one line per subscription. Raises OpmlError for an unreadable file.
    """
    from cupure.feeds import parse_opml
    from cupure.rights.policy import parse_policy

    lines: list[OpmlImportLine] = []
    for item in parse_opml(content):
        try:
            url = feed_url_check(url=item.xml_url)
        except FetchError as error:
            lines.append(OpmlImportLine(item.xml_url, "refused", str(error)))
            continue
        if item.display_policy:
            try:
                parse_policy(item.display_policy)
            except ValueError as error:
                lines.append(OpmlImportLine(url, "refused", f"displayPolicy: {error}"))
                continue
        if Feed.objects.filter(url=url).exists():
            lines.append(OpmlImportLine(url, "exists"))
            continue
        host = urlsplit(url).hostname or ""
        publisher = publisher_get_or_create(
            name=item.title or host,
            homepage_url=item.html_url[:2000],
            display_policy=item.display_policy or None,
        )
        feed_create(url=url, publisher=publisher, title=item.title[:500])
        lines.append(OpmlImportLine(url, "added"))
    return lines


def opml_export(*, now: datetime | None = None) -> bytes:
    """Every feed that is not inactive as an OPML 2.0 document, by publisher."""
    from cupure.feeds import OpmlFeed, export_opml

    feeds = (
        Feed.objects.exclude(status=Feed.Status.INACTIVE)
        .select_related("publisher")
        .order_by("publisher__name", "url")
    )
    return export_opml(
        (
            OpmlFeed(
                title=feed.title or feed.publisher.name,
                xml_url=feed.url,
                html_url=feed.publisher.homepage_url,
                category=feed.publisher.name,
                display_policy=feed.publisher.display_policy,
            )
            for feed in feeds
        ),
        title="cupure subscriptions",
        now=now,
    )
