"""Writes for stories: recognise copies, assign each new article to a story.

The clusterer and the copy index live in memory (one per process), rebuilt from the
database on first use by replaying the stored assignments of the open window; every
decision is written to the database at once, so a restart loses nothing.

Several processes (Celery workers) may assign at once. Assignments are serialised
across processes by a lock held for the assignment's transaction (a PostgreSQL
advisory lock; on SQLite the write lock ``BEGIN IMMEDIATE`` takes), and each article
gets the next ``story_seq``. Before deciding, a process replays the assignments other
processes made since it last looked, so every process decides from the same state.

Healing. When an article shows that two open stories are one event (the clusterer
merges them, see ``cupure.cluster.stories``), :func:`story_merge` moves the
absorbed story's articles (and with them their comments and the story's place in
every feed and list) to the surviving story, deletes the absorbed story and keeps
its id as a :class:`StoryAlias`, so its URL answers 301 to the survivor. Other
processes replay merges like assignments (``_state_sync``).

A story that drifts into two events is not split: its articles keep the story
(and readers their links). Drift stays bounded because an article joins on the
score against the whole story's centroid, so a new turn of events that no longer
resembles the bulk of the coverage starts a story of its own, and a story closes
after ``STORY_WINDOW`` without news.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.text import slugify

from cupure.articles.models import Article
from cupure.articles.selectors import ARTICLE_UNSHOWN_FIELDS
from cupure.cluster.stories import STORY_WINDOW, StoryClusterer, StoryDoc
from cupure.text.fingerprint import CopyIndex, text_signature
from cupure.text.semantic import (
    SemanticModelMissing,
    SemanticVectors,
    semantic_vectors,
)

from .models import Story, StoryAlias

log = logging.getLogger(__name__)

# Stories shown as related to a story, chosen by content.
RELATED_LIMIT = 5
# Copies of wire stories appear within days of the original; older signatures
# leave the in-memory index so a long-running process stays bounded.
COPY_WINDOW = STORY_WINDOW
RESTORE_FIELDS = (
    "id",
    "title",
    "paragraphs",
    "published",
    "publisher_id",
    "story_id",
    "duplicate_of_id",
    "signature",
    "story_seq",
)
# Columns of a story's lead article that assignment never reads: those no page
# shows, and the body, standfirst and summary.
LEAD_DEFERRED = (
    *ARTICLE_UNSHOWN_FIELDS,
    "paragraphs",
    "block_kinds",
    "summary",
    "standfirst",
)
# Pruning scans the whole copy index: do it every so many assignments, not each one.
COPY_PRUNE_EVERY = 500
# Key of the PostgreSQL advisory lock that serialises story assignment ("cupu").
ASSIGNMENT_LOCK_KEY = 0x63757075


@dataclass
class _State:
    clusterer: StoryClusterer
    copies: CopyIndex
    # The highest story_seq this process has replayed or made.
    synced_seq: int = 0
    assigned: int = 0
    # Merges this process has replayed or made are those up to this time.
    aliases_since: datetime | None = None


_state: _State | None = None
_lock = threading.RLock()


def story_state_reset() -> None:
    """Forget the in-memory state; the next assignment rebuilds it from the DB."""
    global _state  # one state per process, by design
    with _lock:
        _state = None


def _story_doc(article: Article) -> StoryDoc:
    return StoryDoc(
        doc_id=article.pk,
        title=article.title,
        text=article.text,
        published=article.published,
        source=str(article.publisher_id),
    )


def _semantic_or_none() -> SemanticVectors | None:
    """The semantic word vectors, or None (TF-IDF alone, logged) when the model
    package is not installed: assignment must go on either way."""
    try:
        return semantic_vectors()
    except SemanticModelMissing as exc:
        log.warning("stories assigned without semantic similarity: %s", exc)
        return None


def _top_story_id() -> int:
    """The highest story id ever given (merged stories' ids live on as aliases
    and are never given again)."""
    top = Story.objects.aggregate(top=Max("id"))["top"] or 0
    alias = StoryAlias.objects.aggregate(top=Max("id"))["top"] or 0
    return max(top, alias)


def _state_get() -> _State:
    global _state
    if _state is not None:
        return _state
    next_id = _top_story_id() + 1
    state = _State(
        clusterer=StoryClusterer(next_story_id=next_id, semantic=_semantic_or_none()),
        copies=CopyIndex(),
        aliases_since=timezone.now(),
    )
    totals = Article.objects.filter(story__isnull=False).aggregate(
        newest=Max("published"), seq=Max("story_seq")
    )
    newest = totals["newest"]
    state.synced_seq = totals["seq"] or 0
    if newest is not None:
        since = newest - max(STORY_WINDOW, COPY_WINDOW)
        stored = (
            Article.objects.filter(story__isnull=False, published__gte=since)
            .only(*RESTORE_FIELDS)
            .order_by("published", "id")
        )
        for article in stored.iterator(chunk_size=500):
            if article.signature:
                state.copies.add(article.pk, article.signature, article.published)
            if article.duplicate_of_id is None:
                state.clusterer.restore(_story_doc(article), article.story_id)
        state.clusterer.close_stale(newest)
    _state = state
    return state


def _lock_assignments() -> None:
    """Hold the cross-process assignment lock until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ASSIGNMENT_LOCK_KEY])
    # SQLite: the transaction began with BEGIN IMMEDIATE and holds the write lock.


