"""Articles whose images live on a test publisher, and their fetching."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from cupure.articles.models import Article, Figure
from cupure.articles.services import article_import
from cupure.images.models import ArticleImage
from cupure.images.services import images_schedule
from cupure.sources.services import publisher_get_or_create

_numbers = itertools.count(1)


def article_with_images(
    lead: str = "",
    figures: tuple[str, ...] = (),
    text: str = "The old harbour bridge reopened.\n\nCars crossed at dawn.",
) -> Article:
    """A stored article whose lead image is ``lead`` and figures ``figures`` (URLs)."""
    number = next(_numbers)
    # A licensed publisher: its pages show the whole text with every figure.
    publisher_get_or_create(name="The Test Gazette", display_policy="full")
    article = article_import(
        record={
            "url": f"https://news.example/{number}",
            "title": f"Harbour bridge reopens after repairs, part {number}",
            "published": datetime(2026, 12, 1, 8, number % 60, tzinfo=UTC).isoformat(),
            "source": "The Test Gazette",
            "text": text,
        }
    )
    if lead:
        article.lead_image_src = lead
        article.lead_image_caption = "Cars cross the bridge."
        article.lead_image_credit = "Photo: Ole Brandt"
        article.save(
            update_fields=[
                "lead_image_src",
                "lead_image_caption",
                "lead_image_credit",
            ]
        )
    for position, src in enumerate(figures, start=1):
        Figure.objects.create(
            article=article, position=position, src=src, caption=f"Figure {position}"
        )
    return article


def fetch_images(article: Article, django_capture_on_commit_callbacks) -> None:
    """Schedule the article's images as ingest does, and run what ingest runs once
    its transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        images_schedule(article=article)


def lead_record(article: Article) -> ArticleImage:
    return ArticleImage.objects.get(article=article, figure__isnull=True)


def attach_stored_images(article: Article) -> None:
    """Give ``article`` stored copies of its lead image and figures without any
    network (pictures drawn here), as if ingest had fetched them."""
    from cupure.images.services import image_store
    from tests.imaging import samples

    sources = []
    if article.lead_image_src:
        sources.append((None, article.lead_image_src, samples.photo(1200, 675)))
    for figure in article.figures.all():
        sources.append((figure, figure.src, samples.photo(800, 450, fmt="PNG")))
    for figure, url, data in sources:
        ArticleImage.objects.create(
            article=article,
            figure=figure,
            source_url=url,
            image=image_store(data=data),
            status=ArticleImage.Status.STORED,
        )
