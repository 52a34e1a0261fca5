"""Reads for comments: threads for a page, counts for cards, the story's comments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cupure.articles.models import Article
from cupure.articles.selectors import article_cards

from .models import Comment, CommentReport, CommentStatus
from .moderation import UNCONFIRMED_EMAIL_REASON
from .services import edit_window

# How readers may order a thread; replies always read oldest first (a conversation).
ORDERS = {"oldest": "Oldest first", "newest": "Newest first", "top": "Most replies"}
DEFAULT_ORDER = "oldest"
# A story page shows this many comments per article (with a link to the rest):
# a story can gather dozens of articles.
STORY_COMMENTS_PER_ARTICLE = 5


@dataclass
class CommentNode:
    """A comment as the viewer may see it, with its visible replies."""

    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    is_own: bool = False
    can_edit: bool = False

    @property
    def is_deleted(self) -> bool:
        return self.comment.status == CommentStatus.DELETED

    @property
    def is_pending(self) -> bool:
        return self.comment.status == CommentStatus.PENDING

    @property
    def awaits_email(self) -> bool:
        """Held (at least) until its author confirms their email address."""
        return self.is_pending and UNCONFIRMED_EMAIL_REASON in self.comment.hold_reason

    @property
    def reply_form_id(self) -> str:
        return f"reply-{self.comment.pk}"

    @property
    def replies_id(self) -> str:
        return f"replies-{self.comment.pk}"

    @property
    def reply_label(self) -> str:
        return f"Reply to {self.comment.display_name}"

    @property
    def reply_total(self) -> int:
        return sum(1 + reply.reply_total for reply in self.replies)


@dataclass
class CommentThread:
    """An article's comments for one viewer: the tree, and the public count."""

    article: Article
    roots: list[CommentNode]
    count: int
    order: str


def _visible(viewer: AbstractBaseUser | AnonymousUser | None) -> Q:
    public = Q(status__in=[CommentStatus.PUBLISHED, CommentStatus.DELETED])
    if viewer is not None and viewer.is_authenticated:
        # Authors see their own comments that wait for a moderator, marked as such.
        return public | Q(status=CommentStatus.PENDING, author_id=viewer.pk)
    return public


def _build(
    comments: Iterable[Comment],
    viewer: AbstractBaseUser | AnonymousUser | None,
    now: datetime,
) -> dict[int, list[CommentNode]]:
    """Roots per article id; replies nested under their parents, oldest first."""
    window = edit_window()
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    nodes: dict[int, CommentNode] = {}
    ordered = sorted(comments, key=lambda c: (c.created_at, c.pk))
    for comment in ordered:
        own = viewer_id is not None and comment.author_id == viewer_id
        nodes[comment.pk] = CommentNode(
            comment=comment,
            is_own=own,
            can_edit=own
            and comment.status in {CommentStatus.PUBLISHED, CommentStatus.PENDING}
            and now - comment.created_at <= window,
        )
    roots: dict[int, list[CommentNode]] = defaultdict(list)
    for comment in ordered:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.replies.append(node)
        elif comment.parent_id is None:
            roots[comment.article_id].append(node)
        # A reply whose parent is hidden (rejected, or someone else's pending) is
        # hidden with it: it would make no sense without what it answers.
    return roots


def _sort_roots(roots: list[CommentNode], order: str) -> list[CommentNode]:
    if order == "newest":
        return sorted(roots, key=lambda n: n.comment.created_at, reverse=True)
    if order == "top":
        return sorted(
            roots, key=lambda n: (n.reply_total, n.comment.created_at), reverse=True
        )
    return roots


def _published_in(nodes: list[CommentNode]) -> int:
    """Published comments in these trees (replies to hidden comments are not shown,
    so they are not counted either)."""
    return sum(
        (node.comment.status == CommentStatus.PUBLISHED) + _published_in(node.replies)
        for node in nodes
    )


