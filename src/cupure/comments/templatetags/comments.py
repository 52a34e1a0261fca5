"""``{% load comments %}``: the comments section of an article, and of a story."""

from __future__ import annotations

from django import template
from django.conf import settings

from cupure.articles.models import Article
from cupure.comments.forms import HONEYPOT_FIELD, form_timestamp
from cupure.comments.selectors import ORDERS, comment_thread, comment_threads_for_story
from cupure.stories.models import Story

register = template.Library()


def _common(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "can_comment": signed_in or settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS,
        "show_name": not signed_in,
        "shown": form_timestamp(),
        "honeypot_field": HONEYPOT_FIELD,
        "max_depth": settings.CUPURE_COMMENTS_MAX_DEPTH,
    }


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context: template.Context, article: Article) -> dict:
    """The article's thread, ordering links and the comment form.

    The order comes from the ``?comments=`` query parameter (oldest, newest, top).
    """
    common = _common(context)
    request = common["request"]
    order = request.GET.get("comments", "") if request is not None else ""
    thread = comment_thread(article=article, viewer=common["user"], order=order)
    return {
        **common,
        "article": article,
        "thread": thread,
        "orders": ORDERS.items(),
    }


@register.inclusion_tag("comments/story_section.html", takes_context=True)
def story_comments(context: template.Context, story: Story) -> dict:
    """What readers said about the story's articles, newest first, per article."""
    common = _common(context)
    articles = story.articles.select_related("publisher").order_by("published")
    threads = comment_threads_for_story(articles=articles, viewer=common["user"])
    return {**common, "story": story, "threads": threads}
