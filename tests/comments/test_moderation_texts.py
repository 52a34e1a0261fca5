"""What each moderation phase tells the reader or the moderator, word for word, and
its limits from both sides (mutation testing, issue #23: every message and several
bounds could change without a failing test)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from cupure.comments.models import ClosedThread, CommenterBan, CommentStatus
from cupure.comments.moderation import (
    Check,
    Hold,
    Refuse,
    _retry_message,
    check_anonymous,
    check_banned,
    check_email_confirmed,
    check_form_speed,
    check_honeypot,
    check_length,
    check_new_account,
    check_repeat_post,
    check_thread_open,
    moderate,
    rate_limit_retry_at,
)
from tests.accounts.factories import reader_account
from tests.comments.test_moderation import NOW, draft, stored


@pytest.mark.django_db
def test_ban_messages(reader, other_reader, moderator) -> None:
    CommenterBan.objects.create(
        user=reader, reason="spam", banned_by=moderator, created_at=NOW
    )
    CommenterBan.objects.create(
        user=other_reader, reason="", banned_by=moderator, created_at=NOW
    )
    assert check_banned(draft(author_id=reader.pk)) == Refuse(
        "Your account can no longer comment on this site (spam)."
    )
    assert check_banned(draft(author_id=other_reader.pk)) == Refuse(
        "Your account can no longer comment on this site."
    )


@pytest.mark.django_db
def test_unconfirmed_address_is_judged_by_its_own_account(reader, settings) -> None:
    """Another reader's confirmed address does not vouch for this one."""
    unconfirmed = reader_account(
        "nils", "nils@example.org", "a-long-passphrase-9", confirmed=False
    )
    settings.CUPURE_ACCOUNTS_CONFIRM_BEFORE_POSTING = True
    assert check_email_confirmed(draft(author_id=reader.pk)) is None
    assert check_email_confirmed(draft(author_id=unconfirmed.pk)) == Refuse(
        "Confirm your email address to comment: follow the link we sent you "
        "(your account page can send it again). Your text is kept below."
    )


def test_length_limits_from_both_sides(settings) -> None:
    settings.CUPURE_COMMENTS_MIN_LENGTH = 3
    settings.CUPURE_COMMENTS_MAX_LENGTH = 10
    assert check_length(draft(body="abc")) is None
    assert check_length(draft(body=" ab ")) == Refuse(
        "Your comment is empty or too short: write at least 3 characters."
    )
    assert check_length(draft(body="x" * 11)) == Refuse(
        "Your comment is 11 characters long; the limit is 10. "
        "Shorten it and post again."
    )


@pytest.mark.django_db
def test_thread_messages_and_the_day_it_closes(article, moderator, settings) -> None:
    settings.CUPURE_COMMENTS_CLOSE_AFTER_DAYS = 7
    on_the_day = draft(article, article_published=NOW - timedelta(days=7))
    assert check_thread_open(on_the_day) is None
    late = draft(article, article_published=NOW - timedelta(days=7, seconds=1))
    assert check_thread_open(late) == Refuse(
        "Comments on this article closed 7 days after it was published."
    )
    hidden = draft(article, parent_status=CommentStatus.PENDING)
    assert check_thread_open(hidden) == Refuse(
        "The comment you are replying to is not public, so it cannot take replies."
    )
    ClosedThread.objects.create(article=article, closed_by=moderator, created_at=NOW)
    assert check_thread_open(draft(article)) == Refuse(
        "Comments on this article are closed."
    )


@pytest.mark.django_db
def test_repeat_post_message_and_what_does_not_count(article, reader) -> None:
    """A deleted comment, or the comment being edited, is no earlier post."""
    assert check_repeat_post(draft(article, author_id=reader.pk)) is None
    same = draft(article, author_id=reader.pk)
    deleted = stored(
        article, reader, body=same.body, at=NOW, status=CommentStatus.DELETED
    )
    assert check_repeat_post(same) is None
    assert deleted.pk
    editing = stored(article, reader, body=same.body, at=NOW)
    assert (
        check_repeat_post(draft(article, author_id=reader.pk, editing_id=editing.pk))
        is None
    )
    assert check_repeat_post(same) == Refuse("You have already posted this comment.")


