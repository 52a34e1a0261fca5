"""Each moderation phase on its own, then the order and the failure rules.

A phase answers None (nothing to say), Hold (a moderator looks first) or Refuse (the
reader is told why). A check that raises or overruns its time holds the comment:
it is never published by a failure and never dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.comments.models import ClosedThread, Comment, CommenterBan, CommentStatus
from cupure.comments.moderation import (
    COMMENT_CHECKS,
    UNCONFIRMED_EMAIL_REASON,
    Check,
    CommentDraft,
    Hold,
    Refuse,
    check_anonymous,
    check_banned,
    check_email_confirmed,
    check_form_speed,
    check_honeypot,
    check_length,
    check_link_count,
    check_new_account,
    check_rate_limit,
    check_repeat_post,
    check_thread_open,
    moderate,
    rate_limit_retry_at,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NETWORK = "198.51.100.0/24"


def draft(article=None, **changes) -> CommentDraft:
    values = {
        "article_id": article.pk if article is not None else 1,
        "article_published": NOW - timedelta(days=1),
        "body": "A thoughtful remark about the bridge.",
        "author_id": None,
        "ip_network": NETWORK,
        "now": NOW,
        "form_age": timedelta(seconds=30),
    }
    values.update(changes)
    return CommentDraft(**values)


def stored(
    article,
    author=None,
    *,
    body="Earlier remark.",
    at=NOW,
    network=NETWORK,
    status=CommentStatus.PUBLISHED,
) -> Comment:
    return Comment.objects.create(
        article=article,
        author=author,
        author_name="" if author else "Guest",
        body_markdown=body,
        status=status,
        ip_network=network,
        created_at=at,
    )


def test_checks_run_in_the_documented_order() -> None:
    """Refusals come before holds, so a reader is never both held and refused."""
    assert [c.name for c in COMMENT_CHECKS] == [
        "banned",
        "email_confirmed",
        "length",
        "thread_open",
        "repeat_post",
        "rate_limit",
        "honeypot",
        "form_speed",
        "link_count",
        "anonymous",
        "new_account",
    ]
    assert all(check.why for check in COMMENT_CHECKS)


# --- banned ---


@pytest.mark.django_db
def test_banned_account_is_refused(reader, moderator) -> None:
    """A banned account is refused with the ban's reason; others pass."""
    assert check_banned(draft(author_id=reader.pk)) is None
    CommenterBan.objects.create(
        user=reader, reason="spam", banned_by=moderator, created_at=NOW
    )
    answer = check_banned(draft(author_id=reader.pk))
    assert isinstance(answer, Refuse)
    assert "spam" in answer.message


# --- length ---


def test_length_refuses_empty_and_overlong(settings) -> None:
    """Whitespace-only and over-limit comments are refused with the limit named."""
    settings.CUPURE_COMMENTS_MAX_LENGTH = 50
    assert isinstance(check_length(draft(body="   \n ")), Refuse)
    too_long = check_length(draft(body="x" * 51))
    assert isinstance(too_long, Refuse)
    assert "51" in too_long.message and "50" in too_long.message
    assert check_length(draft(body="x" * 50)) is None


# --- thread open ---


@pytest.mark.django_db
def test_closed_thread_is_refused(article, moderator) -> None:
    """A thread a moderator closed takes no comments."""
    assert check_thread_open(draft(article)) is None
    ClosedThread.objects.create(article=article, closed_by=moderator, created_at=NOW)
    assert isinstance(check_thread_open(draft(article)), Refuse)


@pytest.mark.django_db
def test_thread_closes_after_the_named_days(article, settings) -> None:
    """With CUPURE_COMMENTS_CLOSE_AFTER_DAYS set, old articles take no comments."""
    settings.CUPURE_COMMENTS_CLOSE_AFTER_DAYS = 7
    old = draft(article, article_published=NOW - timedelta(days=8))
    assert isinstance(check_thread_open(old), Refuse)
    assert check_thread_open(draft(article, article_published=NOW)) is None


@pytest.mark.django_db
def test_replies_to_hidden_comments_are_refused(article) -> None:
    """A reply to a rejected or pending comment is refused; to [deleted], allowed."""
    for status in (CommentStatus.REJECTED, CommentStatus.PENDING):
        assert isinstance(
            check_thread_open(draft(article, parent_status=status)), Refuse
        )
    assert (
        check_thread_open(draft(article, parent_status=CommentStatus.DELETED)) is None
    )


# --- repeat post ---


@pytest.mark.django_db
def test_repeat_post_is_refused(article, reader, other_reader) -> None:
    """The same text (case and spacing aside) from the same account is refused;
    another account may say the same thing."""
    stored(
        article, reader, body="Great  news for COMMUTERS", at=NOW - timedelta(hours=1)
    )
    again = draft(article, author_id=reader.pk, body="great news for commuters")
    assert isinstance(check_repeat_post(again), Refuse)
    other = draft(article, author_id=other_reader.pk, body="great news for commuters")
    assert check_repeat_post(other) is None


