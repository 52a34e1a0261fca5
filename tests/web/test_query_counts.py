"""Every page costs a bounded number of queries, however many articles are shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cupure.articles.models import Article
from cupure.articles.services import article_import
from cupure.comments.models import Comment, CommentStatus
from cupure.stories.models import Story

pytestmark = pytest.mark.django_db

# Upper bounds per page. They do not grow with the number of articles: a page that
# starts querying per item fails here long before it is slow in production.
MAX_QUERIES = {
    "home": 16,
    "article": 12,
    # The story, its originals, their copies, related stories, the comments on its
    # articles and the articles that have some, its quotes, its lead picture, the
    # lead's publisher (its display policy).
    "story": 8,
    "topic": 12,
    "publisher": 6,
}

EVENTS = [
    "Ilse Varga opens the Brannock lighthouse to visitors",
    "Northwind Rail orders new sleeper carriages for Kessel",
    "Storm Edda floods Lowbridge as the river Sund rises",
]


def site(articles_per_event: int) -> None:
    now = timezone.now()
    for event, title in enumerate(EVENTS):
        for number in range(articles_per_event):
            article_import(
                record={
                    "url": f"https://pub{number}.example/{event}",
                    "title": f"{title}, report {number}",
                    "published": (
                        now - timedelta(hours=event * 5, minutes=number * 10)
                    ).isoformat(),
                    "source": f"Publisher {number}",
                    "text": f"{title}. Details from the scene, report {number}.\n\n"
                    f"“We saw it happen,” said Ada Lund, witness {number}.\n\n"
                    "More details follow in a second paragraph about the event.",
                }
            )
    # Readers comment on every other article: pages with comments must not query
    # per commented article either.
    for number, article in enumerate(Article.objects.order_by("pk")):
        if number % 2 == 0:
            Comment.objects.create(
                article=article,
                author_name=f"Reader {number}",
                body_markdown="Thanks.",
                body_html="<p>Thanks.</p>",
                status=CommentStatus.PUBLISHED,
                created_at=now,
            )


@pytest.mark.parametrize("articles_per_event", [3, 8])
def test_pages_cost_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries, articles_per_event: int
) -> None:
    site(articles_per_event)
    article = Article.objects.order_by("-published").first()
    story = Story.objects.order_by("-article_count").first()
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "story": story.get_absolute_url(),
        "topic": "/topics/ilse-varga/",
        "publisher": article.publisher.get_absolute_url(),
    }
    for name, url in pages.items():
        with django_assert_max_num_queries(MAX_QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, (name, url)
