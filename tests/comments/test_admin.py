"""The moderation queue in the admin: approve, reject and ban through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cupure.comments.models import (
    Comment,
    CommenterBan,
    CommentStatus,
    ModerationAction,
    ModerationLogEntry,
)
from cupure.comments.services import comment_create

pytestmark = pytest.mark.django_db

QUEUE = "admin:comments_pendingcomment_changelist"


@pytest.fixture
def admin_client_(client: Client, moderator) -> Client:
    client.force_login(moderator)
    return client


def held(article, author, body: str) -> Comment:
    return comment_create(article=article, author=author, body=body, form_age=None)


def test_queue_lists_only_pending_comments_with_reasons(
    admin_client_: Client, article, reader
) -> None:
    held(article, reader, "Waiting for a look")
    comment_create(
        article=article,
        author=reader,
        body="Already out",
        form_age=timedelta(minutes=1),
    )
    html = admin_client_.get(reverse(QUEUE)).content.decode()
    assert "Waiting for a look" in html
    assert "Already out" not in html
    assert "form_speed" in html


@pytest.mark.parametrize(
    ("action", "status", "logged"),
    [
        ("approve", CommentStatus.PUBLISHED, ModerationAction.APPROVED),
        ("reject", CommentStatus.REJECTED, ModerationAction.REJECTED),
    ],
)
def test_approve_and_reject_from_the_queue(
    admin_client_: Client, article, reader, moderator, action, status, logged
) -> None:
    comment = held(article, reader, "Judge me")
    response = admin_client_.post(
        reverse(QUEUE), {"action": action, "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == status
    entry = ModerationLogEntry.objects.get(comment=comment, action=logged)
    assert entry.actor == moderator


def test_ban_from_the_queue(admin_client_: Client, article, reader) -> None:
    comment = held(article, reader, "Buy cheap watches")
    admin_client_.post(
        reverse(QUEUE), {"action": "ban_authors", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert CommenterBan.objects.filter(user=reader).exists()


def test_moderation_log_is_read_only(admin_client_: Client, article, reader) -> None:
    held(article, reader, "Logged")
    entry = ModerationLogEntry.objects.get()
    url = reverse("admin:comments_moderationlogentry_change", args=[entry.pk])
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.post(url, {"reason": "rewritten"}).status_code == 403
    assert (
        admin_client_.get(reverse("admin:comments_moderationlogentry_add")).status_code
        == 403
    )


def test_readers_cannot_reach_the_queue(client: Client, reader) -> None:
    client.force_login(reader)
    response = client.get(reverse(QUEUE))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