def _state_sync(state: _State) -> None:
    """Replay assignments made by other processes since this one last looked."""
    newer = (
        Article.objects.filter(story_seq__gt=state.synced_seq)
        .only(*RESTORE_FIELDS)
        .order_by("story_seq")
    )
    replayed = False
    for article in newer.iterator(chunk_size=500):
        if article.signature:
            state.copies.add(article.pk, article.signature, article.published)
        if article.duplicate_of_id is None and article.story_id is not None:
            state.clusterer.restore(_story_doc(article), article.story_id)
        state.synced_seq = article.story_seq
        replayed = True
    # Merges made by other processes. A merge is always made while assigning an
    # article, so there is none to replay unless another process assigned; then
    # read those since the last look (merged_at is written under the assignment
    # lock, so a later merge never has an earlier time; replaying is idempotent).
    if replayed and state.aliases_since is not None:
        now = timezone.now()
        merges = StoryAlias.objects.filter(merged_at__gte=state.aliases_since).order_by(
            "merged_at", "id"
        )
        for alias_id, story_id in merges.values_list("id", "story_id"):
            state.clusterer.merge(story_id, alias_id)
        state.aliases_since = now
    if replayed:
        top = _top_story_id()
        state.clusterer.next_story_id = max(state.clusterer.next_story_id, top + 1)


def story_assign(*, article: Article) -> Story:
    """Put ``article`` in a story: its original's story if it is a copy, else the
    story the clusterer picks (a new one when nothing fits). Idempotent, also when
    two workers get the same article."""
    if article.story_id is not None:
        return article.story
    with _lock:
        try:
            return _story_assign_locked(article)
        except Exception:
            # The in-memory state may hold a decision the database rolled back.
            story_state_reset()
            raise


def _story_assign_locked(article: Article) -> Story:
    # No savepoint: on any error the caller's whole transaction is rolled back.
    with transaction.atomic(savepoint=False):
        _lock_assignments()
        stored = (
            Article.objects.filter(pk=article.pk, story__isnull=False)
            .values_list("story_id", "duplicate_of_id")
            .first()
        )
        if stored is not None:
            article.story_id, article.duplicate_of_id = stored
            return Story.objects.get(pk=article.story_id)
        state = _state_get()
        _state_sync(state)
        signature = list(text_signature(article.text))
        matches = state.copies.matches(signature)
        if matches:
            # An article taken down (cupure.rights) may linger in this process's
            # copy index: only stored articles can be originals.
            stored_ids = set(
                Article.objects.filter(pk__in=[m.doc_id for m in matches]).values_list(
                    "pk", flat=True
                )
            )
            matches = [m for m in matches if m.doc_id in stored_ids]
        earlier = [m for m in matches if m.published <= article.published]
        later = [m for m in matches if m.published > article.published]
        story: Story | None = None
        merged = False
        if earlier:
            original_id = earlier[0].doc_id
            original_of, story_id = Article.objects.values_list(
                "duplicate_of_id", "story_id"
            ).get(pk=original_id)
            article.duplicate_of_id = original_of or original_id
            story = _story_with_lead(story_id) if story_id is not None else None
        elif later:
            story = _claim_later_copies(article, [m.doc_id for m in later])
        if story is None:
            assignment = state.clusterer.assign(_story_doc(article))
            state.clusterer.next_story_id = max(
                state.clusterer.next_story_id, assignment.story_id + 1
            )
            story = (
                None
                if assignment.created
                else _story_with_lead(assignment.story_id, missing_ok=True)
            )
            if story is None:
                # New, or deleted meanwhile (a takedown emptied it, cupure.rights)
                # while this process's clusterer still held it: stored anew.
                story = _story_create(assignment.story_id, article)
            for absorbed_id in assignment.merged:
                story_merge(survivor=story, absorbed_id=absorbed_id)
                merged = True
        state.copies.add(article.pk, signature, article.published)
        article.story = story
        article.signature = signature
        article.story_seq = state.synced_seq + 1
        article.save(update_fields=["story", "duplicate_of", "signature", "story_seq"])
        state.synced_seq = article.story_seq
        if later or merged:
            story_refresh(story=story, clusterer=state.clusterer)
        else:
            story_refresh(story=story, clusterer=state.clusterer, added=article)
        closed = state.clusterer.close_stale(article.published)
        if closed:
            Story.objects.filter(pk__in=closed, closed_at__isnull=True).update(
                closed_at=timezone.now()
            )
        state.assigned += 1
        if state.assigned % COPY_PRUNE_EVERY == 0:
            state.copies.prune(article.published - COPY_WINDOW)
    return story


