"""Email confirmation end to end, through a real SMTP server on 127.0.0.1.

Sign up, read the mail the server received (text and HTML), post a comment that
waits with a notice, follow the link, confirm: the address is confirmed and the
comment published.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from cupure.comments.forms import form_timestamp
from cupure.comments.models import Comment, CommentStatus
from tests.accounts.smtp import smtp_server
from tests.comments.conftest import make_article

pytestmark = pytest.mark.django_db

PASSWORD = "harbour-bridge-2026"
CONFIRM_LINK = re.compile(r"https?://[^/\s\"]+(/accounts/confirm-email/[^/\s\"]+/)")


@pytest.fixture
def smtp(settings):
    with smtp_server() as (port, inbox):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        yield inbox


@pytest.fixture(autouse=True)
def _commenting(settings) -> None:
    settings.CUPURE_COMMENTS_MIN_FORM_SECONDS = 0
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 0


def _post_comment(client: Client, article, body: str):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {"body": body, "shown": form_timestamp(), "website": ""},
    )


def test_signup_mail_link_confirms_and_publishes_held_comments(
    client: Client, smtp
) -> None:
    article = make_article()
    client.post(
        reverse("account_signup"),
        {
            "username": "newreader",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert smtp.recipients == [["new@example.org"]]
    message = smtp.messages[0]
    assert message["Subject"] == "cupure: Confirm your email address"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = CONFIRM_LINK.search(text).group(1)
    assert CONFIRM_LINK.search(html).group(1) == link
    assert "newreader" in text

    # Until then, the reader's comment waits, and the thread tells them why.
    _post_comment(client, article, "Is the bridge open at night?")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    thread = client.get(article.get_absolute_url()).content.decode()
    assert "Confirm your email to publish" in thread

    page = client.get(link)
    assert page.status_code == 200
    assert "new@example.org" in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED

    # A stranger reading the thread now sees it.
    stranger = Client().get(article.get_absolute_url()).content.decode()
    assert "Is the bridge open at night?" in stranger


def test_operator_can_require_confirmation_before_posting(
    client: Client, smtp, settings
) -> None:
    settings.CUPURE_ACCOUNTS_CONFIRM_BEFORE_POSTING = True
    article = make_article()
    client.post(
        reverse("account_signup"),
        {
            "username": "eager",
            "email": "eager@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    refused = _post_comment(client, article, "First!")
    assert refused.status_code == 400
    assert "Confirm your email address to comment" in refused.content.decode()
    assert not Comment.objects.exists()
    link = CONFIRM_LINK.search(
        smtp.messages[0].get_body(preferencelist=("plain",)).get_content()
    ).group(1)
    client.post(link)
    assert _post_comment(client, article, "First, confirmed.").status_code == 302
    assert Comment.objects.get().status == CommentStatus.PUBLISHED
