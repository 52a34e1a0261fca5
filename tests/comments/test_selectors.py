"""Comment reads: one query per thread, counts without a query per card."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cupure.articles.models import Article
from cupure.articles.selectors import article_list_latest
from cupure.comments.models import Comment, CommentStatus
from cupure.comments.selectors import (
    comment_counts,
    comment_thread,
    comment_threads_for_story,
    with_comment_counts,
)
from tests.comments.conftest import make_article

pytestmark = pytest.mark.django_db


def add(
    article, author, body, *, parent=None, status=CommentStatus.PUBLISHED, minutes_ago=0
) -> Comment:
    return Comment.objects.create(
        article=article,
        author=author,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body_markdown=body,
        body_html=f"<p>{body}</p>",
        status=status,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_thread_is_one_query_and_nests_replies(article, reader, other_reader) -> None:
    """The whole thread, authors included, is read in one query."""
    root = add(article, reader, "root", minutes_ago=10)
    reply = add(article, other_reader, "reply", parent=root, minutes_ago=5)
    add(article, reader, "reply to reply", parent=reply, minutes_ago=1)
    with CaptureQueriesContext(connection) as queries:
        thread = comment_thread(article=article, viewer=AnonymousUser())
        names = [
            thread.roots[0].comment.display_name,
            thread.roots[0].replies[0].comment.display_name,
        ]
        urls = [thread.roots[0].comment.get_absolute_url()]
    assert len(queries) == 1
    assert names == ["mara", "ole"]
    assert urls[0].endswith(f"#comment-{root.pk}")
    assert thread.count == 3
    assert (
        thread.roots[0].replies[0].replies[0].comment.body_markdown == "reply to reply"
    )


def test_visibility_for_viewers(article, reader, other_reader) -> None:
    """Others see published and [deleted]; authors also see their pending ones;
    rejected comments and their replies are seen by nobody."""
    add(article, reader, "public")
    add(article, reader, "gone", status=CommentStatus.DELETED)
    add(article, reader, "mine, pending", status=CommentStatus.PENDING)
    rejected = add(article, other_reader, "rejected", status=CommentStatus.REJECTED)
    add(article, reader, "reply to rejected", parent=rejected)

    def bodies(viewer) -> set[str]:
        return {
            n.comment.body_markdown
            for n in comment_thread(article=article, viewer=viewer).roots
        }

    assert bodies(AnonymousUser()) == {"public", "gone"}
    assert bodies(other_reader) == {"public", "gone"}
    assert bodies(reader) == {"public", "gone", "mine, pending"}
    assert comment_thread(article=article).count == 1  # shown and published only


def test_orders(article, reader) -> None:
    early = add(article, reader, "early", minutes_ago=30)
    late = add(article, reader, "late", minutes_ago=1)
    busy = add(article, reader, "busy", minutes_ago=20)
    for number in range(2):
        add(article, reader, f"r{number}", parent=busy, minutes_ago=10)

    def order(name: str) -> list[int]:
        return [n.comment.pk for n in comment_thread(article=article, order=name).roots]

    assert order("oldest") == [early.pk, busy.pk, late.pk]
    assert order("newest") == [late.pk, busy.pk, early.pk]
    assert order("top") == [busy.pk, late.pk, early.pk]
    assert order("bogus") == order("oldest")


def test_edit_flag_follows_the_window(article, reader, other_reader, settings) -> None:
    settings.CUPURE_COMMENTS_EDIT_MINUTES = 15
    add(article, reader, "fresh", minutes_ago=5)
    add(article, reader, "old", minutes_ago=20)
    nodes = {
        n.comment.body_markdown: n
        for n in comment_thread(article=article, viewer=reader).roots
    }
    assert nodes["fresh"].can_edit and not nodes["old"].can_edit
    others = comment_thread(article=article, viewer=other_reader).roots
    assert not any(n.can_edit or n.is_own for n in others)


def test_counts_for_cards_in_the_same_query(article, reader) -> None:
    """Home-page cards carry comment_count without one query per card."""
    second = make_article(2)
    make_article(3)
    add(article, reader, "a")
    add(article, reader, "b")
    add(article, reader, "held", status=CommentStatus.PENDING)
    add(second, reader, "c")
    with CaptureQueriesContext(connection) as queries:
        counts = {a.pk: a.comment_count for a in article_list_latest()}
    assert len(queries) == 1
    assert counts[article.pk] == 2
    assert counts[second.pk] == 1
    assert sorted(counts.values()) == [0, 1, 2]
    annotated = with_comment_counts(Article.objects.filter(pk=article.pk)).get()
    assert annotated.comment_count == 2
    assert comment_counts(article_ids=[article.pk, second.pk]) == {
        article.pk: 2,
        second.pk: 1,
    }


def test_story_threads_group_by_article(article, reader) -> None:
    """A story page reads the comments of all its articles in one query."""
    second = make_article(2)
    quiet = make_article(3)
    for number in range(7):
        add(article, reader, f"on first {number}", minutes_ago=number)
    add(second, reader, "on second")
    articles = list(
        Article.objects.filter(pk__in=[article.pk, second.pk, quiet.pk]).order_by("pk")
    )
    with CaptureQueriesContext(connection) as queries:
        threads = comment_threads_for_story(articles=articles, per_article=5)
    assert len(queries) == 1
    assert [t.article.pk for t in threads] == [article.pk, second.pk]
    assert len(threads[0].roots) == 5
    assert threads[0].count == 7
    assert threads[0].roots[0].comment.body_markdown == "on first 0"


def test_story_threads_from_a_queryset_load_only_commented_articles(
    article, reader
) -> None:
    """Given the story's articles as a queryset, the comments are read first and
    only the articles that have some are loaded, without their heavy columns; the
    threads keep the queryset's order, and what the story page shows of an article
    costs no further query."""
    second = make_article(2)
    make_article(3)  # no comments: never loaded
    add(article, reader, "on first")
    add(second, reader, "on second")
    add(second, reader, "held", status=CommentStatus.PENDING)
    articles = Article.objects.filter(title__startswith="Harbour").order_by("-pk")
    with CaptureQueriesContext(connection) as queries:
        threads = comment_threads_for_story(articles=articles)
        shown = [
            (t.article.get_absolute_url(), t.article.title, t.article.publisher.name)
            for t in threads
        ]
    assert len(queries) == 2
    assert [t.article.pk for t in threads] == [second.pk, article.pk]
    assert [t.count for t in threads] == [1, 1]
    assert shown[1] == (article.get_absolute_url(), article.title, "The Test Gazette")
    assert {"raw_html", "paragraphs"} <= threads[0].article.get_deferred_fields()

    Comment.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert comment_threads_for_story(articles=articles) == []
    assert len(queries) == 1
