"""Comment writes: create, edit, delete, report, and the moderators' actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.comments.errors import (
    CommentAlreadyReported,
    CommentEditWindowClosed,
    CommentPermissionDenied,
    CommentRateLimited,
    CommentRefused,
)
from cupure.comments.markup import SANITIZER_VERSION
from cupure.comments.models import (
    Comment,
    CommenterBan,
    CommentStatus,
    ModerationAction,
    ModerationLogEntry,
    ReportReason,
)
from cupure.comments.services import (
    comment_approve,
    comment_author_forget,
    comment_create,
    comment_delete,
    comment_edit,
    comment_reject,
    comment_release_after_confirmation,
    comment_report,
    comment_rerender_stale,
    commenter_ban,
)
from tests.accounts.factories import reader_account

pytestmark = pytest.mark.django_db

HUMAN = timedelta(seconds=30)


def post(article, author, body="A fair point about the bridge.", **kwargs) -> Comment:
    kwargs.setdefault("form_age", HUMAN)
    kwargs.setdefault("ip_address", "198.51.100.7")
    return comment_create(article=article, author=author, body=body, **kwargs)


def test_create_publishes_and_derives_html(article, reader) -> None:
    """A clean comment is published; Markdown kept, HTML derived and versioned, the
    address truncated, the decision logged."""
    comment = post(article, reader, body="**Finally** open <b>again</b>")
    assert comment.status == CommentStatus.PUBLISHED
    assert comment.body_markdown == "**Finally** open <b>again</b>"
    assert (
        comment.body_html
        == "<p><strong>Finally</strong> open &lt;b&gt;again&lt;/b&gt;</p>"
    )
    assert comment.sanitizer_version == SANITIZER_VERSION
    assert comment.ip_network == "198.51.100.0/24"
    assert "198.51.100.7" not in Comment.objects.values_list("ip_network", flat=True)
    entry = ModerationLogEntry.objects.get(comment=comment)
    assert entry.action == ModerationAction.PUBLISHED


def test_held_comment_is_stored_with_its_reasons(article, reader) -> None:
    """A held comment is stored as pending (never dropped) with the reasons."""
    comment = post(article, reader, form_age=timedelta(seconds=0.5))
    assert comment.status == CommentStatus.PENDING
    assert "form_speed" in comment.hold_reason
    assert (
        ModerationLogEntry.objects.get(comment=comment).action == ModerationAction.HELD
    )


def test_refused_comment_is_not_stored(article, reader) -> None:
    with pytest.raises(CommentRefused) as refused:
        post(article, reader, body=" ")
    assert refused.value.check == "length"
    assert Comment.objects.count() == 0


def test_rate_limited_comment_carries_retry_at(article, reader, settings) -> None:
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 2)]
    now = timezone.now()
    post(article, reader, body="one", now=now - timedelta(seconds=30))
    post(article, reader, body="two", now=now - timedelta(seconds=10))
    with pytest.raises(CommentRateLimited) as limited:
        post(article, reader, body="three", now=now)
    assert limited.value.status == 429
    assert limited.value.retry_at == now + timedelta(seconds=30)
    assert Comment.objects.count() == 2


def test_anonymous_comments_need_the_setting_and_a_name(article, settings) -> None:
    """Off by default; when on, a name is required and the comment is held."""
    settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS = False
    with pytest.raises(CommentPermissionDenied):
        post(article, None, author_name="Guest")
    settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS = True
    with pytest.raises(CommentRefused):
        post(article, None, author_name="  ")
    comment = post(article, None, author_name="Guest")
    assert comment.status == CommentStatus.PENDING
    assert comment.display_name == "Guest"
    assert "anonymous" in comment.hold_reason


def test_replies_thread_up_to_the_depth_limit(article, reader, settings) -> None:
    """Replies nest to CUPURE_COMMENTS_MAX_DEPTH; a reply deeper joins its parent's
    level instead of being refused."""
    settings.CUPURE_COMMENTS_MAX_DEPTH = 2
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 100)]
    root = post(article, reader, body="root")
    first = post(article, reader, body="depth one", parent=root)
    second = post(article, reader, body="depth two", parent=first)
    third = post(article, reader, body="would be depth three", parent=second)
    assert (root.depth, first.depth, second.depth) == (0, 1, 2)
    assert third.depth == 2
    assert third.parent_id == first.pk


def test_reply_to_another_articles_comment_is_refused(article, reader) -> None:
    from tests.comments.conftest import make_article

    other = make_article(2)
    foreign = post(other, reader, body="elsewhere")
    with pytest.raises(CommentRefused):
        post(article, reader, body="reply", parent=foreign)


def test_author_edits_within_the_window(article, reader) -> None:
    comment = post(article, reader, body="Teh bridge")
    edited = comment_edit(
        comment=comment,
        user=reader,
        body="The *bridge*",
        now=comment.created_at + timedelta(minutes=14),
    )
    assert edited.body_markdown == "The *bridge*"
    assert edited.body_html == "<p>The <em>bridge</em></p>"
    assert edited.edited_at is not None
    assert ModerationLogEntry.objects.filter(
        comment=comment, action=ModerationAction.EDITED
    ).exists()


def test_edit_after_the_window_is_refused(article, reader, settings) -> None:
    settings.CUPURE_COMMENTS_EDIT_MINUTES = 15
    comment = post(article, reader, body="Original words")
    with pytest.raises(CommentEditWindowClosed):
        comment_edit(
            comment=comment,
            user=reader,
            body="Changed words",
            now=comment.created_at + timedelta(minutes=16),
        )
    comment.refresh_from_db()
    assert comment.body_markdown == "Original words"


def test_nobody_edits_or_deletes_anothers_comment(
    article, reader, other_reader
) -> None:
    comment = post(article, reader)
    with pytest.raises(CommentPermissionDenied):
        comment_edit(comment=comment, user=other_reader, body="hijacked")
    with pytest.raises(CommentPermissionDenied):
        comment_delete(comment=comment, user=other_reader)
    with pytest.raises(CommentPermissionDenied):
        comment_edit(comment=comment, user=None, body="hijacked")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_edit_adding_many_links_sends_it_back_to_the_queue(
    article, reader, settings
) -> None:
    settings.CUPURE_COMMENTS_MAX_LINKS = 1
    comment = post(article, reader, body="plain")
    comment_edit(
        comment=comment,
        user=reader,
        body="https://a.example https://b.example https://c.example",
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert "link_count" in comment.hold_reason


def test_delete_leaves_a_placeholder(article, reader) -> None:
    """Deleting keeps the row (replies keep their place) with status deleted."""
    comment = post(article, reader)
    reply = post(article, reader, body="a reply", parent=comment)
    comment_delete(comment=comment, user=reader)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED
    assert comment.deleted_at is not None
    assert Comment.objects.filter(pk=reply.pk, parent=comment).exists()


def test_report_once_each_then_back_to_the_queue(
    article, reader, other_reader, moderator, settings
) -> None:
    """Each reader reports once; CUPURE_COMMENTS_REPORTS_TO_HOLD reports hold it."""
    settings.CUPURE_COMMENTS_REPORTS_TO_HOLD = 2
    comment = post(article, reader)
    comment_report(comment=comment, reporter=other_reader, reason=ReportReason.SPAM)
    with pytest.raises(CommentAlreadyReported):
        comment_report(
            comment=comment, reporter=other_reader, reason=ReportReason.ABUSE
        )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    comment_report(comment=comment, reporter=moderator, reason=ReportReason.ABUSE)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert comment.reports.count() == 2


def test_nobody_reports_their_own_comment(article, reader) -> None:
    comment = post(article, reader)
    with pytest.raises(CommentPermissionDenied):
        comment_report(comment=comment, reporter=reader, reason=ReportReason.SPAM)


def test_approve_and_reject_are_logged(
    article, reader, other_reader, moderator
) -> None:
    held = post(article, reader, form_age=None)
    assert held.status == CommentStatus.PENDING
    comment_approve(comment=held, moderator=moderator, reason="fine")
    held.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED
    comment_report(comment=held, reporter=other_reader, reason=ReportReason.SPAM)
    comment_reject(comment=held, moderator=moderator)
    held.refresh_from_db()
    assert held.status == CommentStatus.REJECTED
    assert not held.reports.filter(resolved_at__isnull=True).exists()
    actions = set(
        ModerationLogEntry.objects.filter(comment=held).values_list("action", flat=True)
    )
    assert {ModerationAction.APPROVED, ModerationAction.REJECTED} <= actions


def test_ban_rejects_queued_comments_and_refuses_new_ones(
    article, reader, moderator
) -> None:
    held = post(article, reader, form_age=None)
    commenter_ban(user=reader, moderator=moderator, reason="spam")
    held.refresh_from_db()
    assert held.status == CommentStatus.REJECTED
    assert CommenterBan.objects.filter(user=reader).exists()
    with pytest.raises(CommentRefused) as refused:
        post(article, reader, body="I am back")
    assert refused.value.check == "banned"


def test_stale_html_is_rerendered(article, reader) -> None:
    """Comments rendered by an older sanitizer are re-derived from their Markdown."""
    comment = post(article, reader, body="*fresh*")
    Comment.objects.filter(pk=comment.pk).update(
        body_html="<p onclick=x>old</p>", sanitizer_version=0
    )
    assert comment_rerender_stale() == 1
    comment.refresh_from_db()
    assert comment.body_html == "<p><em>fresh</em></p>"
    assert comment_rerender_stale() == 0


def test_confirming_the_address_publishes_what_waited_only_for_it(
    article, settings
) -> None:
    """A new account's comment waits for its address; confirming publishes it, but
    not a comment that also waits for another reason."""
    new = reader_account(
        "neu", "neu@example.org", "a-long-passphrase-9", confirmed=False
    )
    waiting = post(article, new, body="Is the bridge open at night?")
    assert waiting.status == CommentStatus.PENDING
    assert waiting.hold_reason.startswith("email_confirmed: ")
    linky = post(
        article,
        new,
        body="See [a](https://a.example) [b](https://b.example) [c](https://c.example)",
    )
    assert linky.status == CommentStatus.PENDING

    assert comment_release_after_confirmation(user_id=new.pk) == 1
    waiting.refresh_from_db()
    linky.refresh_from_db()
    assert (waiting.status, waiting.hold_reason) == (CommentStatus.PUBLISHED, "")
    assert linky.status == CommentStatus.PENDING
    assert linky.hold_reason.startswith("link_count: ")
    assert "email" not in linky.hold_reason
    assert ModerationLogEntry.objects.filter(
        comment=waiting, action=ModerationAction.PUBLISHED
    ).exists()


def test_forgetting_an_author_keeps_or_removes_the_text(
    article, reader, other_reader
) -> None:
    """Kept: the text stays, signed "[deleted]". Removed: a comment with replies
    stays as a placeholder without its text, the others go."""
    answered = post(article, reader, body="The bridge needs a cycle lane.")
    post(article, other_reader, body="Agreed, a cycle lane.", parent=answered)
    alone = post(article, reader, body="Also the tolls are too high.")

    comment_author_forget(user_id=reader.pk, remove_text=False)
    kept = Comment.objects.get(pk=alone.pk)
    assert (kept.author_id, kept.display_name, kept.ip_network) == (
        None,
        "[deleted]",
        "",
    )
    assert kept.body_markdown == "Also the tolls are too high."

    leaving = reader_account("leaving", "leaving@example.org", "a-long-passphrase-8")
    asked = post(article, leaving, body="When do the night buses return?")
    post(article, other_reader, body="Next month, I read.", parent=asked)
    aside = post(article, leaving, body="And the ferry timetable?")
    comment_author_forget(user_id=leaving.pk, remove_text=True)
    placeholder = Comment.objects.get(pk=asked.pk)
    assert placeholder.status == CommentStatus.DELETED
    assert (placeholder.body_markdown, placeholder.body_html) == ("", "")
    assert placeholder.display_name == "[deleted]"
    assert not Comment.objects.filter(pk=aside.pk).exists()
    assert (
        Comment.objects.get(parent=placeholder).body_markdown == "Next month, I read."
    )
