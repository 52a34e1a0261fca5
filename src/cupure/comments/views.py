"""Comment pages and posts. Views validate forms, call services, and render.

Every view works without JavaScript (post, redirect, get). With ``comments.js`` the
same URLs answer ``X-Comments-Fragment: 1`` requests with an HTML fragment: the new
comment on success, the form with its error (and the reader's text) on refusal.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cupure.articles.models import Article

from .errors import CommentError, CommentRateLimited
from .forms import (
    HONEYPOT_FIELD,
    CommentEditForm,
    CommentForm,
    CommentReportForm,
    form_age,
    form_timestamp,
)
from .models import Comment, CommentStatus
from .selectors import CommentNode
from .services import (
    comment_can_edit,
    comment_create,
    comment_delete,
    comment_edit,
    comment_report,
)

FRAGMENT_HEADER = "X-Comments-Fragment"


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "1"


def _first_error(form: CommentForm | CommentEditForm | CommentReportForm) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "The form could not be read; please try again."


def form_context(
    request: HttpRequest,
    *,
    article: Article,
    form_id: str,
    parent: Comment | None = None,
    body: str = "",
    name: str = "",
    error: str = "",
) -> dict:
    """What ``comments/_form.html`` needs to draw a comment or reply form."""
    return {
        "form_id": form_id,
        "article": article,
        "parent": parent,
        "body": body,
        "name": name,
        "error": error,
        "shown": form_timestamp(),
        "show_name": not request.user.is_authenticated,
        "honeypot_field": HONEYPOT_FIELD,
        "label": f"Reply to {parent.display_name}" if parent else "Your comment",
        "submit_label": "Post reply" if parent else "Post comment",
    }


def _refused(
    request: HttpRequest,
    *,
    article: Article,
    form_id: str,
    parent: Comment | None,
    body: str,
    name: str,
    error: str,
    status: int,
    retry_at: datetime | None = None,
) -> HttpResponse:
    context = form_context(
        request,
        article=article,
        form_id=form_id,
        parent=parent,
        body=body,
        name=name,
        error=error,
    )
    template = (
        "comments/_form.html"
        if _wants_fragment(request)
        else "comments/post_refused.html"
    )
    context["rate_limited"] = status == 429
    response = render(request, template, context, status=status)
    if retry_at is not None:
        seconds = max(int((retry_at - timezone.now()).total_seconds()) + 1, 1)
        response["Retry-After"] = str(seconds)
    return response


def _client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: behind a proxy, the server must be told to take it from the
    # proxy's header; trusting X-Forwarded-For blindly lets anyone pick an IP.
    return request.META.get("REMOTE_ADDR", "")


@require_POST
def comment_post(request: HttpRequest, article_pk: int) -> HttpResponse:
    """Post a comment or a reply on an article."""
    article = get_object_or_404(Article, pk=article_pk)
    form = CommentForm(request.POST)
    parent_id = request.POST.get("parent") or ""
    parent = (
        Comment.objects.filter(pk=parent_id, article=article).first()
        if parent_id.isdigit()
        else None
    )
    form_id = f"reply-{parent.pk}" if parent else "new"
    body = request.POST.get("body", "")
    name = request.POST.get("name", "")
    if parent_id and parent is None:
        return _refused(
            request,
            article=article,
            form_id="new",
            parent=None,
            body=body,
            name=name,
            error="The comment you replied to is not on this article any more; "
            "your text is kept below to post as a new comment.",
            status=400,
        )
    if not form.is_valid():
        return _refused(
            request,
            article=article,
            form_id=form_id,
            parent=parent,
            body=body,
            name=name,
            error=_first_error(form),
            status=400,
        )
    try:
        comment = comment_create(
            article=article,
            body=form.cleaned_data["body"],
            author=request.user if request.user.is_authenticated else None,
            author_name=form.cleaned_data["name"],
            parent=parent,
            ip_address=_client_ip(request),
            form_age=form_age(form.cleaned_data["shown"]),
            honeypot=form.cleaned_data[HONEYPOT_FIELD],
        )
    except CommentError as error:
        return _refused(
            request,
            article=article,
            form_id=form_id,
            parent=parent,
            body=body,
            name=name,
            error=error.message,
            status=error.status,
            retry_at=error.retry_at if isinstance(error, CommentRateLimited) else None,
        )
    if _wants_fragment(request):
        node = CommentNode(
            comment=comment,
            is_own=request.user.is_authenticated,
            can_edit=comment_can_edit(comment=comment, user=request.user),
        )
        return render(
            request,
            "comments/_comment.html",
            {"node": node, "can_comment": True, **_tag_flags(request)},
            status=201,
        )
    return redirect(comment.get_absolute_url())


def _tag_flags(request: HttpRequest) -> dict:
    return {
        "shown": form_timestamp(),
        "show_name": not request.user.is_authenticated,
        "honeypot_field": HONEYPOT_FIELD,
    }


def _notice(
    request: HttpRequest, *, title: str, message: str, comment: Comment, status: int
) -> HttpResponse:
    return render(
        request,
        "comments/notice.html",
        {"title": title, "message": message, "comment": comment},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The author edits their comment inside the edit window."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if comment.author_id != request.user.pk:
        return _notice(
            request,
            title="Not your comment",
            message="You can only edit your own comments.",
            comment=comment,
            status=403,
        )
    error = ""
    status = 200
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(
                    comment=comment, user=request.user, body=form.cleaned_data["body"]
                )
            except CommentError as refusal:
                error, status = refusal.message, refusal.status
            else:
                return redirect(comment.get_absolute_url())
        else:
            error, status = _first_error(form), 400
        body = request.POST.get("body", "")
    else:
        if not comment_can_edit(comment=comment, user=request.user):
            minutes = settings.CUPURE_COMMENTS_EDIT_MINUTES
            return _notice(
                request,
                title="This comment can no longer be edited",
                message=f"Comments can be edited for {minutes} minutes after posting.",
                comment=comment,
                status=403,
            )
        body = comment.body_markdown
    return render(
        request,
        "comments/edit.html",
        {
            "comment": comment,
            "body": body,
            "error": error,
            "edit_minutes": settings.CUPURE_COMMENTS_EDIT_MINUTES,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The author deletes their comment (after a confirmation page)."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if comment.author_id != request.user.pk or comment.status in {
        CommentStatus.DELETED,
        CommentStatus.REJECTED,
    }:
        return _notice(
            request,
            title="Not your comment",
            message="You can only delete your own comments.",
            comment=comment,
            status=403,
        )
    if request.method == "POST":
        try:
            comment_delete(comment=comment, user=request.user)
        except CommentError as refusal:
            return _notice(
                request,
                title="Not deleted",
                message=refusal.message,
                comment=comment,
                status=refusal.status,
            )
        return redirect(comment.get_absolute_url())
    return render(request, "comments/delete.html", {"comment": comment})


@login_required
@require_http_methods(["GET", "POST"])
def comment_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A reader reports a published comment to the moderators, with a reason."""
    comment = get_object_or_404(
        Comment.objects.select_related("article", "author"),
        pk=pk,
        status=CommentStatus.PUBLISHED,
    )
    form = CommentReportForm(request.POST or None)
    status = 200
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                comment_report(
                    comment=comment,
                    reporter=request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except CommentError as refusal:
                return _notice(
                    request,
                    title="Report not sent",
                    message=refusal.message,
                    comment=comment,
                    status=refusal.status,
                )
            return _notice(
                request,
                title="Thank you: report sent",
                message="A moderator will look at this comment.",
                comment=comment,
                status=200,
            )
        status, error = 400, _first_error(form)
    return render(
        request,
        "comments/report.html",
        {"comment": comment, "form": form, "error": error},
        status=status,
    )
