"""Reads for stories: top stories, breaking news, one story's coverage."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from cupure.articles.models import Article
from cupure.cluster.breaking import BREAKING_WINDOW, Coverage, breaking_score

from .models import Story

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


def _story_cards():
    return Story.objects.select_related(
        "lead_article", "lead_article__publisher"
    ).defer(
        "lead_article__raw_html", "lead_article__paragraphs", "lead_article__signature"
    )


def story_list_top(
    *, now: datetime | None = None, limit: int = TOP_STORY_COUNT
) -> list[Story]:
    """The front page's top stories, best first, each with ``rank_score`` set."""
    now = now or timezone.now()
    candidates = list(
        _story_cards()
        .filter(last_published__gte=now - TOP_STORY_MAX_AGE, last_published__lte=now)
        .order_by("-last_published")[:TOP_STORY_CANDIDATES]
    )
    for story in candidates:
        story.rank_score = story_rank_score(
            article_count=story.article_count,
            publisher_count=story.publisher_count,
            last_published=story.last_published,
            now=now,
        )
    candidates.sort(key=lambda s: (-s.rank_score, -s.pk))
    return candidates[:limit]


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
        _story_cards()
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
    """One story's articles: originals by time, each with its copies."""

    story: Story
    articles: list[Article]
    publishers: list[str]


def story_coverage(*, story: Story) -> StoryCoverage:
    """The story's original articles oldest first, copies attached to each."""
    copies = Prefetch(
        "copies",
        queryset=Article.objects.copies()
        .select_related("publisher")
        .defer("raw_html", "paragraphs", "signature")
        .order_by("published"),
    )
    articles = list(
        story.articles.filter(duplicate_of__isnull=True)
        .select_related("publisher")
        .defer("raw_html", "paragraphs", "signature")
        .prefetch_related(copies)
        .order_by("published", "id")
    )
    publishers = sorted(
        {a.publisher.name for a in articles}
        | {c.publisher.name for a in articles for c in a.copies.all()}
    )
    return StoryCoverage(story=story, articles=articles, publishers=publishers)


def story_list_related(*, story: Story) -> list[Story]:
    """The stories chosen as related by content when ``story`` last grew."""
    ids = [int(pair[0]) for pair in story.related if int(pair[0]) != story.pk]
    by_id = {s.pk: s for s in _story_cards().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]