def comment_thread(
    *,
    article: Article,
    viewer: AbstractBaseUser | AnonymousUser | None = None,
    order: str = DEFAULT_ORDER,
    now: datetime | None = None,
) -> CommentThread:
    """The article's thread as ``viewer`` sees it, in one query.

    Published comments, "[deleted]" placeholders, and the viewer's own comments that
    wait for moderation; ``order`` is one of ``ORDERS`` (unknown: oldest first).
    """
    now = now or timezone.now()
    order = order if order in ORDERS else DEFAULT_ORDER
    comments = list(
        Comment.objects.filter(_visible(viewer), article=article).select_related(
            "author"
        )
    )
    for comment in comments:
        comment.article = article  # one article: no query per comment for its URL
    roots = _build(comments, viewer, now).get(article.pk, [])
    count = _published_in(roots)
    return CommentThread(
        article=article, roots=_sort_roots(roots, order), count=count, order=order
    )


def comment_threads_for_story(
    *,
    articles: Iterable[Article],
    viewer: AbstractBaseUser | AnonymousUser | None = None,
    per_article: int = STORY_COMMENTS_PER_ARTICLE,
    now: datetime | None = None,
) -> list[CommentThread]:
    """The comments on a story's articles, one thread per article that has any.

    One query for all of them; each thread keeps its newest ``per_article`` top-level
    comments (``count`` still counts them all, for a "see all" link).

    Given an (unsliced) queryset, the comments are read first (the articles as a
    subquery) and only the articles that have some are loaded, as list items
    (``article_cards``): most articles of a big story have no comments, and loading
    them all, whole, was a fifth of the story page's render time at 100k articles.
    Threads keep the queryset's order.
    """
    now = now or timezone.now()
    visible = Comment.objects.filter(_visible(viewer)).select_related("author")
    if isinstance(articles, QuerySet) and not articles.query.is_sliced:
        comments = list(visible.filter(article_id__in=articles.values("pk")))
        commented = {comment.article_id for comment in comments}
        articles = article_cards(articles.filter(pk__in=commented)) if commented else []
        by_id = {article.pk: article for article in articles}
    else:
        by_id = {article.pk: article for article in articles}
        comments = list(visible.filter(article_id__in=list(by_id)))
    for comment in comments:
        comment.article = by_id[comment.article_id]
    roots = _build(comments, viewer, now)
    threads = [
        CommentThread(
            article=article,
            roots=_sort_roots(roots[pk], "newest")[:per_article],
            count=_published_in(roots[pk]),
            order="newest",
        )
        for pk, article in by_id.items()
        if roots.get(pk)
    ]
    return threads


def with_comment_counts(articles: QuerySet[Article]) -> QuerySet[Article]:
    """``articles`` with ``comment_count`` (published comments) in the same query."""
    published = (
        Comment.objects.filter(article=OuterRef("pk"), status=CommentStatus.PUBLISHED)
        .order_by()
        .values("article")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return articles.annotate(
        comment_count=Coalesce(Subquery(published, output_field=IntegerField()), 0)
    )


def comment_counts(*, article_ids: Iterable[int]) -> dict[int, int]:
    """Published comments per article, in one query (articles without any: absent)."""
    rows = (
        Comment.objects.filter(
            article_id__in=list(article_ids), status=CommentStatus.PUBLISHED
        )
        .values_list("article_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    return dict(rows)


def comment_for_viewer(*, pk: int) -> Comment:
    """One comment with its article (for the edit/delete/report pages)."""
    return Comment.objects.select_related("article", "author").get(pk=pk)


def comment_data_for_author(*, user_id: int) -> tuple[list[dict], list[dict]]:
    """An account's comments and reports as JSON-ready data (for "your data")."""
    comments = [
        {
            "id": c.pk,
            "article": c.article.get_absolute_url(),
            "article_title": c.article.title,
            "original_url": c.article.url,
            "in_reply_to": c.parent_id,
            "text": c.body_markdown,
            "status": c.status,
            "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
        }
        for c in Comment.objects.filter(author_id=user_id).select_related("article")
    ]
    reports = [
        {
            "comment": r.comment_id,
            "reason": r.reason,
            "note": r.note,
            "created_at": r.created_at.isoformat(),
            "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
        }
        for r in CommentReport.objects.filter(reporter_id=user_id)
    ]
    return comments, reports
