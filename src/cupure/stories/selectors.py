"""Reads for stories: top stories, breaking news, one story's coverage."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from cupure.articles.models import Article
from cupure.articles.selectors import article_cards
from cupure.cluster.breaking import BREAKING_WINDOW, Coverage, breaking_score

from .models import Story, StoryAlias

# --- Top stories --------------------------------------------------------------------
# A story's place on the front page is coverage x diversity x freshness:
# - coverage grows with the log of its articles: the tenth article adds less news than
#   the second;
# - every distinct publisher adds PUBLISHER_WEIGHT: five newsrooms on one event say
#   more about its importance than one newsroom writing five updates;
# - freshness halves every TOP_STORY_HALF_LIFE: yesterday's big story yields to
#   today's.
PUBLISHER_WEIGHT = 1.5
TOP_STORY_HALF_LIFE = timedelta(hours=8)
# Stories quiet for longer than this are not front-page candidates at all.
TOP_STORY_MAX_AGE = timedelta(hours=72)
# How many recent stories are scored to pick the top ones (bounded work per page).
TOP_STORY_CANDIDATES = 300
TOP_STORY_COUNT = 8
BREAKING_COUNT = 3


def story_rank_score(
    *, article_count: int, publisher_count: int, last_published: datetime, now: datetime
) -> float:
    """The front-page score of a story (see the constants above for the why)."""
    coverage = math.log2(1 + article_count)
    diversity = PUBLISHER_WEIGHT * max(publisher_count - 1, 0)
    age = max((now - last_published).total_seconds(), 0.0)
    freshness = 0.5 ** (age / TOP_STORY_HALF_LIFE.total_seconds())
    return (coverage + diversity) * freshness


# What a link to a story shows (breaking strip, related stories) and what ranking
# reads. Leaving out the rest matters per row: ``related`` is JSON decoded for every
# story loaded, and every timestamp is parsed from text on SQLite.
STORY_LINK_FIELDS = (
    "id",
    "title",
    "slug",
    "first_published",
    "last_published",
    "article_count",
    "publisher_count",
)
# What a story card (web/_cards.html) shows of its lead article: the full row
# carries the raw HTML, the body and fingerprint JSON, all decoded for nothing.
LEAD_CARD_FIELDS = (
    "lead_article",
    "lead_article__slug",
    "lead_article__summary",
    "lead_article__lead_image_src",
    # What the lead may show (cupure.rights.selectors.article_display).
    "lead_article__publisher",
    "lead_article__robots",
    "lead_article__publisher__display_policy",
)


def _story_links():
    return Story.objects.only(*STORY_LINK_FIELDS)


def story_cards():
    """Stories as cards (``story_cards`` in web/_cards.html): STORY_LINK_FIELDS and
    the lead article's LEAD_CARD_FIELDS."""
    return Story.objects.select_related("lead_article__publisher").only(
        *STORY_LINK_FIELDS, *LEAD_CARD_FIELDS
    )


def story_list_top(
    *, now: datetime | None = None, limit: int = TOP_STORY_COUNT
) -> list[Story]:
    """The front page's top stories, best first, each with ``rank_score`` set.

    The candidates are ranked on the three columns the score needs, read as tuples;
    only the winners are loaded as cards. Building the hundreds of candidates as
    story, lead-article and publisher objects was over half of the home page's
    render time at 100k articles.
    """
    now = now or timezone.now()
    candidates = (
        Story.objects.filter(
            last_published__gte=now - TOP_STORY_MAX_AGE, last_published__lte=now
        )
        .order_by("-last_published")
        .values_list("pk", "article_count", "publisher_count", "last_published")[
            :TOP_STORY_CANDIDATES
        ]
    )
    scores = {
        pk: story_rank_score(
            article_count=article_count,
            publisher_count=publisher_count,
            last_published=last_published,
            now=now,
        )
        for pk, article_count, publisher_count, last_published in candidates
    }
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    by_id = story_cards().in_bulk(best)
    top = []
    for pk in best:
        # A story deleted between the two reads is simply not shown.
        if pk in by_id:
            story = by_id[pk]
            story.rank_score = scores[pk]
            top.append(story)
    return top


def story_list_breaking(
    *, now: datetime | None = None, limit: int = BREAKING_COUNT
) -> list[Story]:
    """Stories whose coverage is bursting now (rule: ``cupure.cluster.breaking``)."""
    now = now or timezone.now()
    window_start = now - BREAKING_WINDOW
    recent = (
        Article.objects.filter(
            story__isnull=False, published__gt=window_start, published__lte=now
        )
        .values("story")
        .annotate(
            articles=Count("id"),
            publishers=Count("publisher", distinct=True),
        )
        .filter(articles__gte=2)
    )
    counts = {row["story"]: row for row in recent}
    if not counts:
        return []
    stories = (
        _story_links()
        .filter(pk__in=counts)
        .annotate(
            earlier=Count("articles", filter=Q(articles__published__lte=window_start))
        )
    )
    scored = []
    for story in stories:
        row = counts[story.pk]
        score = breaking_score(
            Coverage(
                recent_articles=row["articles"],
                recent_publishers=row["publishers"],
                earlier_articles=story.earlier,
                earlier_span=max(window_start - story.first_published, timedelta(0)),
            )
        )
        if score > 0:
            story.breaking_score = score
            scored.append(story)
    scored.sort(key=lambda s: (-s.breaking_score, -s.pk))
    return scored[:limit]


@dataclass(frozen=True)
class StoryCoverage:
    """One story's articles: originals by time, each with its copies as
    ``copy_list`` (oldest first)."""

    story: Story
    articles: list[Article]
    publishers: list[str]


def story_coverage(*, story: Story) -> StoryCoverage:
    """The story's original articles oldest first, copies attached to each as a
    list (as list items: ``article_cards``).

    The copies are grouped here rather than with ``prefetch_related``: on the story
    page the prefetch machinery, and the queryset that ``copies.all`` builds for
    every article in the template, cost a fifth of the render of a big story.
    """
    articles = list(
        article_cards(story.articles.filter(duplicate_of__isnull=True)).order_by(
            "published", "id"
        )
    )
    by_id = {article.pk: article for article in articles}
    for article in articles:
        article.copy_list = []
    if by_id:
        copies = article_cards(
            Article.objects.copies().filter(duplicate_of_id__in=list(by_id))
        ).order_by("published", "id")
        for copy in copies:
            by_id[copy.duplicate_of_id].copy_list.append(copy)
    publishers = sorted(
        {a.publisher.name for a in articles}
        | {c.publisher.name for a in articles for c in a.copy_list}
    )
    return StoryCoverage(story=story, articles=articles, publishers=publishers)


def story_list_related(*, story: Story) -> list[Story]:
    """The stories chosen as related by content when ``story`` last grew."""
    ids = [int(pair[0]) for pair in story.related if int(pair[0]) != story.pk]
    by_id = _story_links().in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def story_merged_into(*, story_id: int) -> Story | None:
    """The story that absorbed the merged story ``story_id`` (its URL redirects
    there), or None when ``story_id`` was never merged."""
    alias = StoryAlias.objects.select_related("story").filter(pk=story_id).first()
    return alias.story if alias is not None else None