@pytest.mark.django_db
def test_repeat_post_window_and_anonymous_network(article, settings) -> None:
    """Repeats count within CUPURE_COMMENTS_REPEAT_HOURS; anonymous posts by network."""
    settings.CUPURE_COMMENTS_REPEAT_HOURS = 2
    stored(article, body="Same again", at=NOW - timedelta(hours=3))
    assert check_repeat_post(draft(article, body="Same again")) is None
    stored(article, body="Same again", at=NOW - timedelta(minutes=5))
    assert isinstance(check_repeat_post(draft(article, body="Same again")), Refuse)
    elsewhere = draft(article, body="Same again", ip_network="192.0.2.0/24")
    assert check_repeat_post(elsewhere) is None


# --- rate limit ---


def test_rate_limit_retry_at_is_when_the_window_frees() -> None:
    """Two a minute: after posts at -50 s and -10 s, the next fits at +10 s."""
    times = [NOW - timedelta(seconds=50), NOW - timedelta(seconds=10)]
    assert rate_limit_retry_at(times, [(60, 2)], NOW) == NOW + timedelta(seconds=10)
    assert rate_limit_retry_at(times[1:], [(60, 2)], NOW) is None
    hourly = [NOW - timedelta(minutes=m) for m in (50, 40, 30)]
    assert rate_limit_retry_at(hourly, [(60, 2), (3600, 3)], NOW) == NOW + timedelta(
        minutes=10
    )


@pytest.mark.django_db
def test_rate_limit_per_account(article, reader, settings) -> None:
    """An account over its per-minute limit is refused with the time to retry."""
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 2), (3600, 20)]
    settings.CUPURE_COMMENTS_RATE_LIMITS_NETWORK = [(60, 100)]
    stored(article, reader, at=NOW - timedelta(seconds=40), network="192.0.2.0/24")
    assert check_rate_limit(draft(article, author_id=reader.pk)) is None
    stored(article, reader, at=NOW - timedelta(seconds=20), network="203.0.113.0/24")
    answer = check_rate_limit(draft(article, author_id=reader.pk))
    assert isinstance(answer, Refuse)
    assert answer.retry_at == NOW + timedelta(seconds=20)
    assert "12:00:20 UTC" in answer.message
    assert "your text is kept" in answer.message


@pytest.mark.django_db
def test_rate_limit_per_network(article, reader, other_reader, settings) -> None:
    """Many accounts on one network share the network's limit."""
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 100)]
    settings.CUPURE_COMMENTS_RATE_LIMITS_NETWORK = [(60, 3)]
    for seconds in (30, 20, 10):
        stored(article, other_reader, at=NOW - timedelta(seconds=seconds))
    answer = check_rate_limit(draft(article, author_id=reader.pk))
    assert isinstance(answer, Refuse)
    assert "network" in answer.message
    assert check_rate_limit(draft(article, ip_network="192.0.2.0/24")) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("account", "network", "later", "who"),
    [
        ((60, 2), (120, 2), 80, "Readers on your network have"),
        ((120, 2), (60, 2), 80, "You have"),
    ],
)
def test_both_rate_limits_hit_tell_the_later_retry(
    article, reader, other_reader, settings, account, network, later, who
) -> None:
    """Over both limits at once, the reader is told the LATER of the two times (the
    earlier one would be refused again), and whose limit that is."""
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [account]
    settings.CUPURE_COMMENTS_RATE_LIMITS_NETWORK = [network]
    # The reader's own posts: -40 s and -30 s (elsewhere); the network's: -40 s, -30 s.
    for seconds in (40, 30):
        at = NOW - timedelta(seconds=seconds)
        stored(article, reader, at=at, network="192.0.2.0/24")
        stored(article, other_reader, at=at)
    answer = check_rate_limit(draft(article, author_id=reader.pk))
    assert isinstance(answer, Refuse)
    assert answer.retry_at == NOW + timedelta(seconds=later)
    assert f"{answer.retry_at:%H:%M:%S} UTC" in answer.message
    assert answer.message.startswith(who)
    assert f"(in {later + 1} seconds)" in answer.message


# --- honeypot ---


def test_honeypot_filled_holds() -> None:
    """The hidden field filled in holds the comment (a bot, or a very odd person)."""
    assert isinstance(check_honeypot(draft(honeypot="https://spam.example")), Hold)
    assert check_honeypot(draft(honeypot="")) is None


# --- form speed ---


def test_too_fast_or_forged_form_holds(settings) -> None:
    """A form sent sooner than CUPURE_COMMENTS_MIN_FORM_SECONDS, or without a valid
    signed timestamp, holds the comment."""
    settings.CUPURE_COMMENTS_MIN_FORM_SECONDS = 3
    assert isinstance(check_form_speed(draft(form_age=timedelta(seconds=1))), Hold)
    assert isinstance(check_form_speed(draft(form_age=None)), Hold)
    assert check_form_speed(draft(form_age=timedelta(seconds=4))) is None


