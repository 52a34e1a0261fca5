"""The comments section of an article, and of a story, as the pages call them:
``{{ comments_section(article) }}`` and ``{{ story_comments(story) }}``.

Each reads what it shows (the thread, the viewer's rights) and renders its own
template with the page's request and CSRF field.
"""

from __future__ import annotations

import jinja2
from django.conf import settings
from markupsafe import Markup

from cupure.articles.models import Article
from cupure.comments.forms import HONEYPOT_FIELD, form_timestamp
from cupure.comments.selectors import ORDERS, comment_thread, comment_threads_for_story
from cupure.stories.models import Story


def _common(context: jinja2.runtime.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "request": request,
        "user": user,
        "csrf_input": context.get("csrf_input", ""),
        "can_comment": signed_in or settings.CUPURE_COMMENTS_ALLOW_ANONYMOUS,
        "show_name": not signed_in,
        "shown": form_timestamp(),
        "honeypot_field": HONEYPOT_FIELD,
    }


def _render(context: jinja2.runtime.Context, name: str, values: dict) -> Markup:
    return Markup(context.environment.get_template(name).render(values))  # noqa: S704


@jinja2.pass_context
def comments_section(context: jinja2.runtime.Context, article: Article) -> Markup:
    """The article's thread, ordering links and the comment form.

    The order comes from the ``?comments=`` query parameter (oldest, newest, top).
    """
    common = _common(context)
    request = common["request"]
    order = request.GET.get("comments", "") if request is not None else ""
    thread = comment_thread(article=article, viewer=common["user"], order=order)
    return _render(
        context,
        "comments/section.html",
        {**common, "article": article, "thread": thread, "orders": ORDERS.items()},
    )


@jinja2.pass_context
def story_comments(context: jinja2.runtime.Context, story: Story) -> Markup:
    """What readers said about the story's articles, newest first, per article."""
    common = _common(context)
    articles = story.articles.select_related("publisher").order_by("published")
    threads = comment_threads_for_story(articles=articles, viewer=common["user"])
    return _render(
        context,
        "comments/story_section.html",
        {**common, "story": story, "threads": threads},
    )
