"""Reads for trending topics: what is rising now, and one topic's coverage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from cupure.cluster.bursts import (
    BASELINE_WINDOWS,
    NAV_TOPICS,
    Mention,
    Trend,
    coverage_series,
    sparkline_svg,
    topics_in_the_news,
)
from cupure.stories.models import Story
from cupure.stories.selectors import story_cards
from cupure.text.topics import TopicResolver

from .models import ArticleTopic, TrendSnapshot
from .services import resolver_load

DEFAULT_WINDOW = timedelta(hours=6)
NAV_TOPIC_COUNT = NAV_TOPICS
# The topic page's sparkline: two days in 4-hour buckets.
SPARKLINE_BUCKETS = 12
SPARKLINE_BUCKET = timedelta(hours=4)
TOPIC_STORY_COUNT = 30


@dataclass(frozen=True)
class TrendingTopic:
    """A trend with the topic's display name and kind."""

    key: str
    name: str
    kind: str
    trend: Trend

    @classmethod
    def from_json(cls, data: dict) -> TrendingTopic:
        """Rebuild what ``to_json`` wrote (the trend snapshot)."""
        trend = Trend(
            topic=data["key"],
            score=data["score"],
            count=data["count"],
            baseline=data["baseline"],
            publishers=data["publishers"],
            stories=data["stories"],
            first_seen=datetime.fromisoformat(data["first_seen"]),
            window=timedelta(seconds=data.get("window_seconds", 6 * 3600)),
            rising=data.get("rising", True),
        )
        return cls(key=data["key"], name=data["topic"], kind=data["kind"], trend=trend)

    def to_json(self) -> dict:
        return {
            "window_seconds": int(self.trend.window.total_seconds()),
            "topic": self.name,
            "key": self.key,
            "kind": self.kind,
            "score": self.trend.score,
            "count": self.trend.count,
            "baseline": self.trend.baseline,
            "publishers": self.trend.publishers,
            "stories": self.trend.stories,
            "first_seen": self.trend.first_seen.isoformat(),
            "rising": self.trend.rising,
            "explanation": self.trend.explain(),
        }


def _mentions(
    resolver: TopicResolver, *, since: datetime, until: datetime, key: str = ""
) -> tuple[list[Mention], dict[str, tuple[str, str]]]:
    rows = ArticleTopic.objects.filter(
        published__gt=since, published__lte=until
    ).values_list(
        "key", "name", "kind", "story_id", "publisher_id", "published", "article_id"
    )
    mentions = []
    names: dict[str, tuple[str, str]] = {}
    for raw_key, name, kind, story_id, publisher_id, published, article_id in rows:
        topic = resolver.canonical(raw_key)
        if key and topic != key:
            continue
        names.setdefault(topic, (resolver.name_of(topic) or name, kind))
        mentions.append(
            Mention(
                topic=topic,
                # An article not yet in a story is a story of its own.
                story=story_id if story_id is not None else -article_id,
                publisher=str(publisher_id),
                published=published,
                article=article_id,
            )
        )
    return mentions, names


def _data_start() -> datetime | None:
    """When the site's topic data begins: windows before it are not "no coverage"."""
    first = ArticleTopic.objects.order_by("published").values_list("published").first()
    return first[0] if first else None


def topic_list_trending(
    *,
    at: datetime | None = None,
    window: timedelta = DEFAULT_WINDOW,
    limit: int = NAV_TOPIC_COUNT,
) -> list[TrendingTopic]:
    """The nav's topics at ``at`` (default now): rising topics first, then the
    window's most covered (``cluster.bursts.topics_in_the_news``)."""
    at = at or timezone.now()
    resolver = resolver_load()
    since = at - window * (BASELINE_WINDOWS + 1)
    mentions, names = _mentions(resolver, since=since, until=at)
    trends = topics_in_the_news(
        mentions, at=at, window=window, limit=limit, data_start=_data_start()
    )
    return [
        TrendingTopic(
            key=t.topic, name=names[t.topic][0], kind=names[t.topic][1], trend=t
        )
        for t in trends
    ]


@dataclass(frozen=True)
class TopicPage:
    key: str
    name: str
    kind: str
    stories: list[Story]
    sparkline: str
    trend: Trend | None
    total_articles: int


def _stored_keys(resolver: TopicResolver, key: str, rows) -> set[str]:
    """The keys stored in ``rows`` that mean topic ``key``: rows keep the key the
    resolver gave at the time, and variants learned since ("trump" before "Donald
    Trump" was known) belong to the same topic now."""
    canonical = resolver.canonical(key)
    return {
        stored
        for stored in rows.values_list("key", flat=True).distinct()
        if resolver.canonical(stored) == canonical
    }


