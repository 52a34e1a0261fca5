"""Reader pages. Views only call selectors and render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from cupure.articles.models import Article
from cupure.articles.selectors import (
    ARTICLE_UNSHOWN_FIELDS,
    article_cards,
    article_list_for_publisher,
    article_list_latest,
)
from cupure.quotes.selectors import person_quotes, story_quotes
from cupure.rights.selectors import article_shown_body
from cupure.rights.views import article_gone
from cupure.sources.models import Publisher
from cupure.stories.models import Story
from cupure.stories.selectors import (
    story_coverage,
    story_list_related,
    story_list_top,
    story_merged_into,
)
from cupure.trends.selectors import topic_page, topic_sections
from cupure.web.context_processors import trending_topics_cached


def home(request: HttpRequest) -> HttpResponse:
    top_stories = story_list_top()
    return render(
        request,
        "web/home.html",
        {
            "top_stories": top_stories,
            "topic_sections": topic_sections(
                topics=list(trending_topics_cached())[:3],
                exclude=[story.pk for story in top_stories],
            ),
            "articles": article_list_latest(),
        },
    )


def article_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    article = (
        Article.objects.select_related(
            "publisher", "story", "duplicate_of", "duplicate_of__publisher"
        )
        .defer(
            *ARTICLE_UNSHOWN_FIELDS,
            # Of the original it is a copy of, only its links are shown.
            *(f"duplicate_of__{name}" for name in ARTICLE_UNSHOWN_FIELDS),
            "duplicate_of__paragraphs",
            "duplicate_of__block_kinds",
            "duplicate_of__standfirst",
        )
        .filter(pk=pk)
        .first()
    )
    if article is None:
        # A taken-down article answers 410 Gone with a notice (cupure.rights).
        return article_gone(request, pk) or _not_found()
    if slug != (article.slug or "-"):
        return redirect(article, permanent=True)
    story = article.story
    return render(
        request,
        "web/article_detail.html",
        {
            "article": article,
            # What the publisher lets us show (cupure.rights.policy).
            "body": article_shown_body(article),
            "story": story,
            "copies": article_cards(
                Article.objects.copies().filter(duplicate_of=article)
            ).order_by("published"),
            "related": story_list_related(story=story) if story else [],
        },
    )


def _not_found() -> HttpResponse:
    raise Http404("No such article.")


def story_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    story = (
        # The lead's publisher: what its photo and summary may show (rights).
        Story.objects.select_related("lead_article__publisher")
        .defer(
            *(f"lead_article__{name}" for name in ARTICLE_UNSHOWN_FIELDS),
            "lead_article__paragraphs",
            "lead_article__block_kinds",
            "lead_article__standfirst",
        )
        .filter(pk=pk)
        .first()
    )
    if story is None:
        # A story merged into another (healed) answers with the survivor's URL.
        survivor = story_merged_into(story_id=pk)
        if survivor is None:
            raise Http404("No such story.")
        return redirect(survivor, permanent=True)
    if slug != (story.slug or "-"):
        return redirect(story, permanent=True)
    return render(
        request,
        "web/story_detail.html",
        {
            "story": story,
            "coverage": story_coverage(story=story),
            "related": story_list_related(story=story),
            "who_said_what": story_quotes(story_id=story.pk),
        },
    )


def topic_detail(request: HttpRequest, key: str) -> HttpResponse:
    page = topic_page(key=key)
    if page is None:
        raise Http404("No article names this topic.")
    if page.key != key:
        return redirect("web:topic", key=page.key, permanent=False)
    return render(
        request,
        "web/topic_detail.html",
        # The sparkline is SVG built by our own code from numbers; the title in it
        # is escaped there.
        {
            "topic": page,
            "sparkline": mark_safe(page.sparkline),  # noqa: S308
            "quotes": person_quotes(name=page.name),
        },
    )


def publisher_detail(request: HttpRequest, slug: str) -> HttpResponse:
    publisher = get_object_or_404(Publisher, slug=slug)
    return render(
        request,
        "web/publisher_detail.html",
        {
            "publisher": publisher,
            "articles": article_list_for_publisher(publisher=publisher),
            "feeds": publisher.feeds.all(),
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html", {"publishers": Publisher.objects.all()})
