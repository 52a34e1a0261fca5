"""Takedowns: remove an article everywhere, keep it out, undo (issue #18, item 3).

:func:`takedown` deletes the article (and the stored word-for-word copies of it) in
one transaction, so every surface that reads the database loses it at once: its
page answers 410 Gone with a notice, and the lists, feeds, sitemap, search index,
story coverage and topic mentions drop it (figures, topics and comments go with the
row; its story is recounted, retitled, or deleted when it held nothing else; the
trends snapshot is recomputed). Caches are then told: the page cache and the site
chrome (breaking strip, trending nav) are cleared where this process can reach them
(a shared Redis cache: every process; local memory: its own, the others expire
within CUPURE_PAGE_CACHE_SECONDS and a minute). A :class:`Takedown` row is the
tombstone: :func:`takedown_refusal` is asked by every ingest (before a page is
fetched and before an article is stored) and refuses the URL, the canonical URL, or
a text whose fingerprint matches (a copy at another URL). An admin LogEntry is
written when a person is known. Apps that keep more of an article (stored images)
listen to :data:`article_taken_down`. :func:`takedown_undo` lifts the tombstone and puts
the feed entries that linked the article back in the queue, so the next poll
brings it back.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone

from cupure.articles.models import Article
from cupure.text.fingerprint import (
    COPY_THRESHOLD,
    is_empty_signature,
    signature_similarity,
    text_signature,
)

from .models import Takedown

log = logging.getLogger(__name__)

# Sent inside the takedown's transaction, before the rows go, with ``articles`` (the
# Article instances being removed): apps that keep more of an article elsewhere
# (stored images, say) remove it too, in the same transaction.
article_taken_down = Signal()

# Our own article URLs (/articles/<id>/<slug>/), accepted as well as the original's.
OUR_ARTICLE_PATH = re.compile(r"^/articles/(\d+)/[^/]*/?$")


class TakedownError(ValueError):
    """A takedown that cannot be done as asked; says why."""


@dataclass
class TakedownResult:
    """What one URL's takedown removed."""

    url: str
    takedowns: list[Takedown] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return len(self.takedowns)


def _articles_for(url: str) -> list[Article]:
    """The stored articles ``url`` names: the publisher's URL or canonical URL, or
    our own page of it."""
    from cupure.articles.services import canonical_url_for

    text = url.strip()
    path = urlsplit(text).path if "://" in text else text
    ours = OUR_ARTICLE_PATH.match(path)
    query = Q(url=text) | Q(canonical_url=text)
    if "://" in text:
        query |= Q(canonical_url=canonical_url_for(text, ""))
    if ours:
        query |= Q(pk=int(ours.group(1)))
    return list(Article.objects.filter(query).select_related("publisher"))


def _signature_of(article: Article) -> list[int]:
    if article.signature and not is_empty_signature(article.signature):
        return list(article.signature)
    return list(text_signature(article.text))


def takedown(
    *, urls: Iterable[str], reason: str, user: Any = None, requested_by: str = ""
) -> list[TakedownResult]:
    """Take down the articles ``urls`` name (publisher's URL, canonical URL or our
    page), with their stored copies. Raises TakedownError, before changing
    anything, when the reason is empty or a URL names no article."""
    reason = reason.strip()
    if not reason:
        raise TakedownError("a takedown needs a reason (--reason)")
    who = requested_by or (user.get_username() if user is not None else "")
    if not who:
        raise TakedownError("a takedown needs to say who asked for it")
    wanted = [u.strip() for u in urls if u.strip()]
    if not wanted:
        raise TakedownError("no URL given")
    found = {url: _articles_for(url) for url in wanted}
    missing = [url for url, articles in found.items() if not articles]
    if missing:
        raise TakedownError(
            "no stored article at " + ", ".join(missing) + " (nothing was taken down)"
        )
    from cupure.db import write_turn

    results = []
    with write_turn(), transaction.atomic():
        for url, articles in found.items():
            result = TakedownResult(url=url)
            for article in articles:
                result.takedowns += _take_down(article, reason, who, user)
            results.append(result)
    _after_removal()
    return results


