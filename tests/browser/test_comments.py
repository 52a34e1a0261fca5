"""A reader's whole comment journey in real Chromium, with our script on.

Signs up, comments, replies (both in place), edits within the window, is refused
after it (the clock is moved by editing created_at, not by sleeping), reports
another reader's comment, and sees the rate-limit message after a burst with the
text kept. axe-core must find no serious or critical violation on the way.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cupure.articles.models import Article
from cupure.comments.models import Comment, CommentReport, CommentStatus
from cupure.sources.services import publisher_get_or_create
from tests.accounts.factories import reader_account
from tests.browser.conftest import axe_violations, screenshots

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harbour-bridge-2026"


@pytest.fixture
def article() -> Article:
    publisher = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    return Article.objects.create(
        publisher=publisher,
        url="https://gazette.example/news/bridge",
        canonical_url="https://gazette.example/news/bridge",
        title="Harbour bridge reopens after two years",
        slug="harbour-bridge-reopens",
        byline="Mara Quist",
        published=datetime(2026, 11, 23, 9, tzinfo=UTC),
        summary="The old harbour bridge reopened to traffic on Monday.",
        paragraphs=[
            "The old harbour bridge reopened to traffic on Monday.",
            "City engineers said the work finished early.",
        ],
    )


@pytest.fixture
def neighbour_comment(article: Article) -> Comment:
    """Another reader's published comment, for our reader to reply to and report."""
    neighbour = reader_account("ole", "ole@example.org", PASSWORD)
    return Comment.objects.create(
        article=article,
        author=neighbour,
        body_markdown="Took them **long enough**.",
        body_html="<p>Took them <strong>long enough</strong>.</p>",
        sanitizer_version=1,
        status=CommentStatus.PUBLISHED,
        created_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture(autouse=True)
def _journey_settings(settings) -> None:
    # The browser types faster than a person: the too-fast check would hold every
    # comment, and new-account premoderation would hide them from the thread.
    settings.CUPURE_COMMENTS_MIN_FORM_SECONDS = 0
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 0
    # Two a minute: a comment and a reply, then the burst is refused.
    settings.CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [(60, 2), (3600, 20)]
    settings.CUPURE_COMMENTS_EDIT_MINUTES = 15


def test_comment_journey_in_chromium(
    page: Page, live_server, article: Article, neighbour_comment: Comment
) -> None:
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("#comments-heading")).to_contain_text("Comments (1)")
    expect(page.locator(".comments-signin")).to_be_visible()

    # Sign up from the header; we come back to the article, signed in.
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("mara")
    page.get_by_label("Email address").fill("mara@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    assert axe_violations(page) == []
    screenshots(page, "signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("h1")).to_have_text(article.title)
    expect(page.locator(".account-nav")).to_contain_text("Signed in as mara")
    expect(page.locator(".site-messages")).to_contain_text("mara@example.org")

    # Until the address is confirmed, a comment waits, and says why.
    page.locator("#body-new").fill("Is the bridge open at night?")
    page.get_by_role("button", name="Post comment").click()
    held = page.locator(".comment-list > li.comment").filter(has_text="at night")
    expect(held.locator(".comment-awaits-email")).to_contain_text(
        "Confirm your email to publish"
    )
    expect(page.locator("#comments-status")).to_have_text(
        "Your comment is held: confirm your email to publish it."
    )

    # The link in the mail confirms it, and the held comment is published.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
    assert link
    page.goto(link.group(0))
    assert axe_violations(page) == []
    screenshots(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    assert Comment.objects.get(body_markdown__contains="at night").status == (
        CommentStatus.PUBLISHED
    )
    Comment.objects.filter(body_markdown__contains="at night").update(
        created_at=timezone.now() - timedelta(minutes=30)
    )
    page.goto(live_server.url + article.get_absolute_url())

    # Comment in place: no page load, the comment joins the list.
    url_before = page.url
    page.locator("#body-new").fill("Good news for *commuters* <script>x()</script>")
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator(".comment-list > li.comment").filter(has_text="Good news for")
    expect(mine).to_have_count(1)
    expect(mine.locator(".comment-body em")).to_have_text("commuters")
    expect(mine.locator(".comment-body")).to_contain_text("<script>x()</script>")
    assert page.url == url_before
    expect(page.locator("#comments-status")).to_have_text("Your comment was posted.")
    expect(page.locator("#comments-heading")).to_contain_text("Comments (3)")

    # Reply in place under the neighbour's comment.
    neighbour = page.locator(f"#comment-{neighbour_comment.pk}")
    neighbour.locator("summary").first.click()
    neighbour.get_by_label("Reply to ole").fill("Two years is a long time indeed.")
    neighbour.get_by_role("button", name="Post reply").click()
    reply = page.locator(f"#replies-{neighbour_comment.pk} > li.comment")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("Two years is a long time indeed.")
    assert axe_violations(page) == []
    screenshots(page, "article-comments")

    # Edit within the window.
    page.reload()
    mine = page.locator(".comment-list > li.comment").filter(has_text="Good news for")
    mine.get_by_role("link", name="Edit your comment").click()
    expect(page.locator("h1")).to_have_text("Edit your comment")
    assert axe_violations(page) == []
    page.get_by_label("Your comment").fill("Great news for commuters.")
    page.get_by_role("button", name="Save changes").click()
    edited = page.locator(".comment").filter(has_text="Great news for commuters.")
    expect(edited).to_have_count(1)
    expect(edited.locator(".comment-edited").first).to_have_text("edited")

    # Sixteen minutes later (moved in the database): no edit link, and refused.
    comment = Comment.objects.get(body_markdown="Great news for commuters.")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    page.reload()
    mine = page.locator(f"#comment-{comment.pk}")
    expect(mine.get_by_role("link", name="Edit your comment")).to_have_count(0)
    response = page.goto(f"{live_server.url}/comments/{comment.pk}/edit/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("This comment can no longer be edited")

    # Report the neighbour's comment, with a reason.
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#comment-{neighbour_comment.pk}").get_by_role(
        "link", name="Report comment by ole"
    ).click()
    page.get_by_label("Spam or advertising").check()
    page.get_by_label("Anything the moderator should know").fill("Looks like an ad.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("h1")).to_have_text("Thank you: report sent")
    report = CommentReport.objects.get()
    assert (report.comment_id, report.reason) == (neighbour_comment.pk, "spam")

    # A burst: the reply and one more comment fill this minute's two; the next is
    # refused with when to try again, and the text stays in the form. (The first
    # comment was moved 16 minutes back above, so it no longer counts.)
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#body-new").fill("A second thought.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment").filter(has_text="A second thought.")).to_have_count(
        1
    )
    page.locator("#body-new").fill("One more thought, quickly.")
    page.get_by_role("button", name="Post comment").click()
    alert = page.locator("#form-new [role=alert]")
    expect(alert).to_contain_text("You can post again at")
    expect(alert).to_contain_text("UTC")
    expect(page.locator("#body-new")).to_have_value("One more thought, quickly.")
    assert axe_violations(page) == []
    screenshots(page, "comments-rate-limited")
    assert Comment.objects.filter(body_markdown__startswith="One more").count() == 0


def test_commenting_works_without_javascript(
    browser: Browser, live_server, article: Article, neighbour_comment: Comment
) -> None:
    """With scripts off, logging in, posting and replying are ordinary form posts
    that land back on the article at the new comment."""
    reader_account("mara", "mara@example.org", PASSWORD)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.locator(".comments-signin").get_by_role("link", name="Log in").click()
        page.get_by_label("Username").fill("mara")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("h1")).to_have_text(article.title)
        page.locator("#body-new").fill("Posted the old way.")
        page.get_by_role("button", name="Post comment").click()
        comment = Comment.objects.get(body_markdown="Posted the old way.")
        assert page.url.endswith(f"#comment-{comment.pk}")
        expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("the old way")
        neighbour = page.locator(f"#comment-{neighbour_comment.pk}")
        neighbour.locator("summary").first.click()
        neighbour.get_by_label("Reply to ole").fill("A reply, no script.")
        neighbour.get_by_role("button", name="Post reply").click()
        reply = Comment.objects.get(body_markdown="A reply, no script.")
        assert reply.parent_id == neighbour_comment.pk
        expect(page.locator(f"#replies-{neighbour_comment.pk}")).to_contain_text(
            "A reply, no script."
        )
    finally:
        context.close()
