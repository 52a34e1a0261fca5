"""The demo publishers go through the real pipeline: every article lands once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cupure.articles.models import Article
from cupure.cli import ingest_demo_feeds
from cupure.demo.server import DemoPublishers
from cupure.sources.models import Entry, Feed

pytestmark = pytest.mark.django_db

# The demo promises at least this many articles (issue #2).
DEMO_MIN_ARTICLES = 40


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoPublishers]:
    with DemoPublishers(host="127.0.0.1", port=0) as publishers:
        yield publishers


def test_demo_ingests_every_article_once(
    demo: DemoPublishers, allow_loopback: None
) -> None:
    ingest_demo_feeds(demo)

    articles = list(Article.objects.select_related("publisher"))
    assert len(articles) >= DEMO_MIN_ARTICLES
    assert not Entry.objects.exclude(status=Entry.Status.INGESTED).exists()
    assert set(Feed.objects.values_list("status", flat=True)) == {Feed.Status.OK}
    assert len({a.publisher_id for a in articles}) >= 4
    # The sample publishers are ours: shown in full (issue #18).
    assert {a.publisher.display_policy for a in articles} == {"full"}
    for article in articles:
        assert article.title, article.url
        assert len(article.paragraphs) >= 3, article.url
        assert article.lead_image_src, article.url
        assert article.lead_image_caption, article.url
        assert article.lead_image_caption not in article.text, article.url
    assert sum(article.figures.exists() for article in articles) >= 5

    ingest_demo_feeds(demo)
    assert Article.objects.count() == len(articles)
    assert Entry.objects.count() == len(
        {(e.feed_id, e.guid) for e in Entry.objects.all()}
    )
