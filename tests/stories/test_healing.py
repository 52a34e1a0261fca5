"""Healing in the database: a later article shows two stories are one, they merge,
the absorbed story's address answers 301 and other processes follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from cupure.articles.models import Article
from cupure.stories.models import Story, StoryAlias
from cupure.stories.services import story_assign, story_state_reset
from tests.stories.test_services import make

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
# Two reports that share no word, then one that covers both.
FIRST = ("Varga Oskarsson Tellby Quarn", "Varga Oskarsson Tellby Quarn Brisk.")
SECOND = ("Hollin Mardew Pennick Sorrel", "Hollin Mardew Pennick Sorrel Wint.")
BRIDGE = (
    "Varga Oskarsson Tellby Quarn Hollin Mardew Pennick Sorrel",
    "Varga Oskarsson Tellby Quarn with Hollin Mardew Pennick Sorrel at Lusk.",
)


@pytest.fixture(autouse=True)
def _fresh_state():
    story_state_reset()
    yield
    story_state_reset()


def _split() -> tuple[Story, Story]:
    first = story_assign(article=make("Evening Post", *FIRST, NOW))
    second = story_assign(article=make("Harbour Herald", *SECOND, NOW + HOUR))
    assert first.pk != second.pk
    return first, second


def test_a_bridging_article_merges_two_stories(client) -> None:
    """The survivor holds every article and the counts; the absorbed story is gone
    and its URL answers 301 to the survivor's page."""
    first, second = _split()
    survivor = story_assign(article=make("Northshore Daily", *BRIDGE, NOW + 2 * HOUR))
    absorbed = ({first.pk, second.pk} - {survivor.pk}).pop()

    assert list(Story.objects.values_list("pk", flat=True)) == [survivor.pk]
    assert set(Article.objects.values_list("story_id", flat=True)) == {survivor.pk}
    survivor.refresh_from_db()
    assert survivor.article_count == 3
    assert survivor.publisher_count == 3
    assert StoryAlias.objects.get(pk=absorbed).story_id == survivor.pk

    response = client.get(
        reverse("web:story", kwargs={"pk": absorbed, "slug": "old-slug"})
    )
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    missing = client.get(reverse("web:story", kwargs={"pk": 999_999, "slug": "x"}))
    assert missing.status_code == 404


def test_another_process_replays_the_merge() -> None:
    """A worker that did not see the merge replays it before deciding: a follow-up
    to the absorbed story lands in the survivor, and no story id is reused."""
    import cupure.stories.services as services

    _split()
    first_worker = services._state
    story_state_reset()  # a second worker merges
    survivor = story_assign(article=make("Northshore Daily", *BRIDGE, NOW + 2 * HOUR))
    services._state = first_worker  # back to the worker that never saw the merge
    follow_up = story_assign(
        article=make("Kessel Times", "Hollin Mardew Pennick again", SECOND[1], NOW)
    )
    assert follow_up.pk == survivor.pk
    fresh = story_assign(
        article=make("Kessel Times", "Snow leopard twins", "Zoo cubs born.", NOW)
    )
    assert not StoryAlias.objects.filter(pk=fresh.pk).exists()
