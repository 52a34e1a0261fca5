"""Trending topics computed from stored articles; topic pages explain themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from cupure.articles.services import article_import
from cupure.trends.selectors import topic_list_trending, topic_page

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

STRIKE = [
    ("Harbour Herald", "Dockers strike as Ilse Varga refuses to meet union"),
    ("Evening Post", "Union walks out after talks with Ilse Varga fail"),
    ("Northshore Daily", "Ships stuck at sea while Ilse Varga stands firm"),
    ("The Lantern", "Second day of the strike: what Ilse Varga said"),
]
BACKGROUND = [
    ("Harbour Herald", "Marrowdale Council debates parking fees"),
    ("Evening Post", "Sund Film Festival announces jury"),
    ("The Lantern", "Kessel Zoo welcomes snow leopard cubs"),
]


def load(items: list[tuple[str, str]], start: datetime, step: timedelta) -> None:
    for number, (source, title) in enumerate(items):
        article_import(
            record={
                "url": f"https://{source.replace(' ', '').lower()}.example/"
                f"{start:%Y%m%d%H%M}-{number}",
                "title": title,
                "published": (start + number * step).isoformat(),
                "source": source,
                "text": f"{title}. The story continues with details from the scene.",
            }
        )


def test_a_topic_covered_by_many_publishers_now_trends() -> None:
    """Four publishers naming Ilse Varga in the last hours make it trend;
    background topics named once do not."""
    load(BACKGROUND, NOW - timedelta(days=3), timedelta(hours=9))
    load(STRIKE, NOW - timedelta(hours=3), timedelta(minutes=30))

    trends = topic_list_trending(at=NOW)

    names = [t.name for t in trends]
    assert "Ilse Varga" in names
    port = trends[names.index("Ilse Varga")]
    assert port.trend.publishers == 4
    assert port.trend.baseline == 0
    assert "from 4 publishers" in port.trend.explain()
    assert not {"Marrowdale Council", "Kessel Zoo"} & set(names)
    # A week later, nothing is new.
    assert topic_list_trending(at=NOW + timedelta(days=7)) == []


def test_topic_page_explains_and_lists_stories(client: Client) -> None:
    load(STRIKE, NOW - timedelta(hours=3), timedelta(minutes=30))

    page = topic_page(key="ilse-varga", at=NOW)

    assert page is not None
    assert page.name == "Ilse Varga"
    assert page.total_articles == 4
    assert page.stories
    assert page.sparkline.startswith("<svg")
    response = client.get("/topics/ilse-varga/")
    assert response.status_code == 200
    assert "Ilse Varga" in response.content.decode()
    assert client.get("/topics/nobody-named-this/").status_code == 404


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_topic_feed_lists_the_articles_naming_it(client: Client, fmt: str) -> None:
    """Each topic has a feed in every format; the topic page links to it."""
    import json

    import feedparser

    load(STRIKE, NOW - timedelta(hours=3), timedelta(minutes=30))

    response = client.get(f"/feeds/topics/ilse-varga.{fmt}")

    assert response.status_code == 200
    if fmt == "json":
        items = json.loads(response.content)["items"]
        titles = [item["title"] for item in items]
    else:
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.bozo_exception
        titles = [entry.title for entry in parsed.entries]
    assert sorted(titles) == sorted(title for _, title in STRIKE)
    page = client.get("/topics/ilse-varga/").content.decode()
    assert f'href="/feeds/topics/ilse-varga.{fmt}"' in page
    assert client.get(f"/feeds/topics/nobody-named-this.{fmt}").status_code == 404


def test_pages_read_the_trend_snapshot_written_after_ingest() -> None:
    """The nav reads the snapshot saved after ingest (one row, no recomputation);
    a snapshot too old is recomputed and saved again."""
    from cupure.trends.models import TrendSnapshot
    from cupure.trends.selectors import SNAPSHOT_MAX_AGE, topic_list_trending_current
    from cupure.trends.services import trends_snapshot_save

    load(STRIKE, NOW - timedelta(hours=3), timedelta(minutes=30))
    saved = trends_snapshot_save(now=NOW)
    assert [t.name for t in saved] == ["Ilse Varga"]

    current = topic_list_trending_current(now=NOW + timedelta(minutes=1))
    assert [(t.key, t.name, t.trend.explain()) for t in current] == [
        (t.key, t.name, t.trend.explain()) for t in saved
    ]
    assert TrendSnapshot.objects.count() == 1

    later = NOW + SNAPSHOT_MAX_AGE + timedelta(days=7)
    assert topic_list_trending_current(now=later) == []
    assert TrendSnapshot.objects.count() == 2


def test_polls_recompute_trends_at_most_every_few_minutes() -> None:
    from cupure.trends.models import TrendSnapshot
    from cupure.trends.services import SNAPSHOT_REFRESH, trends_snapshot_refresh

    load(STRIKE, NOW - timedelta(hours=3), timedelta(minutes=30))
    trends_snapshot_refresh(now=NOW)
    trends_snapshot_refresh(now=NOW + timedelta(seconds=30))
    assert TrendSnapshot.objects.count() == 1
    trends_snapshot_refresh(now=NOW + SNAPSHOT_REFRESH + timedelta(seconds=1))
    assert TrendSnapshot.objects.count() == 2


def test_nav_and_topic_page_show_why_a_topic_trends_as_text(client: Client) -> None:
    """The nav's tooltip and the topic page print the trend's reason as a sentence,
    not the method that writes it (issue #15: "<bound method Trend.explain ...>")."""
    from django.utils import timezone
    from django.utils.html import escape

    now = timezone.now()
    load(STRIKE, now - timedelta(hours=3), timedelta(minutes=30))
    explanation = topic_list_trending(at=now)[0].trend.explain()
    assert explanation.startswith("Rising: 4 reports on ")

    home = client.get("/").content.decode()
    topic = client.get("/topics/ilse-varga/").content.decode()

    assert f'title="{escape(explanation)}">Ilse Varga</a>' in home
    assert f'<p class="trend-explain">{escape(explanation)}.</p>' in topic
    for page in (home, topic):
        assert "bound method" not in page
