"""Stories in the database: copies credit their original, coverage joins one story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cupure.articles.models import Article
from cupure.sources.services import publisher_get_or_create
from cupure.stories.models import Story
from cupure.stories.selectors import (
    story_coverage,
    story_list_breaking,
    story_list_top,
    story_rank_score,
)
from cupure.stories.services import story_assign, story_state_reset

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

WIRE = [
    "Lumen Grid said on Monday that the region faces its tightest winter power margin "
    "in ten years after two gas turbines at the Orrin plant failed inspections.",
    "The operator asked large industrial users to prepare to cut demand at short "
    "notice during cold evenings between December and February.",
    "Households are not expected to face planned outages, a spokesperson said, but "
    "the grid will publish daily margin warnings from next week.",
]
STRIKE = {
    "Harbour Herald": (
        "Port of Kessel at a standstill as dockworkers strike",
        "Dockworkers at the Port of Kessel walked out at dawn on Tuesday in a dispute "
        "over pay and automated cranes, leaving container ships waiting offshore. The "
        "dockers union said the 72-hour strike would go ahead unless the port "
        "authority withdrew plans for robot cranes at Gate 3.",
    ),
    "Evening Post": (
        "Kessel dockers walk out over robot cranes",
        "Hundreds of dockworkers at the Port of Kessel began a 72-hour strike on "
        "Tuesday, protesting over pay and the port authority's plans for automated "
        "cranes. Container ships queued offshore as the dockers union picketed Gate 3.",
    ),
    "Northshore Daily": (
        "Strike shuts Port of Kessel: ships stuck at sea",
        "The Port of Kessel shut on Tuesday as dockworkers started a 72-hour strike "
        "over pay and robot cranes. Ships waited at sea while the union's pickets "
        "gathered at Gate 3 and the port authority refused to drop its crane plans.",
    ),
}
ZOO = (
    "Twin snow leopard cubs born at Kessel Zoo",
    "Kessel Zoo celebrated the birth of twin snow leopard cubs, the first born there "
    "in a decade. Keepers said mother and cubs were healthy and would stay out of "
    "public view until the spring, when visitors can see them in the new enclosure.",
)


def make(publisher: str, title: str, text: str | list[str], published: datetime):
    paragraphs = text if isinstance(text, list) else [text]
    slug = title.lower().replace(" ", "-")[:50]
    return Article.objects.create(
        publisher=publisher_get_or_create(name=publisher),
        url=f"https://{publisher.replace(' ', '').lower()}.example/{slug}",
        canonical_url=f"https://{publisher.replace(' ', '').lower()}.example/{slug}",
        title=title,
        published=published,
        paragraphs=paragraphs,
    )


def test_copies_are_linked_to_the_earliest_original() -> None:
    """Two word-for-word republications of a wire story point at the wire's article,
    share its story and are counted as its coverage."""
    wire = make("Meridian Wire", "Grid warns of tight winter", WIRE, NOW)
    copy_a = make(
        "Harbour Herald", "Winter power warning", WIRE, NOW + timedelta(1 / 24)
    )
    copy_b = make("Northshore", "Lights could flicker", WIRE, NOW + timedelta(2 / 24))
    for article in (wire, copy_a, copy_b):
        story_assign(article=article)

    copy_a.refresh_from_db()
    copy_b.refresh_from_db()
    assert copy_a.duplicate_of_id == wire.pk
    assert copy_b.duplicate_of_id == wire.pk
    assert copy_a.story_id == copy_b.story_id == wire.story_id
    coverage = story_coverage(story=wire.story)
    assert [a.pk for a in coverage.articles] == [wire.pk]
    assert {c.pk for c in coverage.articles[0].copy_list} == {copy_a.pk, copy_b.pk}


def test_an_original_arriving_after_its_copy_is_credited() -> None:
    """Polling order is not publication order: when the wire's earlier article arrives
    after a copy, the copy is re-pointed at it."""
    copy = make("Harbour Herald", "Winter power warning", WIRE, NOW + timedelta(1 / 24))
    story_assign(article=copy)
    wire = make("Meridian Wire", "Grid warns of tight winter", WIRE, NOW)
    story_assign(article=wire)

    copy.refresh_from_db()
    wire.refresh_from_db()
    assert copy.duplicate_of_id == wire.pk
    assert wire.duplicate_of_id is None
    assert wire.story_id == copy.story_id


def test_different_wording_of_one_event_joins_one_story() -> None:
    """Three publishers' own takes on the strike are one story; the zoo is another."""
    hour = timedelta(hours=1)
    made = [
        make(publisher, title, text, NOW + index * hour)
        for index, (publisher, (title, text)) in enumerate(STRIKE.items())
    ]
    zoo = make("Evening Post", *ZOO, NOW + 4 * hour)
    for article in [*made, zoo]:
        story_assign(article=article)

    stories = {Article.objects.get(pk=a.pk).story_id for a in made}
    assert len(stories) == 1
    strike = Story.objects.get(pk=stories.pop())
    assert strike.article_count == 3
    assert strike.publisher_count == 3
    assert strike.title == "Port of Kessel at a standstill as dockworkers strike"
    assert Article.objects.get(pk=zoo.pk).story_id != strike.pk


