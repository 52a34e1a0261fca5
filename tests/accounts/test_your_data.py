"""A reader's data: download it as JSON, delete the account (comments removed or
kept as "[deleted]"), with a confirmation step; every session ends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cupure.comments.models import Comment, CommentReport, CommentStatus
from tests.accounts.conftest import PASSWORD
from tests.accounts.factories import reader_account
from tests.comments.conftest import make_article

pytestmark = pytest.mark.django_db


def _comment(article, author, body, parent=None) -> Comment:
    return Comment.objects.create(
        article=article,
        author=author,
        parent=parent,
        body_markdown=body,
        body_html=f"<p>{body}</p>",
        status=CommentStatus.PUBLISHED,
        ip_network="198.51.100.0/24",
        created_at=timezone.now() - timedelta(hours=1),
    )


def _login(client: Client, login: str = "mara") -> None:
    response = client.post(
        reverse("account_login"), {"login": login, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_download_your_data_as_json(client: Client, reader) -> None:
    article = make_article()
    other = reader_account("ole", "ole@example.org", PASSWORD)
    mine = _comment(article, reader, "The bridge was worth the wait.")
    theirs = _comment(article, other, "It was not.")
    CommentReport.objects.create(
        comment=theirs,
        reporter=reader,
        reason="off_topic",
        note="Rude",
        created_at=timezone.now(),
    )
    _comment(article, other, "Someone else's words.")
    client.force_login(reader)

    response = client.get(reverse("accounts:data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["username"] == "mara"
    assert data["profile"]["email_addresses"] == [
        {"email": "mara@example.org", "verified": True, "primary": True}
    ]
    assert [c["text"] for c in data["comments"]] == ["The bridge was worth the wait."]
    assert data["comments"][0]["id"] == mine.pk
    assert [(r["comment"], r["reason"], r["note"]) for r in data["reports"]] == [
        (theirs.pk, "off_topic", "Rude")
    ]
    assert Client().get(reverse("accounts:data")).status_code == 302


@pytest.mark.parametrize("choice", ["remove", "keep"])
def test_delete_account_after_confirmation_ends_every_session(
    reader, choice: str
) -> None:
    article = make_article()
    other = reader_account("ole", "ole@example.org", PASSWORD)
    asked = _comment(article, reader, "When do the night buses return?")
    _comment(article, other, "Next month.", parent=asked)
    aside = _comment(article, reader, "And the ferry timetable?")
    laptop, phone = Client(), Client()
    _login(laptop)
    _login(phone)

    page = laptop.get(reverse("accounts:delete"))
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    wrong = laptop.post(
        reverse("accounts:delete"), {"comments": choice, "password": "not-mine"}
    )
    assert wrong.status_code == 400
    assert "That is not your password." in wrong.content.decode()
    assert get_user_model().objects.filter(username="mara").exists()

    done = laptop.post(
        reverse("accounts:delete"), {"comments": choice, "password": PASSWORD}
    )
    assert done.status_code == 200
    assert "Your account is deleted" in done.content.decode()
    assert not get_user_model().objects.filter(username="mara").exists()
    for device in (laptop, phone):
        assert "_auth_user_id" not in device.session
        assert "Signed in as" not in device.get("/").content.decode()

    asked.refresh_from_db()
    assert asked.author_id is None
    assert asked.display_name == "[deleted]"
    thread = Client().get(article.get_absolute_url()).content.decode()
    assert "mara" not in thread
    assert "Next month." in thread
    if choice == "remove":
        assert asked.status == CommentStatus.DELETED
        assert asked.body_markdown == ""
        assert not Comment.objects.filter(pk=aside.pk).exists()
        assert "night buses" not in thread
    else:
        assert asked.status == CommentStatus.PUBLISHED
        assert Comment.objects.get(pk=aside.pk).body_markdown.startswith("And the")
        assert "night buses" in thread


def test_sessions_page_ends_the_other_sessions(reader) -> None:
    laptop, phone = Client(), Client()
    _login(laptop)
    _login(phone)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    laptop.post(reverse("usersessions_list"))
    assert "_auth_user_id" in laptop.session
    assert "Signed in as" not in phone.get("/").content.decode()


def test_the_delete_form_is_no_way_to_guess_the_password(
    client: Client, reader
) -> None:
    client.force_login(reader)
    for _ in range(10):
        wrong = client.post(
            reverse("accounts:delete"), {"comments": "keep", "password": "guess"}
        )
        assert wrong.status_code == 400
    refused = client.post(
        reverse("accounts:delete"), {"comments": "keep", "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert get_user_model().objects.filter(username="mara").exists()
