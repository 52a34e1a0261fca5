"""Writes for comments: create, edit, delete, report, and the moderators' actions.

Every function is keyword-only, typed and atomic, and logs what it did to the
moderation log. Views, forms and admin actions call these and nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from cupure.articles.models import Article

from .addresses import ip_network_of
from .errors import (
    CommentAlreadyReported,
    CommentEditWindowClosed,
    CommentPermissionDenied,
    CommentRateLimited,
    CommentRefused,
)
from .markup import SANITIZER_VERSION, render_comment_html
from .models import (
    ClosedThread,
    Comment,
    CommenterBan,
    CommentReport,
    CommentStatus,
    ModerationAction,
    ModerationLogEntry,
)
from .moderation import (
    COMMENT_CHECKS,
    UNCONFIRMED_EMAIL_REASON,
    Check,
    CommentDraft,
    Decision,
    moderate,
)

log = logging.getLogger(__name__)

# What an anonymous reader may call themselves: long enough for a full name.
AUTHOR_NAME_MAX_LENGTH = 80


def _log(
    *,
    comment: Comment | None,
    action: str,
    reason: str = "",
    actor: AbstractBaseUser | None = None,
    now: datetime,
) -> None:
    ModerationLogEntry.objects.create(
        comment=comment, action=action, reason=reason, actor=actor, created_at=now
    )


def _raise_refusal(decision: Decision) -> None:
    refused = decision.refused
    if refused is None:
        return
    if refused.retry_at is not None:
        raise CommentRateLimited(
            refused.message, check=decision.refused_by, retry_at=refused.retry_at
        )
    raise CommentRefused(refused.message, check=decision.refused_by)


def edit_window() -> timedelta:
    return timedelta(minutes=settings.CUPURE_COMMENTS_EDIT_MINUTES)


def comment_create(
    *,
    article: Article,
    body: str,
    author: AbstractBaseUser | None = None,
    author_name: str = "",
    parent: Comment | None = None,
    ip_address: str | None = None,
    form_age: timedelta | None = None,
    honeypot: str = "",
    now: datetime | None = None,
    checks: Sequence[Check] = COMMENT_CHECKS,
) -> Comment:
    """Store a reader's comment, published or held as the moderation checks decide.

    Raises ``CommentPermissionDenied`` when anonymous comments are off and nobody is
    signed in, ``CommentRateLimited`` (with ``retry_at``) or ``CommentRefused`` when
    a check refuses it; in those cases nothing is stored. A reply to a comment at
    ``CUPURE_COMMENTS_MAX_DEPTH`` joins that comment's own level.
    """
    now = now or timezone.now()
    if author is not None and not author.is_authenticated:
        author = None
    author_name = author_name.strip()[:AUTHOR_NAME_MAX_LENGTH]
    if author is None:
        if not settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS:
            raise CommentPermissionDenied("Sign in or create an account to comment.")
        if not author_name:
            raise CommentRefused(
                "Give a name to comment without an account.", check="name"
            )
    if parent is not None:
        if parent.article_id != article.pk:
            raise CommentRefused(
                "That reply belongs to another article.", check="thread_open"
            )
        if parent.depth >= settings.CUPURE_COMMENTS_MAX_DEPTH and parent.parent_id:
            parent = parent.parent
    network = ip_network_of(ip_address)
    with transaction.atomic():
        if author is not None:
            # One post at a time per account: the rate and repeat checks must see the
            # previous post (SQLite serialises writers already; PostgreSQL needs this).
            get_user_model().objects.select_for_update().filter(pk=author.pk).first()
        draft = CommentDraft(
            article_id=article.pk,
            article_published=article.published,
            body=body,
            author_id=author.pk if author is not None else None,
            ip_network=network,
            now=now,
            parent_status=parent.status if parent is not None else None,
            form_age=form_age,
            honeypot=honeypot,
        )
        decision = moderate(draft, checks=checks)
        _raise_refusal(decision)
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            depth=parent.depth + 1 if parent is not None else 0,
            author=author,
            author_name="" if author is not None else author_name,
            body_markdown=body,
            body_html=render_comment_html(body),
            sanitizer_version=SANITIZER_VERSION,
            status=decision.status,
            hold_reason="\n".join(decision.held_reasons),
            ip_network=network,
            created_at=now,
        )
        if decision.held_reasons:
            _log(
                comment=comment,
                action=ModerationAction.HELD,
                reason=comment.hold_reason,
                now=now,
            )
        else:
            _log(comment=comment, action=ModerationAction.PUBLISHED, now=now)
    log.info("Comment stored comment_id=%s status=%s", comment.pk, comment.status)
    return comment


def _own(comment: Comment, user: AbstractBaseUser | None, verb: str) -> None:
    if user is None or not user.is_authenticated or comment.author_id != user.pk:
        raise CommentPermissionDenied(f"You can only {verb} your own comments.")
    if comment.status in {CommentStatus.DELETED, CommentStatus.REJECTED}:
        raise CommentPermissionDenied(f"This comment can no longer be {verb}ed.")


def comment_can_edit(
    *, comment: Comment, user: AbstractBaseUser | None, now: datetime | None = None
) -> bool:
    """Whether ``user`` may edit ``comment`` now (theirs, live, inside the window)."""
    now = now or timezone.now()
    return (
        user is not None
        and user.is_authenticated
        and comment.author_id == user.pk
        and comment.status in {CommentStatus.PUBLISHED, CommentStatus.PENDING}
        and now - comment.created_at <= edit_window()
    )


def comment_edit(
    *,
    comment: Comment,
    user: AbstractBaseUser | None,
    body: str,
    now: datetime | None = None,
    checks: Sequence[Check] = COMMENT_CHECKS,
) -> Comment:
    """Replace the author's text within the edit window.

    Raises ``CommentPermissionDenied`` for anyone but the author,
    ``CommentEditWindowClosed`` after ``CUPURE_COMMENTS_EDIT_MINUTES`` and
    ``CommentRefused`` when the new text fails a check; a published comment whose new
    text must be held goes back to the moderation queue.
    """
    now = now or timezone.now()
    _own(comment, user, "edit")
    if now - comment.created_at > edit_window():
        minutes = settings.CUPURE_COMMENTS_EDIT_MINUTES
        raise CommentEditWindowClosed(
            f"Comments can be edited for {minutes} minutes after posting; this one "
            "can no longer be changed."
        )
    draft = CommentDraft(
        article_id=comment.article_id,
        article_published=comment.article.published,
        body=body,
        author_id=comment.author_id,
        ip_network=comment.ip_network,
        now=now,
        editing_id=comment.pk,
    )
    with transaction.atomic():
        decision = moderate(draft, checks=checks, editing=True)
        _raise_refusal(decision)
        comment.body_markdown = body
        comment.body_html = render_comment_html(body)
        comment.sanitizer_version = SANITIZER_VERSION
        comment.edited_at = now
        if decision.held_reasons and comment.status == CommentStatus.PUBLISHED:
            comment.status = CommentStatus.PENDING
            comment.hold_reason = "\n".join(decision.held_reasons)
            _log(
                comment=comment,
                action=ModerationAction.HELD,
                reason=comment.hold_reason,
                now=now,
            )
        comment.save()
        _log(comment=comment, action=ModerationAction.EDITED, actor=user, now=now)
    return comment


def comment_delete(
    *, comment: Comment, user: AbstractBaseUser | None, now: datetime | None = None
) -> Comment:
    """The author removes their comment; the thread shows "[deleted]" in its place.

    The text stays in the database for moderators (reports may concern it) but is
    never shown again. Raises ``CommentPermissionDenied`` for anyone but the author.
    """
    now = now or timezone.now()
    _own(comment, user, "delete")
    with transaction.atomic():
        comment.status = CommentStatus.DELETED
        comment.deleted_at = now
        comment.save(update_fields=["status", "deleted_at"])
        _log(comment=comment, action=ModerationAction.DELETED, actor=user, now=now)
    return comment


def comment_report(
    *,
    comment: Comment,
    reporter: AbstractBaseUser,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> CommentReport:
    """A reader flags a comment (once each). Enough reports send it back to the queue.

    Raises ``CommentPermissionDenied`` for a reader reporting their own comment or a
    comment that is not public, and ``CommentAlreadyReported`` the second time.
    """
    now = now or timezone.now()
    if not reporter.is_authenticated:
        raise CommentPermissionDenied("Sign in to report a comment.")
    if comment.author_id == reporter.pk:
        raise CommentPermissionDenied("You cannot report your own comment.")
    if comment.status != CommentStatus.PUBLISHED:
        raise CommentPermissionDenied("Only published comments can be reported.")
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment,
                reporter=reporter,
                reason=reason,
                note=note.strip()[:500],
                created_at=now,
            )
            _log(
                comment=comment,
                action=ModerationAction.REPORTED,
                actor=reporter,
                reason=report.get_reason_display(),
                now=now,
            )
            open_reports = comment.reports.filter(resolved_at__isnull=True).count()
            if open_reports >= settings.CUPURE_COMMENTS_REPORTS_TO_HOLD:
                comment.status = CommentStatus.PENDING
                comment.hold_reason = f"{open_reports} readers reported it."
                comment.save(update_fields=["status", "hold_reason"])
                _log(
                    comment=comment,
                    action=ModerationAction.HELD,
                    reason=comment.hold_reason,
                    now=now,
                )
    except IntegrityError as error:
        raise CommentAlreadyReported(
            "You have already reported this comment; a moderator will look at it."
        ) from error
    return report


def comment_approve(
    *,
    comment: Comment,
    moderator: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> Comment:
    """A moderator publishes a held comment; its open reports are resolved."""
    return _comment_decide(
        comment,
        status=CommentStatus.PUBLISHED,
        action=ModerationAction.APPROVED,
        moderator=moderator,
        reason=reason,
        now=now,
    )


def comment_reject(
    *,
    comment: Comment,
    moderator: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> Comment:
    """A moderator rejects a comment: kept for the record, shown to nobody."""
    return _comment_decide(
        comment,
        status=CommentStatus.REJECTED,
        action=ModerationAction.REJECTED,
        moderator=moderator,
        reason=reason,
        now=now,
    )


def _comment_decide(
    comment: Comment,
    *,
    status: str,
    action: str,
    moderator: AbstractBaseUser,
    reason: str,
    now: datetime | None,
) -> Comment:
    """Set a moderator's decision, resolve the open reports, log it (atomically)."""
    now = now or timezone.now()
    with transaction.atomic():
        comment.status = status
        comment.save(update_fields=["status"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
        _log(comment=comment, action=action, actor=moderator, reason=reason, now=now)
    return comment


def commenter_ban(
    *,
    user: AbstractBaseUser,
    moderator: AbstractBaseUser,
    reason: str = "",
    now: datetime | None = None,
) -> CommenterBan:
    """Stop an account commenting and reject its comments still in the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        ban, _ = CommenterBan.objects.get_or_create(
            user=user,
            defaults={"reason": reason, "banned_by": moderator, "created_at": now},
        )
        for comment in Comment.objects.filter(
            author=user, status=CommentStatus.PENDING
        ):
            comment_reject(
                comment=comment, moderator=moderator, reason="Author banned.", now=now
            )
        _log(
            comment=None,
            action=ModerationAction.BANNED,
            actor=moderator,
            reason=f"{user.get_username()}: {reason}".rstrip(": "),
            now=now,
        )
    return ban


def thread_close(
    *,
    article: Article,
    moderator: AbstractBaseUser | None,
    reason: str = "",
    now: datetime | None = None,
) -> ClosedThread:
    """No new comments or replies on ``article`` (existing ones stay)."""
    now = now or timezone.now()
    closed, _ = ClosedThread.objects.get_or_create(
        article=article,
        defaults={"reason": reason, "closed_by": moderator, "created_at": now},
    )
    return closed


def comment_release_after_confirmation(
    *, user_id: int, now: datetime | None = None
) -> int:
    """Publish the account's comments that waited only for its email confirmation.

    A comment held for other reasons too (new account, links…) loses the email
    reason and stays in the queue for a moderator. Returns how many were published.
    """
    now = now or timezone.now()
    email_reason = f"email_confirmed: {UNCONFIRMED_EMAIL_REASON}"
    released = 0
    with transaction.atomic():
        waiting = Comment.objects.select_for_update().filter(
            author_id=user_id,
            status=CommentStatus.PENDING,
            hold_reason__contains=email_reason,
        )
        for comment in waiting:
            others = [
                line
                for line in comment.hold_reason.splitlines()
                if line != email_reason
            ]
            comment.hold_reason = "\n".join(others)
            if not others:
                comment.status = CommentStatus.PUBLISHED
                _log(
                    comment=comment,
                    action=ModerationAction.PUBLISHED,
                    reason="The author confirmed their email address.",
                    now=now,
                )
                released += 1
            comment.save(update_fields=["status", "hold_reason"])
    return released


# What a comment is signed with once its author deleted their account.
DELETED_AUTHOR_NAME = "[deleted]"


def comment_author_forget(*, user_id: int, remove_text: bool) -> None:
    """Take an account's name off its comments before the account is deleted.

    ``remove_text``: the text goes too; a comment with replies stays as a
    "[deleted]" placeholder (replies keep their place), the others are deleted.
    Otherwise the text stays, signed "[deleted]". Either way the network the
    comment came from is forgotten.
    """
    with transaction.atomic():
        theirs = Comment.objects.filter(author_id=user_id)
        if remove_text:
            # Leaves first: a reply of theirs to their own comment goes, then the
            # comment it answered may have no replies left (bounded by the depth).
            for _ in range(settings.CUPURE_COMMENTS_MAX_DEPTH + 2):
                deleted, _by_model = theirs.filter(replies__isnull=True).delete()
                if not deleted:
                    break
            theirs.update(
                status=CommentStatus.DELETED,
                body_markdown="",
                body_html="",
                hold_reason="",
            )
        theirs.update(author=None, author_name=DELETED_AUTHOR_NAME, ip_network="")


def comment_rerender_stale(*, batch: int = 500) -> int:
    """Re-derive the HTML of comments made by an older sanitizer; returns how many."""
    done = 0
    stale = Comment.objects.filter(sanitizer_version__lt=SANITIZER_VERSION)
    for comment in stale.iterator(chunk_size=batch):
        comment.body_html = render_comment_html(comment.body_markdown)
        comment.sanitizer_version = SANITIZER_VERSION
        comment.save(update_fields=["body_html", "sanitizer_version"])
        done += 1
    return done