def test_assignment_survives_a_restart() -> None:
    """After the in-memory state is dropped (a new process), a new article of a known
    event still joins its stored story."""
    hour = timedelta(hours=1)
    items = list(STRIKE.items())
    for index, (publisher, (title, text)) in enumerate(items[:2]):
        story_assign(article=make(publisher, title, text, NOW + index * hour))
    story_state_reset()

    publisher, (title, text) = items[2]
    late = story_assign(article=make(publisher, title, text, NOW + 2 * hour))

    assert Story.objects.count() == 1
    assert late.article_count == 3


def test_assigning_twice_changes_nothing() -> None:
    article = make("Evening Post", *ZOO, NOW)
    first = story_assign(article=article)
    again = story_assign(article=Article.objects.get(pk=article.pk))
    assert first.pk == again.pk
    assert Story.objects.count() == 1
    assert Story.objects.get().article_count == 1


def test_breaking_needs_a_burst_from_several_publishers() -> None:
    """Three publishers on the strike within the hour is breaking; a lone article is
    not."""
    minutes = timedelta(minutes=20)
    for index, (publisher, (title, text)) in enumerate(STRIKE.items()):
        story_assign(article=make(publisher, title, text, NOW - index * minutes))
    story_assign(article=make("Evening Post", *ZOO, NOW - minutes))

    breaking = story_list_breaking(now=NOW)

    assert [s.title for s in breaking] == [
        "Port of Kessel at a standstill as dockworkers strike"
    ]
    assert story_list_breaking(now=NOW + timedelta(days=2)) == []


def test_top_stories_rank_coverage_diversity_and_freshness() -> None:
    """More publishers beat fewer; the same coverage a day older ranks lower."""
    fresh = story_rank_score(
        article_count=3, publisher_count=3, last_published=NOW, now=NOW
    )
    one_newsroom = story_rank_score(
        article_count=3, publisher_count=1, last_published=NOW, now=NOW
    )
    stale = story_rank_score(
        article_count=3, publisher_count=3, last_published=NOW - timedelta(1), now=NOW
    )
    assert fresh > one_newsroom
    assert fresh > stale

    for index, (publisher, (title, text)) in enumerate(STRIKE.items()):
        story_assign(
            article=make(publisher, title, text, NOW - index * timedelta(0.01))
        )
    story_assign(article=make("Evening Post", *ZOO, NOW))
    top = story_list_top(now=NOW)
    assert top[0].title.startswith("Port of Kessel")
    assert len(top) == 2


def test_a_process_replays_what_other_processes_assigned() -> None:
    """Two workers share the database but not memory: before deciding, a worker
    replays the assignments others made, so it neither splits a story nor reuses a
    story id another worker took."""
    import cupure.stories.services as services

    hour = timedelta(hours=1)
    (pub_a, (title_a, text_a)), (pub_b, (title_b, text_b)) = list(STRIKE.items())[:2]
    story_assign(article=make("Evening Post", *ZOO, NOW))
    first_worker = services._state

    story_state_reset()  # the second worker starts with nothing in memory
    grid = story_assign(article=make("Meridian Wire", "Grid warns", WIRE, NOW))
    strike = story_assign(article=make(pub_a, title_a, text_a, NOW + hour))

    services._state = first_worker  # back to the first worker, which never saw it
    follow_up = story_assign(article=make(pub_b, title_b, text_b, NOW + 2 * hour))

    assert follow_up.pk == strike.pk
    assert follow_up.pk != grid.pk
    assert Story.objects.count() == 3
    seqs = list(
        Article.objects.order_by("story_seq").values_list("story_seq", flat=True)
    )
    assert seqs == [1, 2, 3, 4]


def test_the_story_is_headlined_like_its_earliest_original_with_a_photo() -> None:
    """Fetch order does not pick the headline: an earlier article with a photo that
    arrives later becomes the story's lead and gives it its headline."""
    hour = timedelta(hours=1)
    items = list(STRIKE.items())
    (pub_a, (title_a, text_a)), (pub_b, (title_b, text_b)) = items[:2]
    late_first = make(pub_a, title_a, text_a, NOW + hour)
    story_assign(article=late_first)
    early = make(pub_b, title_b, text_b, NOW)
    Article.objects.filter(pk=early.pk).update(lead_image_src="https://x.example/a.jpg")
    early.refresh_from_db()

    story = story_assign(article=early)

    story.refresh_from_db()
    assert story.lead_article_id == early.pk
    assert story.title == title_b
    assert story.slug == "kessel-dockers-walk-out-over-robot-cranes"