def _take_down(article: Article, reason: str, who: str, user: Any) -> list[Takedown]:
    """Tombstone and delete ``article`` and its copies (inside the transaction)."""
    from cupure.search.services import search_unindex_article
    from cupure.stories.models import Story

    copies = list(
        Article.objects.copies()
        .filter(duplicate_of=article)
        .select_related("publisher")
    )
    tombstones = []
    story_ids = set()
    for item in [article, *copies]:
        why = (
            reason if item is article else f"copy of {article.canonical_url}: {reason}"
        )
        tombstones.append(
            Takedown.objects.create(
                url=item.url,
                canonical_url=item.canonical_url,
                signature=_signature_of(item),
                article_id=item.pk,
                title=item.title,
                publisher_name=item.publisher.name[:200],
                reason=why,
                requested_by=who[:200],
                created_by=user if user is not None and user.pk else None,
            )
        )
        if item.story_id is not None:
            story_ids.add(item.story_id)
        search_unindex_article(article_id=item.pk)
        _log(user, item, f"Taken down: {why}", deletion=True)
        log.warning(
            "Article taken down article_id=%s url=%s by=%s", item.pk, item.url, who
        )
    article_taken_down.send(sender=Takedown, articles=[article, *copies])
    Article.objects.filter(pk__in=[item.pk for item in [article, *copies]]).delete()
    for story in Story.objects.filter(pk__in=story_ids).select_related("lead_article"):
        _story_after_removal(story)
    return tombstones


def _story_after_removal(story: Any) -> None:
    """A story that lost articles: deleted when empty, else recounted and
    retitled after its (possibly new) lead."""
    from cupure.stories.services import story_refresh

    if not story.articles.exists():
        story.delete()
        return
    story_refresh(story=story)


def _log(user: Any, obj: Any, message: str, *, deletion: bool) -> None:
    """An admin LogEntry (the admin's history), when a person is known."""
    if user is None or not getattr(user, "pk", None):
        return
    from django.contrib.admin.models import CHANGE, DELETION, LogEntry

    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[obj],
        action_flag=DELETION if deletion else CHANGE,
        change_message=message[:1000],
        single_object=True,
    )


def _after_removal() -> None:
    """Everything derived outside the article rows: trends and caches."""
    from cupure.stories.services import story_state_reset
    from cupure.trends.services import trends_snapshot_save

    # This process's copy index forgets the articles at once; others skip ids that
    # are gone (stories.services).
    story_state_reset()
    trends_snapshot_save()
    transaction.on_commit(forget_cached_pages)


def forget_cached_pages() -> None:
    """Clear the cached pages and site chrome that this process can reach."""
    from cupure.rights.cache import page_cache_forget

    page_cache_forget()


def takedown_undo(*, takedown_id: int, user: Any = None, requested_by: str = "") -> int:
    """Lift a takedown: the tombstone stays as a record (``undone_at``), and the feed
    entries that linked the article are queued again; returns how many. An
    imported article comes back by importing it again."""
    from cupure.sources.models import Entry

    who = requested_by or (user.get_username() if user is not None else "")
    with transaction.atomic():
        tombstone = Takedown.objects.select_for_update().filter(pk=takedown_id).first()
        if tombstone is None:
            raise TakedownError(f"no takedown {takedown_id}")
        if tombstone.undone_at is not None:
            raise TakedownError(f"takedown {takedown_id} was already undone")
        tombstone.undone_at = timezone.now()
        tombstone.undone_by = who[:200]
        tombstone.save(update_fields=["undone_at", "undone_by"])
        requeued = Entry.objects.filter(
            Q(link=tombstone.url) | Q(link=tombstone.canonical_url),
            article__isnull=True,
        ).update(status=Entry.Status.PENDING, attempts=0, last_error="")
        _log(
            user,
            tombstone,
            f"Takedown undone; {requeued} feed entries requeued",
            deletion=False,
        )
    log.warning("Takedown undone takedown_id=%s by=%s", takedown_id, who)
    return requeued


# --- Refusing re-ingest -------------------------------------------------------------


def takedown_refusal(
    *,
    url: str,
    canonical_url: str = "",
    paragraphs: Sequence[str] | None = None,
) -> Takedown | None:
    """The active takedown that forbids storing this article, if any: same URL,
    same canonical URL, or (given ``paragraphs``) a text that copies it. Counts the
    refusal on the tombstone."""
    active = Takedown.objects.filter(undone_at__isnull=True)
    urls = {u for u in (url, canonical_url) if u}
    match = active.filter(Q(url__in=urls) | Q(canonical_url__in=urls)).first()
    if match is None and paragraphs:
        candidates = [
            (pk, stored)
            for pk, stored in active.values_list("pk", "signature")
            if stored and not is_empty_signature(stored)
        ]
        signature = text_signature("\n\n".join(paragraphs)) if candidates else ()
        if signature and not is_empty_signature(signature):
            for pk, stored in candidates:
                if signature_similarity(signature, stored) >= COPY_THRESHOLD:
                    match = Takedown.objects.get(pk=pk)
                    break
    if match is not None:
        Takedown.objects.filter(pk=match.pk).update(refusals=F("refusals") + 1)
    return match


def refusal_message(tombstone: Takedown) -> str:
    return (
        f"taken down on {tombstone.created_at:%Y-%m-%d} ({tombstone.reason}); "
        f"not stored again (takedown {tombstone.pk}: {tombstone.canonical_url})"
    )
