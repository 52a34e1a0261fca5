"""Writes for topics: find the topics an article names and store them."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cupure.articles.models import Article
from cupure.text.topics import TopicResolver

from .models import ArticleTopic, ResolverState, TrendSnapshot

log = logging.getLogger(__name__)

# The resolver's state is written back after this many articles (and at the end of
# every poll or import): losing a few learned aliases in a crash costs nothing
# stored, while rewriting the state for every article would dominate bulk imports.
RESOLVER_SAVE_EVERY = 200
# Topics come from the headline and the first paragraphs: what the article is about.
LEAD_PARAGRAPHS = 2

_resolver: TopicResolver | None = None
# The state ``_resolver`` started from (last loaded or saved): what it learned since
# is the difference.
_resolver_base: TopicResolver | None = None
_unsaved = 0
_lock = threading.RLock()


def topic_state_reset() -> None:
    """Forget the in-memory resolver; it is reloaded from the database when needed."""
    global _resolver, _resolver_base, _unsaved
    with _lock:
        _resolver, _resolver_base, _unsaved = None, None, 0


def resolver_load(*, for_update: bool = False) -> TopicResolver:
    """The resolver as last saved (a fresh one when nothing is saved or it is stale);
    ``for_update`` locks the row until the transaction ends (PostgreSQL)."""
    rows = (
        ResolverState.objects.select_for_update()
        if for_update
        else ResolverState.objects
    )
    row = rows.filter(pk=1).first()
    if row is None or not row.state:
        return TopicResolver()
    try:
        return TopicResolver.from_json(row.state)
    except ValueError as error:
        log.warning("Topic resolver state ignored: %s", error)
        return TopicResolver()


def _resolver_get() -> TopicResolver:
    global _resolver, _resolver_base
    if _resolver is None:
        _resolver = resolver_load()
        _resolver_base = _resolver.copy()
    return _resolver


def topics_save() -> None:
    """Write the resolver's state back (call at the end of a batch).

    Other processes may have saved since this one loaded: what this process learned
    is added to the state they saved (``TopicResolver.rebased``), under the row's
    lock, and this process continues from the merged state.
    """
    global _resolver, _resolver_base, _unsaved
    with _lock:
        if _resolver is None or _resolver_base is None:
            return
        with transaction.atomic():
            # The row is locked on PostgreSQL; SQLite's write transaction locks all.
            merged = _resolver.rebased(_resolver_base, resolver_load(for_update=True))
            ResolverState.objects.update_or_create(
                pk=1, defaults={"state": merged.to_json()}
            )
        _resolver, _resolver_base, _unsaved = merged, merged.copy(), 0


def article_topics_extract(*, article: Article) -> list[ArticleTopic]:
    """Find and store the topics ``article`` names; a second call stores nothing."""
    global _unsaved
    if article.topics.exists():
        return list(article.topics.all())
    lead = " ".join(article.paragraphs[:LEAD_PARAGRAPHS])
    with _lock:
        mentions = _resolver_get().extract(
            article.title, lead, language=article.language[:2] or "en"
        )
        rows = [
            ArticleTopic(
                article=article,
                key=mention.key[:200],
                name=mention.name[:300],
                kind=mention.kind[:20],
                story_id=article.story_id,
                publisher_id=article.publisher_id,
                published=article.published,
            )
            for mention in mentions
        ]
        with transaction.atomic(savepoint=False):
            ArticleTopic.objects.bulk_create(rows, ignore_conflicts=True)
        _unsaved += 1
        if _unsaved >= RESOLVER_SAVE_EVERY:
            topics_save()
    return rows


# Snapshots kept for looking back (the newest is the one pages read).
SNAPSHOTS_KEPT = 24
# After a poll the snapshot is recomputed only if older than this: with many feeds,
# a trend computation (about 1 s at 100k articles) per feed poll would dominate.
SNAPSHOT_REFRESH = timedelta(minutes=2)


def trends_snapshot_refresh(*, now: datetime | None = None) -> None:
    """``trends_snapshot_save`` unless a snapshot newer than SNAPSHOT_REFRESH exists."""
    now = now or timezone.now()
    if not TrendSnapshot.objects.filter(
        computed_at__gt=now - SNAPSHOT_REFRESH
    ).exists():
        trends_snapshot_save(now=now)


def trends_snapshot_save(*, now: datetime | None = None) -> list:
    """Compute the trending topics as of ``now`` and store them for the pages."""
    from .selectors import topic_list_trending

    now = now or timezone.now()
    topics = topic_list_trending(at=now)
    TrendSnapshot.objects.create(
        computed_at=now, topics=[topic.to_json() for topic in topics]
    )
    stale = TrendSnapshot.objects.order_by("-computed_at").values_list("pk", flat=True)[
        SNAPSHOTS_KEPT:
    ]
    TrendSnapshot.objects.filter(pk__in=list(stale)).delete()
    return topics