@pytest.mark.parametrize(
    ("seconds", "span"),
    [
        (0.2, "1 seconds"),
        (-5, "1 seconds"),
        (118.5, "119 seconds"),
        (119, "2 minutes"),
        (121, "3 minutes"),
        (3599, "60 minutes"),
    ],
)
def test_retry_message_rounds_up(seconds: float, span: str) -> None:
    """The wait is rounded up (never promise a time that is still refused); from 120
    seconds on it is said in whole minutes, rounded up."""
    message = _retry_message(NOW + timedelta(seconds=seconds), NOW, "You have")
    assert f"(in {span});" in message
    assert message.startswith("You have posted too many comments in a short time.")


def test_hold_reasons_word_for_word(settings) -> None:
    settings.CUPURE_COMMENTS_MIN_FORM_SECONDS = 3
    assert check_honeypot(draft(honeypot=" x ")) == Hold(
        "The hidden form field that only bots fill in was filled in."
    )
    assert check_form_speed(draft(form_age=None)) == Hold(
        "The form's signed timestamp was missing or altered."
    )
    assert check_form_speed(draft(form_age=timedelta(seconds=3))) is None
    assert check_form_speed(draft(form_age=timedelta(seconds=2.5))) == Hold(
        "The form was sent 2.5 s after it was shown (people take at least 3 s)."
    )
    assert check_anonymous(draft()) == Hold(
        "Comments without an account are always read first."
    )


@pytest.mark.django_db
def test_new_account_hold_counts_only_its_own_comments(
    article, reader, other_reader, settings
) -> None:
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 1
    stored(article, other_reader)
    assert check_new_account(draft(article, author_id=reader.pk)) == Hold(
        "New commenter: their first 1 comment(s) are read before they appear."
    )
    assert check_new_account(draft(article)) is None  # anonymous: its own check
    stored(article, reader)
    assert check_new_account(draft(article, author_id=reader.pk)) is None
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 0
    fresh = reader_account("nils", "nils@example.org", "a-long-passphrase-9")
    assert check_new_account(draft(article, author_id=fresh.pk)) is None


def _passing(_draft) -> None:
    return None


def test_failed_and_slow_checks_are_held_and_logged_then_the_run_goes_on(
    settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A failing or slow check holds with its reason; the checks after it still run
    (a later refusal still refuses)."""
    settings.CUPURE_COMMENTS_CHECK_SECONDS = 2.0
    seen: list[object] = []

    def broken(value) -> None:
        seen.append(value)
        raise ConnectionError("spam service down")

    checks = [
        Check("spam_service", "why", broken),
        Check("slow", "why", _passing),
        Check("exact", "why", _passing),
        Check("last", "why", lambda d: Hold("looked at")),
    ]
    # broken: one reading; slow: 5 s; exact: exactly the budget (not held); last: 0.
    ticks = iter([0.0, 10.0, 15.0, 20.0, 22.0, 30.0, 30.0])
    subject = draft()
    with caplog.at_level(logging.WARNING, logger="cupure.comments.moderation"):
        decision = moderate(subject, checks=checks, clock=lambda: next(ticks))
    assert seen == [subject]
    assert decision.held_reasons == [
        "spam_service: the check failed (ConnectionError), so the comment waits "
        "for a moderator.",
        "slow: the check took 5.0 s (limit 2.0 s), so the comment waits for a "
        "moderator.",
        "last: looked at",
    ]
    assert [record.getMessage() for record in caplog.records] == [
        "Moderation check failed; comment held check=spam_service "
        "error=ConnectionError('spam service down')",
        "Moderation check too slow; comment held check=slow seconds=5.00",
    ]


def test_retry_time_edges() -> None:
    """A post exactly a window ago has left it; a limit of 0 waits a whole window;
    a limit of 1 waits for the last post to age out; of two limits hit, the later
    time counts whatever their order."""
    seconds = [NOW - timedelta(seconds=s) for s in (60, 10)]
    assert rate_limit_retry_at(seconds, [(60, 2)], NOW) is None
    assert rate_limit_retry_at([], [(60, 0)], NOW) == NOW + timedelta(seconds=60)
    one = [NOW - timedelta(seconds=20)]
    assert rate_limit_retry_at(one, [(60, 1)], NOW) == NOW + timedelta(seconds=40)
    posts = [NOW - timedelta(minutes=m) for m in (50, 40, 30)]
    posts += [NOW - timedelta(seconds=s) for s in (30, 10)]
    later = NOW + timedelta(minutes=30)
    assert rate_limit_retry_at(posts, [(3600, 3), (60, 2)], NOW) == later
    assert rate_limit_retry_at(posts, [(60, 2), (3600, 3)], NOW) == later
