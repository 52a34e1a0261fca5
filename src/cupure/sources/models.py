"""Where articles come from: publishers, their feeds, and every entry a feed listed."""

from __future__ import annotations

from django.db import models

from cupure.rights.policy import DEFAULT_POLICY, POLICY_CHOICES
from cupure.web.paths import page_path


class Publisher(models.Model):
    """A news organisation whose articles we credit and link."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    homepage_url = models.URLField(max_length=2000, blank=True)
    # What its articles may show (cupure.rights.policy): full, excerpt or headline.
    display_policy = models.CharField(
        max_length=10, choices=POLICY_CHOICES, default=DEFAULT_POLICY.value
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return page_path("web:publisher", slug=self.slug)


class Feed(models.Model):
    """One RSS/Atom/JSON feed we poll, with its health."""

    class Status(models.TextChoices):
        OK = "ok", "OK"
        FAILING = "failing", "Failing"
        BROKEN = "broken", "Broken"
        INACTIVE = "inactive", "Inactive"

    publisher = models.ForeignKey(
        Publisher, on_delete=models.CASCADE, related_name="feeds"
    )
    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OK)
    last_error = models.TextField(blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # How long the publisher says the feed stays fresh (RSS <ttl>); kept for 304 polls.
    ttl_seconds = models.PositiveIntegerField(null=True, blank=True)
    # A permanent redirect seen on recent polls, adopted once it repeats (issue #3).
    redirect_pending_url = models.URLField(max_length=2000, blank=True)
    redirect_seen = models.PositiveSmallIntegerField(default=0)
    # Held by the worker polling this feed; claimed with a conditional UPDATE and
    # renewed while the poll runs. A worker killed mid-poll leaves a lease that ends
    # within a minute, or at once when its holder (host:pid:thread) is seen dead on
    # this host (issue #16).
    poll_lease_until = models.DateTimeField(null=True, blank=True)
    poll_lease_holder = models.CharField(max_length=200, blank=True)
    # Polls started and never finished, in a row (their process died); the second
    # and later are backed off before the feed is fetched again.
    unfinished_polls = models.PositiveSmallIntegerField(default=0)
    # What the last poll left out and why (entries beyond the cap, unusable entries),
    # so nothing is dropped without a word (issue #16).
    last_poll_note = models.TextField(blank=True)
    # The interval this feed wants from its publishing rate and the server's hints,
    # before its host's request budget (shared by the host's feeds in proportion),
    # and why the next poll is when it is, in words (cupure.feeds.schedule).
    poll_interval_seconds = models.PositiveIntegerField(null=True, blank=True)
    poll_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publisher__name", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class Entry(models.Model):
    """An item a feed listed. Unique per feed and guid, so a re-poll adds nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        INGESTED = "ingested", "Ingested"
        FAILED = "failed", "Failed"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    guid = models.CharField(max_length=2000)
    link = models.URLField(max_length=2000)
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    published = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="entry_unique_guid"),
        ]

    def __str__(self) -> str:
        return self.title or self.link


class ProcessLease(models.Model):
    """A named role only one process may hold at a time (the scheduler), held until
    ``expires_at`` and renewed while the holder lives; a dead holder's lease expires."""

    name = models.CharField(max_length=100, unique=True)
    holder = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder or 'nobody'}"


class WebSubSubscription(models.Model):
    """A feed's push subscription at a WebSub hub (cupure.sources.websub).

    The callback is ``CUPURE_PUBLIC_URL/websub/<token>``; ``secret`` signs what the
    hub pushes. Kept after its feed is removed until the hub confirms the
    unsubscription (the hub asks the callback, which must still answer).
    """

    class State(models.TextChoices):
        SUBSCRIBING = "subscribing", "Waiting for the hub to verify"
        ACTIVE = "active", "Active"
        UNSUBSCRIBING = "unsubscribing", "Unsubscribing"
        FAILED = "failed", "Failed (polled instead)"
        EXPIRED = "expired", "Lease expired (polled instead)"

    feed = models.ForeignKey(
        Feed,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="websub_subscriptions",
    )
    hub_url = models.URLField(max_length=2000)
    topic_url = models.URLField(max_length=2000)
    token = models.CharField(max_length=64, unique=True)
    secret = models.CharField(max_length=200)
    state = models.CharField(max_length=15, choices=State, default=State.SUBSCRIBING)
    requested_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    lease_seconds = models.PositiveIntegerField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # After a failure, subscribing is tried again no sooner than this.
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_push_at = models.DateTimeField(null=True, blank=True)
    pushes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "WebSub subscription"

    def __str__(self) -> str:
        return f"{self.topic_url} at {self.hub_url} ({self.state})"
