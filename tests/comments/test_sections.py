"""``comments_section(article)`` and ``story_comments(story)``: a page calls them
and gets a whole section, rendered with the page's request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from cupure.comments.models import Comment, CommentStatus
from cupure.stories.models import Story

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = context.pop("user", AnonymousUser())
    return engines["jinja2"].from_string(source).render(context, request)


def test_story_comments_lists_comments_per_article(article, reader) -> None:
    story = Story.objects.create(
        id=77,
        title="Bridge",
        first_published=article.published,
        last_published=article.published,
    )
    article.story = story
    article.save(update_fields=["story"])
    Comment.objects.create(
        article=article,
        author=reader,
        body_markdown="Nice",
        body_html="<p>Nice one</p>",
        status=CommentStatus.PUBLISHED,
        created_at=timezone.now(),
    )
    html = render("{{ story_comments(story) }}", story=story)
    assert "What readers say" in html
    assert "Nice one" in html
    assert f"{article.get_absolute_url()}#comments" in html


def test_story_comments_says_when_there_are_none(article) -> None:
    story = Story.objects.create(
        id=78,
        title="Quiet",
        first_published=article.published,
        last_published=article.published,
    )
    assert "No comments on this story yet" in render(
        "{{ story_comments(story) }}", story=story
    )


def test_comments_section_for_a_signed_in_reader(article, reader) -> None:
    html = render("{{ comments_section(article) }}", article=article, user=reader)
    assert 'id="form-new"' in html
    assert "No comments yet." in html