def story_merge(*, survivor: Story, absorbed_id: int) -> None:
    """Fold the story ``absorbed_id`` into ``survivor`` in the database: its
    articles (their comments come with them) and topic mentions move, its id
    becomes an alias of ``survivor`` (its URL answers 301), and the absorbed row
    is deleted. The in-memory clusterer has already merged them; the caller
    refreshes the survivor's counters. Runs inside the assignment transaction."""
    from cupure.trends.models import ArticleTopic  # the topic rows carry story ids

    Article.objects.filter(story_id=absorbed_id).update(story=survivor)
    ArticleTopic.objects.filter(story_id=absorbed_id).update(story_id=survivor.pk)
    StoryAlias.objects.filter(story_id=absorbed_id).update(story=survivor)
    StoryAlias.objects.update_or_create(pk=absorbed_id, defaults={"story": survivor})
    Story.objects.filter(pk=absorbed_id).delete()
    log.info(
        "stories merged", extra={"story_id": survivor.pk, "absorbed_id": absorbed_id}
    )


def _claim_later_copies(article: Article, later_ids: list[int]) -> Story | None:
    """``article`` is older than copies already stored: it becomes their original
    (the earliest publication is the one credited) and joins their story."""
    copies = list(Article.objects.filter(pk__in=later_ids).select_related("story"))
    Article.objects.filter(pk__in=later_ids).update(duplicate_of=article)
    Article.objects.copies().filter(duplicate_of_id__in=later_ids).update(
        duplicate_of=article
    )
    stories = [copy.story for copy in copies if copy.story is not None]
    return stories[0] if stories else None


def _story_create(story_id: int, article: Article) -> Story:
    """A story the clusterer just opened (its id is above every stored one: the state
    was synced under the assignment lock)."""
    return Story.objects.create(
        pk=story_id,
        title=article.title,
        slug=slugify(article.title)[:200],
        first_published=article.published,
        last_published=article.published,
    )


def _story_with_lead(story_id: int, *, missing_ok: bool = False) -> Story | None:
    """A stored story with the lead fields ``story_refresh`` compares, in one query
    (the lead's body and page are not needed to compare); None if it is gone and
    ``missing_ok``."""
    stories = Story.objects.select_related("lead_article").defer(
        *(f"lead_article__{name}" for name in LEAD_DEFERRED)
    )
    if missing_ok:
        return stories.filter(pk=story_id).first()
    return stories.get(pk=story_id)


def story_refresh(
    *,
    story: Story,
    clusterer: StoryClusterer | None = None,
    added: Article | None = None,
) -> None:
    """Bring a story's counters, lead and related stories up to date.

    With ``added`` (the article just put in the story) the counters are updated
    incrementally: one query instead of a recount, which matters on bulk imports.
    """
    if added is not None:
        _story_count_added(story, added)
    else:
        _story_recount(story)
    if clusterer is not None:
        story.related = [
            [other, round(score, 4)]
            for other, score in clusterer.related(story.pk, limit=RELATED_LIMIT)
        ]
    # The story is headlined like its lead (the earliest original with a photo), so
    # the headline does not depend on which article happened to be fetched first.
    lead = story.lead_article
    if lead is not None and lead.title and lead.title != story.title:
        story.title = lead.title
        story.slug = slugify(lead.title)[:200]
    story.save()


def _story_count_added(story: Story, added: Article) -> None:
    known_publisher = (
        story.article_count > 0
        and story.articles.filter(publisher_id=added.publisher_id)
        .exclude(pk=added.pk)
        .exists()
    )
    story.article_count += 1
    story.publisher_count += 0 if known_publisher else 1
    story.first_published = min(story.first_published, added.published)
    story.last_published = max(story.last_published, added.published)
    lead = story.lead_article
    # The lead is the earliest original with a photo (or the first original at all).
    earlier = lead is not None and (added.published, added.pk) < (
        lead.published,
        lead.pk,
    )
    better_photo = bool(added.lead_image_src) and (
        lead is None or not lead.lead_image_src or earlier
    )
    if added.duplicate_of_id is None and (lead is None or better_photo):
        story.lead_article = added


def _story_recount(story: Story) -> None:
    articles = story.articles.all()
    totals = articles.aggregate(
        count=Count("id"),
        publishers=Count("publisher", distinct=True),
        first=Min("published"),
        last=Max("published"),
    )
    story.article_count = totals["count"]
    story.publisher_count = totals["publishers"]
    story.first_published = totals["first"] or story.first_published
    story.last_published = totals["last"] or story.last_published
    originals = articles.filter(duplicate_of__isnull=True)
    story.lead_article = (
        originals.exclude(lead_image_src="").order_by("published", "id").first()
        or originals.order_by("published", "id").first()
    )


def stories_assign_pending(*, now: datetime | None = None) -> int:
    """Assign every stored article that has no story yet (oldest first)."""
    count = 0
    pending = Article.objects.filter(story__isnull=True).order_by("published", "id")
    for article in pending.iterator(chunk_size=200):
        story_assign(article=article)
        count += 1
    return count