# --- link count ---


def test_many_links_hold(settings) -> None:
    """More links than CUPURE_COMMENTS_MAX_LINKS hold the comment."""
    settings.CUPURE_COMMENTS_MAX_LINKS = 2
    two = "see https://a.example and https://b.example"
    assert check_link_count(draft(body=two)) is None
    answer = check_link_count(draft(body=two + " and www.c.example"))
    assert isinstance(answer, Hold)
    assert "3 links" in answer.reason


# --- anonymous and new accounts ---


def test_anonymous_comments_hold() -> None:
    assert isinstance(check_anonymous(draft(author_id=None)), Hold)
    assert check_anonymous(draft(author_id=7)) is None


@pytest.mark.django_db
def test_new_accounts_are_premoderated(article, reader, settings) -> None:
    """An account's first N comments hold until one is published."""
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 1
    assert isinstance(check_new_account(draft(article, author_id=reader.pk)), Hold)
    stored(article, reader, status=CommentStatus.PENDING)
    assert isinstance(check_new_account(draft(article, author_id=reader.pk)), Hold)
    stored(article, reader, status=CommentStatus.PUBLISHED)
    assert check_new_account(draft(article, author_id=reader.pk)) is None
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 0
    assert check_new_account(draft(article, author_id=reader.pk)) is None


@pytest.mark.django_db
def test_unconfirmed_address_holds_or_refuses(article, settings) -> None:
    """Until its address is confirmed an account's comments wait (with the reason
    the reader is shown), or, when the operator says so, are refused."""
    from tests.accounts.factories import reader_account

    new = reader_account(
        "neu", "neu@example.org", "a-long-passphrase-9", confirmed=False
    )
    answer = check_email_confirmed(draft(article, author_id=new.pk))
    assert answer == Hold(UNCONFIRMED_EMAIL_REASON)
    settings.CUPURE_ACCOUNTS_CONFIRM_BEFORE_POSTING = True
    refused = check_email_confirmed(draft(article, author_id=new.pk))
    assert isinstance(refused, Refuse)
    assert "Confirm your email address to comment" in refused.message
    new.emailaddress_set.update(verified=True)
    assert check_email_confirmed(draft(article, author_id=new.pk)) is None
    assert check_email_confirmed(draft(article, author_id=None)) is None


# --- the pipeline ---


def _passing(_: CommentDraft) -> None:
    return None


def test_all_clear_publishes() -> None:
    decision = moderate(draft(), checks=[Check("ok", "why", _passing)])
    assert decision.status == CommentStatus.PUBLISHED
    assert decision.refused is None


def test_first_refusal_stops_the_run() -> None:
    """After a refusal no later check runs (nothing is stored anyway)."""
    ran: list[str] = []

    def later(_: CommentDraft) -> None:
        ran.append("later")

    checks = [
        Check("hold", "why", lambda d: Hold("looks odd")),
        Check("no", "why", lambda d: Refuse("not like this")),
        Check("later", "why", later),
    ]
    decision = moderate(draft(), checks=checks)
    assert decision.refused == Refuse("not like this")
    assert decision.refused_by == "no"
    assert ran == []


def test_holds_accumulate_their_reasons() -> None:
    checks = [
        Check("a", "why", lambda d: Hold("first")),
        Check("b", "why", lambda d: Hold("second")),
    ]
    decision = moderate(draft(), checks=checks)
    assert decision.status == CommentStatus.PENDING
    assert decision.held_reasons == ["a: first", "b: second"]


def test_a_failing_check_holds_never_publishes() -> None:
    """A check that raises sends the comment to the queue with the failure named."""

    def broken(_: CommentDraft) -> None:
        raise ConnectionError("spam service down")

    decision = moderate(draft(), checks=[Check("spam_service", "why", broken)])
    assert decision.status == CommentStatus.PENDING
    assert decision.refused is None
    assert "spam_service" in decision.held_reasons[0]
    assert "ConnectionError" in decision.held_reasons[0]


def test_a_slow_check_holds_never_publishes(settings) -> None:
    """A check that overruns CUPURE_COMMENTS_CHECK_SECONDS holds the comment even
    though it said nothing against it (its answer came too late to trust)."""
    settings.CUPURE_COMMENTS_CHECK_SECONDS = 2.0
    ticks = iter([0.0, 5.0])
    decision = moderate(
        draft(), checks=[Check("slow", "why", _passing)], clock=lambda: next(ticks)
    )
    assert decision.status == CommentStatus.PENDING
    assert "5.0 s" in decision.held_reasons[0]


def test_edits_run_only_the_edit_checks() -> None:
    """On edit, checks not marked on_edit (rate limit, form speed…) are skipped."""
    checks = [
        Check("creation_only", "why", lambda d: Refuse("no")),
        Check("both", "why", lambda d: Hold("look"), on_edit=True),
    ]
    decision = moderate(draft(), checks=checks, editing=True)
    assert decision.refused is None
    assert decision.held_reasons == ["both: look"]
