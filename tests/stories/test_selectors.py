"""Story reads for pages: the right stories, in few queries, without heavy columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cupure.articles.models import Article
from cupure.sources.services import publisher_get_or_create
from cupure.stories.models import Story
from cupure.stories.selectors import (
    story_coverage,
    story_list_related,
    story_list_top,
    story_rank_score,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# Columns a list of stories or articles never shows (see the selectors).
HEAVY = {"raw_html", "paragraphs", "signature", "external_id"}


def make_article(number: int, *, story: Story | None = None, **fields) -> Article:
    publisher = publisher_get_or_create(name=f"Publisher {number % 4}")
    return Article.objects.create(
        publisher=publisher,
        url=f"https://pub{number}.example/a",
        canonical_url=f"https://pub{number}.example/a",
        title=f"Article {number}",
        slug=f"article-{number}",
        published=fields.pop("published", NOW - timedelta(hours=number)),
        summary=f"Summary {number}",
        lead_image_src=f"https://pub{number}.example/a.jpg",
        paragraphs=["A paragraph."],
        raw_html="<html>" + "x" * 1000 + "</html>",
        signature=[1, 2, 3],
        story=story,
        **fields,
    )


def make_story(number: int, *, articles: int, publishers: int, hours_ago: float):
    published = NOW - timedelta(hours=hours_ago)
    story = Story.objects.create(
        id=number,
        title=f"Story {number}",
        slug=f"story-{number}",
        first_published=published,
        last_published=published,
        article_count=articles,
        publisher_count=publishers,
        related=[[number + 1, 0.5]],
    )
    story.lead_article = make_article(number * 10, story=story, published=published)
    story.save(update_fields=["lead_article"])
    return story


def test_top_stories_rank_every_candidate_and_load_only_the_winners() -> None:
    """The ranking reads the score's columns for all candidates; only the top ones
    are loaded, as cards: two queries, whatever is shown of them."""
    stories = [
        make_story(
            number,
            articles=1 + (number * 7) % 9,
            publishers=1 + (number * 5) % 4,
            hours_ago=(number * 11) % 40,
        )
        for number in range(1, 13)
    ]
    make_story(13, articles=50, publishers=20, hours_ago=100)  # too old to rank
    expected = sorted(
        stories,
        key=lambda s: (
            -story_rank_score(
                article_count=s.article_count,
                publisher_count=s.publisher_count,
                last_published=s.last_published,
                now=NOW,
            ),
            -s.pk,
        ),
    )[:5]

    with CaptureQueriesContext(connection) as queries:
        top = story_list_top(now=NOW, limit=5)
        shown = [
            (
                s.get_absolute_url(),
                s.title,
                s.article_count,
                s.publisher_count,
                s.last_published,
                s.lead_article.summary,
                s.lead_article.lead_image_src,
            )
            for s in top
        ]
    assert len(queries) == 2
    assert [s.pk for s in top] == [s.pk for s in expected]
    assert shown[0][1] == expected[0].title
    assert top[0].rank_score == story_rank_score(
        article_count=expected[0].article_count,
        publisher_count=expected[0].publisher_count,
        last_published=expected[0].last_published,
        now=NOW,
    )
    assert top[0].lead_article.get_deferred_fields() >= HEAVY
    assert "related" in top[0].get_deferred_fields()


def test_no_candidates_no_card_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert story_list_top(now=NOW) == []
    assert len(queries) == 1


def test_coverage_attaches_copies_in_two_queries() -> None:
    """Originals oldest first, each with its copies (oldest first, wherever their
    story is) as a list; what the story page shows costs no further query."""
    story = make_story(1, articles=5, publishers=3, hours_ago=1)
    first = story.lead_article
    second = make_article(2, story=story, published=NOW - timedelta(minutes=30))
    late_copy = make_article(
        3, story=story, duplicate_of=first, published=NOW - timedelta(minutes=5)
    )
    early_copy = make_article(
        4, story=None, duplicate_of=first, published=NOW - timedelta(minutes=50)
    )
    make_article(5, duplicate_of=make_article(6))  # another story's copy

    with CaptureQueriesContext(connection) as queries:
        coverage = story_coverage(story=story)
        shown = [
            (
                a.get_absolute_url(),
                a.publisher.get_absolute_url(),
                a.publisher.name,
                a.title,
                a.summary,
                a.published,
                [(c.canonical_url, c.publisher.name) for c in a.copy_list],
            )
            for a in coverage.articles
        ]
    assert len(queries) == 2
    assert [a.pk for a in coverage.articles] == [first.pk, second.pk]
    assert [c.pk for c in coverage.articles[0].copy_list] == [
        early_copy.pk,
        late_copy.pk,
    ]
    assert coverage.articles[1].copy_list == []
    assert shown[0][6][0] == (early_copy.canonical_url, early_copy.publisher.name)
    assert coverage.publishers == sorted(
        {a.publisher.name for a in (first, second, late_copy, early_copy)}
    )
    assert coverage.articles[0].get_deferred_fields() >= HEAVY
    assert coverage.articles[0].copy_list[0].get_deferred_fields() >= HEAVY


def test_coverage_of_an_empty_story_is_one_query() -> None:
    story = Story.objects.create(
        id=9, title="Empty", first_published=NOW, last_published=NOW
    )
    with CaptureQueriesContext(connection) as queries:
        coverage = story_coverage(story=story)
    assert coverage.articles == [] and coverage.publishers == []
    assert len(queries) == 1


def test_related_stories_in_their_chosen_order_as_links() -> None:
    story = make_story(1, articles=2, publishers=2, hours_ago=1)
    others = [make_story(n, articles=1, publishers=1, hours_ago=n) for n in (2, 3, 4)]
    story.related = [[4, 0.9], [1, 0.8], [99, 0.7], [2, 0.6]]
    with CaptureQueriesContext(connection) as queries:
        related = story_list_related(story=story)
        shown = [(s.get_absolute_url(), s.title, s.article_count) for s in related]
    assert len(queries) == 1
    assert [s.pk for s in related] == [4, 2]
    assert shown[0][1] == others[2].title
    assert "related" in related[0].get_deferred_fields()
