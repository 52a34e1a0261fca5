"""Moderation: an ordered list of small checks, each with its reason (Coral's phases).

Every new comment runs through ``COMMENT_CHECKS`` in order. A check answers with
``None`` (nothing to say), ``Hold`` (a moderator must look first) or ``Refuse`` (the
reader is told why and keeps their text). Refusals come first in the list, so a reader
is never held *and* refused.

Nothing here can publish a comment that should not be published, and nothing here
can lose one: a check that raises, or takes longer than
``CUPURE_COMMENTS_CHECK_SECONDS``, holds the comment for a moderator, with the
failure as the reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q

from .markup import count_links, normalise_for_repeat
from .models import ClosedThread, Comment, CommenterBan, CommentStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommentDraft:
    """Everything the checks may look at about a comment not yet stored."""

    article_id: int
    article_published: datetime
    body: str
    author_id: int | None
    ip_network: str
    now: datetime
    # The status of the comment replied to; None for a top-level comment.
    parent_status: str | None = None
    # How long the form was on screen; None when its signed timestamp was missing or
    # forged (treated as a bot's form).
    form_age: timedelta | None = None
    # The hidden field people never see and bots fill in.
    honeypot: str = ""
    # The comment being edited, when this is an edit (repeat/rate checks skip it).
    editing_id: int | None = None


@dataclass(frozen=True)
class Hold:
    """A moderator must see the comment before anyone else does."""

    reason: str


@dataclass(frozen=True)
class Refuse:
    """The comment is not stored; ``message`` tells the reader what to do."""

    message: str
    retry_at: datetime | None = None


Answer = Hold | Refuse | None


@dataclass(frozen=True)
class Check:
    """One moderation phase: its name, why it exists, and the test itself."""

    name: str
    why: str
    run: Callable[[CommentDraft], Answer]
    # Whether the check also applies when an author edits their comment.
    on_edit: bool = False


@dataclass
class Decision:
    """The outcome of all checks: publish, or hold with reasons, or refuse."""

    held_reasons: list[str] = field(default_factory=list)
    refused: Refuse | None = None
    refused_by: str = ""

    @property
    def status(self) -> str:
        return CommentStatus.PENDING if self.held_reasons else CommentStatus.PUBLISHED


# --- the checks, in the order they run ---------------------------------------------


def check_banned(draft: CommentDraft) -> Answer:
    if draft.author_id is None:
        return None
    ban = CommenterBan.objects.filter(user_id=draft.author_id).first()
    if ban is None:
        return None
    return Refuse(
        "Your account can no longer comment on this site"
        + (f" ({ban.reason})." if ban.reason else ".")
    )


# The hold reason of a comment that waits only for its author's address: confirming
# it publishes the comment (services.comment_release_after_confirmation).
UNCONFIRMED_EMAIL_REASON = (
    "The author has not confirmed their email address yet: confirm it to publish."
)


def check_email_confirmed(draft: CommentDraft) -> Answer:
    if draft.author_id is None:
        return None
    # allauth's addresses, read directly: cupure.accounts builds on comments (your
    # data, deleting an account), so comments must not import it back.
    if EmailAddress.objects.filter(user_id=draft.author_id, verified=True).exists():
        return None
    if settings.CUPURE_ACCOUNTS_CONFIRM_BEFORE_POSTING:
        return Refuse(
            "Confirm your email address to comment: follow the link we sent you "
            "(your account page can send it again). Your text is kept below."
        )
    return Hold(UNCONFIRMED_EMAIL_REASON)


def check_length(draft: CommentDraft) -> Answer:
    length = len(draft.body.strip())
    low = settings.CUPURE_COMMENTS_MIN_LENGTH
    high = settings.CUPURE_COMMENTS_MAX_LENGTH
    if length < low:
        return Refuse(
            f"Your comment is empty or too short: write at least {low} characters."
        )
    if length > high:
        return Refuse(
            f"Your comment is {length} characters long; the limit is {high}. "
            "Shorten it and post again."
        )
    return None


def check_thread_open(draft: CommentDraft) -> Answer:
    if ClosedThread.objects.filter(article_id=draft.article_id).exists():
        return Refuse("Comments on this article are closed.")
    days = settings.CUPURE_COMMENTS_CLOSE_AFTER_DAYS
    if days and draft.now - draft.article_published > timedelta(days=days):
        return Refuse(
            f"Comments on this article closed {days} days after it was published."
        )
    if draft.parent_status is not None and draft.parent_status not in {
        CommentStatus.PUBLISHED,
        CommentStatus.DELETED,
    }:
        return Refuse(
            "The comment you are replying to is not public, so it cannot take replies."
        )
    return None


def _same_poster(draft: CommentDraft) -> Q:
    if draft.author_id is not None:
        return Q(author_id=draft.author_id)
    return Q(author__isnull=True, ip_network=draft.ip_network)


def check_repeat_post(draft: CommentDraft) -> Answer:
    since = draft.now - timedelta(hours=settings.CUPURE_COMMENTS_REPEAT_HOURS)
    recent = (
        Comment.objects.filter(_same_poster(draft), created_at__gte=since)
        .exclude(status=CommentStatus.DELETED)
        .exclude(pk=draft.editing_id)
        .values_list("body_markdown", flat=True)[:200]
    )
    text = normalise_for_repeat(draft.body)
    if any(normalise_for_repeat(body) == text for body in recent):
        return Refuse("You have already posted this comment.")
    return None


def rate_limit_retry_at(
    times: Sequence[datetime], limits: Sequence[tuple[int, int]], now: datetime
) -> datetime | None:
    """When the next post is allowed, or None if it is allowed now.

    ``times`` are earlier posts (any order); each ``(seconds, allowed)`` limit allows
    ``allowed`` posts in any window of ``seconds``. The answer is the moment enough of
    the posts in the window have aged out of it.
    """
    latest: datetime | None = None
    for seconds, allowed in limits:
        window = timedelta(seconds=seconds)
        inside = sorted((t for t in times if t > now - window), reverse=True)
        if len(inside) >= allowed:
            # The oldest post that must leave the window for one more to fit.
            leaving = inside[allowed - 1] if allowed > 0 else now
            when = leaving + window
            latest = when if latest is None else max(latest, when)
    return latest


def _retry_message(retry_at: datetime, now: datetime, who: str) -> str:
    wait = max(int((retry_at - now).total_seconds()) + 1, 1)
    span = f"{wait} seconds" if wait < 120 else f"{(wait + 59) // 60} minutes"
    return (
        f"{who} posted too many comments in a short time. You can post again at "
        f"{retry_at:%H:%M:%S} UTC (in {span}); your text is kept below."
    )


def check_rate_limit(draft: CommentDraft) -> Answer:
    account_limits = settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT
    network_limits = settings.CUPURE_COMMENTS_RATE_LIMITS_NETWORK
    longest = max(s for s, _ in [*account_limits, *network_limits])
    since = draft.now - timedelta(seconds=longest)
    answers: list[tuple[datetime, str]] = []
    if draft.author_id is not None:
        times = list(
            Comment.objects.filter(
                author_id=draft.author_id, created_at__gt=since
            ).values_list("created_at", flat=True)
        )
        when = rate_limit_retry_at(times, account_limits, draft.now)
        if when is not None:
            answers.append((when, "You have"))
    times = list(
        Comment.objects.filter(
            ip_network=draft.ip_network, created_at__gt=since
        ).values_list("created_at", flat=True)
    )
    when = rate_limit_retry_at(times, network_limits, draft.now)
    if when is not None:
        answers.append((when, "Readers on your network have"))
    if not answers:
        return None
    retry_at, who = max(answers)
    return Refuse(_retry_message(retry_at, draft.now, who), retry_at=retry_at)


def check_honeypot(draft: CommentDraft) -> Answer:
    if draft.honeypot.strip():
        return Hold("The hidden form field that only bots fill in was filled in.")
    return None


def check_form_speed(draft: CommentDraft) -> Answer:
    if draft.editing_id is not None:
        return None
    if draft.form_age is None:
        return Hold("The form's signed timestamp was missing or altered.")
    minimum = timedelta(seconds=settings.CUPURE_COMMENTS_MIN_FORM_SECONDS)
    if draft.form_age < minimum:
        return Hold(
            f"The form was sent {draft.form_age.total_seconds():.1f} s after it was "
            f"shown (people take at least {minimum.total_seconds():.0f} s)."
        )
    return None


def check_link_count(draft: CommentDraft) -> Answer:
    links = count_links(draft.body)
    allowed = settings.CUPURE_COMMENTS_MAX_LINKS
    if links > allowed:
        return Hold(f"The comment has {links} links (more than {allowed}).")
    return None


def check_anonymous(draft: CommentDraft) -> Answer:
    if draft.author_id is None:
        return Hold("Comments without an account are always read first.")
    return None


def check_new_account(draft: CommentDraft) -> Answer:
    first = settings.CUPURE_COMMENTS_PREMODERATE_FIRST
    if draft.author_id is None or first <= 0:
        return None
    published = Comment.objects.filter(
        author_id=draft.author_id,
        status__in=[CommentStatus.PUBLISHED, CommentStatus.DELETED],
    ).count()
    if published < first:
        return Hold(
            f"New commenter: their first {first} comment(s) are read before they "
            "appear."
        )
    return None


COMMENT_CHECKS: tuple[Check, ...] = (
    Check(
        "banned",
        "A banned account's comments are not taken.",
        check_banned,
        on_edit=True,
    ),
    Check(
        "email_confirmed",
        "Anyone can type anyone's address; a comment speaks for its account once "
        "the address is shown to be theirs.",
        check_email_confirmed,
    ),
    Check(
        "length",
        "Empty comments say nothing; walls of text drown a thread.",
        check_length,
        on_edit=True,
    ),
    Check(
        "thread_open",
        "Moderators close threads that have run their course.",
        check_thread_open,
    ),
    Check(
        "repeat_post", "Double posts and pasted spam add nothing.", check_repeat_post
    ),
    Check(
        "rate_limit",
        "A flood from one account or network drowns everyone else.",
        check_rate_limit,
    ),
    Check(
        "honeypot",
        "Bots fill in every field, people do not see this one.",
        check_honeypot,
    ),
    Check(
        "form_speed",
        "Bots post forms faster than anyone can read and type.",
        check_form_speed,
    ),
    Check(
        "link_count", "Link spam carries many links.", check_link_count, on_edit=True
    ),
    Check("anonymous", "Anonymous comments have no history to trust.", check_anonymous),
    Check(
        "new_account",
        "Spam comes from new accounts; their first comments are read first.",
        check_new_account,
    ),
)


def moderate(
    draft: CommentDraft,
    *,
    checks: Sequence[Check] = COMMENT_CHECKS,
    editing: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> Decision:
    """Run the checks in order and decide.

    The first refusal ends the run. A check that raises or overruns
    ``CUPURE_COMMENTS_CHECK_SECONDS`` holds the comment (it never publishes it and
    never drops it); the failure is logged and becomes the hold reason.
    """
    budget = settings.CUPURE_COMMENTS_CHECK_SECONDS
    decision = Decision()
    for check in checks:
        if editing and not check.on_edit:
            continue
        started = clock()
        try:
            answer = check.run(draft)
        except Exception as error:  # any failure of a check holds, never publishes
            log.warning(
                "Moderation check failed; comment held check=%s error=%r",
                check.name,
                error,
            )
            decision.held_reasons.append(
                f"{check.name}: the check failed ({type(error).__name__}), so the "
                "comment waits for a moderator."
            )
            continue
        elapsed = clock() - started
        if isinstance(answer, Refuse):
            decision.refused = answer
            decision.refused_by = check.name
            return decision
        if elapsed > budget:
            log.warning(
                "Moderation check too slow; comment held check=%s seconds=%.2f",
                check.name,
                elapsed,
            )
            decision.held_reasons.append(
                f"{check.name}: the check took {elapsed:.1f} s (limit {budget:.1f} s), "
                "so the comment waits for a moderator."
            )
            continue
        if isinstance(answer, Hold):
            decision.held_reasons.append(f"{check.name}: {answer.reason}")
    return decision