def topic_page(
    *, key: str, at: datetime | None = None, window: timedelta = DEFAULT_WINDOW
) -> TopicPage | None:
    """Everything the topic page shows, or None for a topic nobody named."""
    at = at or timezone.now()
    resolver = resolver_load()
    canonical = resolver.canonical(key)
    rows = ArticleTopic.objects.filter(published__lte=at)
    keys = _stored_keys(resolver, key, rows)
    if not keys:
        return None
    topic_rows = rows.filter(key__in=keys)
    first = topic_rows.order_by("-published").values("name", "kind").first()
    name = resolver.name_of(canonical) or first["name"]
    story_ids = list(
        topic_rows.exclude(story_id=None)
        .order_by("-published")
        .values_list("story_id", flat=True)
    )
    ordered = list(dict.fromkeys(story_ids))[:TOPIC_STORY_COUNT]
    by_id = story_cards().in_bulk(ordered)
    since = at - max(
        window * (BASELINE_WINDOWS + 1), SPARKLINE_BUCKET * SPARKLINE_BUCKETS
    )
    mentions, _ = _mentions(resolver, since=since, until=at, key=canonical)
    series = coverage_series(
        mentions,
        topic=canonical,
        at=at,
        buckets=SPARKLINE_BUCKETS,
        bucket=SPARKLINE_BUCKET,
    )
    # Rising, or covered enough to be in the nav: the reason the nav gives.
    trends = topics_in_the_news(
        mentions, at=at, window=window, limit=1, data_start=_data_start()
    )
    return TopicPage(
        key=canonical,
        name=name,
        kind=first["kind"],
        stories=[by_id[i] for i in ordered if i in by_id],
        sparkline=sparkline_svg(
            series,
            width=240,
            height=40,
            title=f"Stories naming {name} per 4 hours over the last 2 days",
        ),
        trend=trends[0] if trends else None,
        total_articles=topic_rows.count(),
    )


@dataclass(frozen=True)
class TopicSection:
    topic: TrendingTopic
    stories: list[Story]


def topic_sections(
    *, topics: list[TrendingTopic], per_topic: int = 3, exclude: Iterable[int] = ()
) -> list[TopicSection]:
    """A few recent stories for each topic (the home page's per-topic sections);
    a story already on the page (``exclude``) or under an earlier topic is not
    repeated. The stories of every section are loaded as cards in one query."""
    shown: set[int] = set(exclude)
    picks = []
    for topic in topics:
        ids = (
            ArticleTopic.objects.filter(key=topic.key)
            .exclude(story_id=None)
            .exclude(story_id__in=shown)
            .order_by("-published")
            .values_list("story_id", flat=True)[: per_topic * 4]
        )
        picked = list(dict.fromkeys(ids))[:per_topic]
        if picked:
            shown.update(picked)
            picks.append((topic, picked))
    by_id = story_cards().in_bulk([pk for _, picked in picks for pk in picked])
    return [
        TopicSection(topic=topic, stories=[by_id[i] for i in picked if i in by_id])
        for topic, picked in picks
    ]


def article_list_for_topic(*, key: str, limit: int = 50) -> list:
    """The newest original articles naming topic ``key`` (or one of its variants)."""
    from cupure.articles.models import Article

    keys = _stored_keys(resolver_load(), key, ArticleTopic.objects.all())
    return list(
        Article.objects.filter(topics__key__in=keys, duplicate_of__isnull=True)
        .select_related("publisher")
        .defer("raw_html", "paragraphs", "signature")
        .distinct()
        .order_by("-published", "-id")[:limit]
    )


# Pollers and the scheduler refresh the snapshot every few minutes
# (trends.services.SNAPSHOT_REFRESH), off the readers' requests. A snapshot older
# than this means none is running: the page that finds it recomputes it (a site
# whose poller stopped still shows current trends, at the cost of one slow page).
SNAPSHOT_MAX_AGE = timedelta(hours=1)


def topic_list_trending_current(*, now: datetime | None = None) -> list[TrendingTopic]:
    """The nav's trending topics: the latest snapshot (written after each ingest),
    or computed now and saved when there is none recent enough."""
    now = now or timezone.now()
    snapshot = TrendSnapshot.objects.order_by("-computed_at").first()
    if snapshot is not None and now - snapshot.computed_at <= SNAPSHOT_MAX_AGE:
        return [TrendingTopic.from_json(item) for item in snapshot.topics]
    from .services import trends_snapshot_save

    return trends_snapshot_save(now=now)
