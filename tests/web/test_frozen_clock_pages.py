"""The pages at a frozen moment (time-machine): the nav's trending topics, the
breaking-news strip and "x minutes ago" all render, and their text is asserted.

Issue #23: page tests used fixed dates against the real clock, so at request time
nothing trended, nothing was breaking and every date read "3 days ago"; the nav's
Python repr went unseen. Here the clock stands at NOW while articles are stored and
pages rendered, so every part that depends on "now" is on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from cupure.articles.models import Article
from tests.trends.test_selectors import BACKGROUND, STRIKE, load

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NBSP = "\u00a0"
TREND = (
    "Rising: 4 reports on 1 story from 4 publishers in the last 6 hours, none "
    "before; first seen 25 Nov 09:00 UTC"
)
HEADLINE = "Dockers strike as Ilse Varga refuses to meet union"


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    """The clock stands at NOW (no ticking) with the strike coverage stored: four
    publishers between 09:00 and 10:30, a ferry notice at 11:55, and background
    topics three days before."""
    with time_machine.travel(NOW, tick=False) as traveller:
        load(BACKGROUND, NOW - timedelta(days=3), timedelta(hours=9))
        load(STRIKE, NOW - timedelta(hours=3), timedelta(minutes=30))
        load(
            [("Meridian Wire", "Kessel ferry keeps its winter timetable")],
            NOW - timedelta(minutes=5),
            timedelta(0),
        )
        yield traveller


def test_home_shows_the_trend_the_breaking_story_and_how_long_ago(
    client: Client, frozen: time_machine.Traveller
) -> None:
    html = client.get("/").content.decode()
    assert (
        f'<a class="topic-link" href="/topics/ilse-varga/" title="{TREND}">'
        "Ilse Varga</a>"
    ) in html
    assert '<h2 id="breaking-heading" class="breaking-label">Breaking news</h2>' in html
    assert re.search(
        rf'<li><a href="/stories/\d+/[a-z-]+/">{HEADLINE}</a> '
        r'<span class="breaking-count">4 articles from 4 publishers</span></li>',
        html,
    )
    # Cards say how long ago, in humanize's words (with non-breaking spaces).
    for moment, words in [
        ("11:55", f"5{NBSP}minutes ago"),
        ("10:30", "an hour ago"),
        ("10:00", f"2{NBSP}hours ago"),
        ("09:00", f"3{NBSP}hours ago"),
    ]:
        assert f'<time datetime="2026-11-25T{moment}:00+00:00">{words}</time>' in html
    assert "4 articles from 4 publishers · updated" in html


def test_topic_story_and_article_pages_at_the_same_moment(
    client: Client, frozen: time_machine.Traveller
) -> None:
    topic = client.get("/topics/ilse-varga/").content.decode()
    assert f'<p class="trend-explain">{TREND}.</p>' in topic

    article = Article.objects.get(title=HEADLINE)
    assert article.story is not None
    story = client.get(article.story.get_absolute_url()).content.decode()
    assert f"<h1>{HEADLINE}</h1>" in story
    assert story.count("Ilse Varga") >= 4
    assert f'title="{TREND}"' in story  # the nav, on every page

    ferry = Article.objects.get(title="Kessel ferry keeps its winter timetable")
    page = client.get(ferry.get_absolute_url()).content.decode()
    assert "Breaking news" in page
    assert "25 November 2026, 11:55" in page


def test_a_week_later_nothing_trends_or_breaks(
    client: Client, frozen: time_machine.Traveller
) -> None:
    """The other side: once the clock moves on, the nav and the strip are empty and
    the cards count days."""
    frozen.shift(timedelta(days=7))
    cache.clear()  # the site chrome is cached for a minute
    html = client.get("/").content.decode()
    assert 'class="topic-link"' not in html
    assert "Breaking news" not in html
    assert f'<time datetime="2026-11-25T11:55:00+00:00">1{NBSP}week ago</time>' in html
    assert f">1{NBSP}week, 3{NBSP}days ago</time>" in html
