"""Comment pages through the real URL map: posting with and without JavaScript,
refusals that keep the reader's text, 429 with Retry-After, permissions, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cupure.comments.models import Comment, CommentReport, CommentStatus
from cupure.comments.services import comment_create
from tests.comments.conftest import old_form

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_COMMENTS_FRAGMENT": "1"}


@pytest.fixture
def signed_in(client: Client, reader) -> Client:
    client.force_login(reader)
    return client


def post_url(article) -> str:
    return reverse("comments:post", kwargs={"article_pk": article.pk})


def form(body: str, **extra) -> dict:
    return {"body": body, "shown": old_form(), "website": "", **extra}


def test_article_page_shows_the_section_and_form(signed_in: Client, article) -> None:
    page = signed_in.get(article.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="comments-heading"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'for="body-new"' in html
    assert "comments/comments.js" in html


def test_signed_out_readers_are_asked_to_log_in(client: Client, article) -> None:
    html = client.get(article.get_absolute_url()).content.decode()
    assert "to comment." in html
    assert 'id="body-new"' not in html


def test_post_without_javascript_redirects_to_the_comment(
    signed_in: Client, article
) -> None:
    response = signed_in.post(post_url(article), form("Good to see it open."))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = signed_in.get(article.get_absolute_url()).content.decode()
    assert "Good to see it open." in page
    assert 'Comments <span class="comment-total">(1)</span>' in page


def test_post_with_javascript_returns_the_comment_fragment(
    signed_in: Client, article
) -> None:
    response = signed_in.post(post_url(article), form("In place."), **FRAGMENT)
    html = response.content.decode()
    assert response.status_code == 201
    assert html.lstrip().startswith("<li")
    assert "In place." in html
    assert "<html" not in html


def test_reply_posts_under_its_parent(signed_in: Client, article, reader) -> None:
    parent = comment_create(
        article=article,
        author=reader,
        body="Root remark",
        form_age=timedelta(minutes=1),
    )
    response = signed_in.post(
        post_url(article), form("A reply", parent=str(parent.pk)), **FRAGMENT
    )
    assert response.status_code == 201
    reply = Comment.objects.get(body_markdown="A reply")
    assert reply.parent_id == parent.pk
    page = signed_in.get(article.get_absolute_url()).content.decode()
    assert f'id="replies-{parent.pk}"' in page


def test_xss_in_a_comment_is_shown_as_text_on_the_page(
    signed_in: Client, article
) -> None:
    body = '<script>alert("x")</script> [a](javascript:alert(1)) <img src=x onerror=y>'
    signed_in.post(post_url(article), form(body))
    html = signed_in.get(article.get_absolute_url()).content.decode()
    section = html[html.index('id="comments"') :]
    assert "&lt;script&gt;alert(" in section
    assert "<script>alert" not in section
    assert "onerror=y>" not in section
    assert 'href="javascript:' not in section


def test_refusal_keeps_the_text_in_the_form(
    signed_in: Client, article, settings
) -> None:
    """A refused comment comes back in the form, with the reason, nothing stored."""
    settings.CUPURE_COMMENTS_MAX_LENGTH = 20
    text = "This text is far too long for the limit & has <b>markup</b>"
    response = signed_in.post(post_url(article), form(text))
    html = response.content.decode()
    assert response.status_code == 400
    assert "the limit is 20" in html
    assert (
        "This text is far too long for the limit &amp; has &lt;b&gt;markup&lt;/b&gt;"
        in html
    )
    assert Comment.objects.count() == 0


def test_burst_gets_a_429_page_saying_when_to_retry(
    signed_in: Client, article, settings
) -> None:
    """After the per-minute limit, the reader gets 429, Retry-After, the time to try
    again, and their text kept, with and without JavaScript."""
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 2), (3600, 20)]
    for number in range(2):
        assert (
            signed_in.post(post_url(article), form(f"Post {number}")).status_code == 302
        )
    response = signed_in.post(post_url(article), form("My third thought"))
    html = response.content.decode()
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    assert re.search(r"You can post again at \d\d:\d\d:\d\d UTC", html)
    assert "My third thought</textarea>" in html
    assert "<h1" in html
    fragment = signed_in.post(post_url(article), form("Again in place"), **FRAGMENT)
    assert fragment.status_code == 429
    assert fragment.content.decode().lstrip().startswith("<form")
    assert "Again in place</textarea>" in fragment.content.decode()


def test_csrf_is_required(article, reader) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(post_url(article), form("no token"))
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_get_is_not_allowed_on_the_post_url(signed_in: Client, article) -> None:
    assert signed_in.get(post_url(article)).status_code == 405


def test_edit_within_the_window_then_refused_after(
    signed_in: Client, article, reader
) -> None:
    comment = comment_create(
        article=article, author=reader, body="Frist", form_age=timedelta(minutes=1)
    )
    edit_url = reverse("comments:edit", kwargs={"pk": comment.pk})
    assert 'id="edit-body"' in signed_in.get(edit_url).content.decode()
    assert signed_in.post(edit_url, {"body": "First"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body_markdown == "First"
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    assert signed_in.get(edit_url).status_code == 403
    late = signed_in.post(edit_url, {"body": "Too late"})
    assert late.status_code == 403
    assert "15 minutes" in late.content.decode()
    comment.refresh_from_db()
    assert comment.body_markdown == "First"


def test_others_cannot_edit_delete_and_signed_out_must_log_in(
    client: Client, article, reader, other_reader
) -> None:
    comment = comment_create(
        article=article, author=reader, body="Mine", form_age=timedelta(minutes=1)
    )
    edit_url = reverse("comments:edit", kwargs={"pk": comment.pk})
    delete_url = reverse("comments:delete", kwargs={"pk": comment.pk})
    assert client.post(edit_url, {"body": "x"}).status_code == 302  # to log in
    client.force_login(other_reader)
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"body": "x"}).status_code == 403
    assert client.post(delete_url).status_code == 403
    comment.refresh_from_db()
    assert (comment.body_markdown, comment.status) == ("Mine", CommentStatus.PUBLISHED)


def test_delete_shows_deleted_in_the_thread(signed_in: Client, article, reader) -> None:
    comment = comment_create(
        article=article,
        author=reader,
        body="Regrettable",
        form_age=timedelta(minutes=1),
    )
    delete_url = reverse("comments:delete", kwargs={"pk": comment.pk})
    assert "Delete your comment?" in signed_in.get(delete_url).content.decode()
    assert signed_in.post(delete_url).status_code == 302
    html = signed_in.get(article.get_absolute_url()).content.decode()
    assert "[deleted]" in html
    assert "Regrettable" not in html


def test_report_with_a_reason_once(
    client: Client, article, reader, other_reader
) -> None:
    comment = comment_create(
        article=article, author=reader, body="Spammy", form_age=timedelta(minutes=1)
    )
    client.force_login(other_reader)
    url = reverse("comments:report", kwargs={"pk": comment.pk})
    assert "Why should a moderator look" in client.get(url).content.decode()
    assert client.post(url, {"reason": "nonsense"}).status_code == 400
    response = client.post(url, {"reason": "spam", "note": "link farm"})
    assert response.status_code == 200
    assert "report sent" in response.content.decode()
    again = client.post(url, {"reason": "abuse"})
    assert again.status_code == 409
    report = CommentReport.objects.get()
    assert (report.reason, report.note) == ("spam", "link farm")


def test_pending_comment_visible_only_to_its_author(
    client: Client, article, reader, other_reader
) -> None:
    comment_create(article=article, author=reader, body="Held back", form_age=None)
    client.force_login(reader)
    mine = client.get(article.get_absolute_url()).content.decode()
    assert "Held back" in mine
    assert "Awaiting moderation" in mine
    client.force_login(other_reader)
    assert "Held back" not in client.get(article.get_absolute_url()).content.decode()


def test_ordering_links(signed_in: Client, article, reader, settings) -> None:
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 100)]
    now = timezone.now()
    for number in range(3):
        comment_create(
            article=article,
            author=reader,
            body=f"Number {number}",
            form_age=timedelta(minutes=1),
            now=now - timedelta(minutes=10 - number),
        )
    oldest = signed_in.get(article.get_absolute_url()).content.decode()
    newest = signed_in.get(
        article.get_absolute_url() + "?comments=newest"
    ).content.decode()
    assert oldest.index("Number 0") < oldest.index("Number 2")
    assert newest.index("Number 2") < newest.index("Number 0")
    assert 'aria-current="true">Newest first' in newest


def test_anonymous_comment_with_a_name_when_allowed(
    client: Client, article, settings
) -> None:
    """With CUPURE_COMMENTS_ALLOW_ANONYMOUS the form asks for a name, and the
    comment waits for a moderator; without it, posting is refused with 403."""
    settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS = False
    refused = client.post(post_url(article), form("Hello", name="Guest"), **FRAGMENT)
    assert refused.status_code == 403
    assert "Sign in" in refused.content.decode()
    settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS = True
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'id="name-new"' in page
    response = client.post(post_url(article), form("Hello", name="Guest"), **FRAGMENT)
    assert response.status_code == 201
    assert "Awaiting moderation" in response.content.decode()
    comment = Comment.objects.get()
    assert (comment.author_name, comment.status) == ("Guest", CommentStatus.PENDING)
    assert "Hello" not in client.get(article.get_absolute_url()).content.decode()


def test_new_comment_fragment_has_a_working_reply_form(
    signed_in: Client, article
) -> None:
    html = signed_in.post(post_url(article), form("Reply to me"), **FRAGMENT).content
    comment = Comment.objects.get()
    text = html.decode()
    assert f'name="parent" value="{comment.pk}"' in text
    assert 'name="website"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_reply_to_a_missing_comment_keeps_the_text(signed_in: Client, article) -> None:
    response = signed_in.post(post_url(article), form("Lost reply", parent="999999"))
    assert response.status_code == 400
    assert "Lost reply</textarea>" in response.content.decode()
    assert Comment.objects.count() == 0


def test_home_cards_show_comment_counts(client: Client, article, reader) -> None:
    for body in ("First!", "Second."):
        comment_create(
            article=article, author=reader, body=body, form_age=timedelta(minutes=1)
        )
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{article.get_absolute_url()}#comments">2 comments</a>' in html
