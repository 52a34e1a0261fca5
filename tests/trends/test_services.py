"""Topic state shared by processes that learn side by side."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cupure.articles.services import article_import
from cupure.trends import services
from cupure.trends.services import resolver_load, topic_state_reset, topics_save

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _import(number: int, title: str) -> None:
    article_import(
        record={
            "url": f"https://gazette.example/{number}",
            "title": title,
            "published": PUBLISHED.isoformat(),
            "source": "Gazette",
            "text": f"{title}. More details followed later in the day.",
        }
    )


def test_a_second_worker_saving_keeps_what_the_first_learned() -> None:
    """Worker A and worker B load the same saved state; B saves first, then A. Both
    people and both surnames (aliases) are in the saved state, not only A's."""
    _import(1, "Ilse Varga opens the new harbour bridge")
    topics_save()
    # Worker A learns a person, but has not saved yet.
    _import(2, "Tomas Rehn wins the Marrowdale mayoral vote")
    worker_a = (services._resolver, services._resolver_base)
    # Worker B starts from the saved state, learns another person and saves.
    topic_state_reset()
    _import(3, "Greta Holm named head of the Port of Kessel")
    topics_save()
    # Worker A saves last.
    services._resolver, services._resolver_base = worker_a
    topics_save()

    saved = resolver_load()
    assert saved.canonical("rehn") == "tomas-rehn"
    assert saved.canonical("holm") == "greta-holm"
    assert saved.canonical("varga") == "ilse-varga"
    assert saved.to_json()["topics"]["ilse-varga"]["count"] == 1


def test_a_poll_round_with_nothing_due_keeps_the_trend_snapshot_fresh() -> None:
    """Trends slide with the clock: the poller (or scheduler) refreshes an old
    snapshot even when no feed was due, so no reader's request has to."""
    from datetime import timedelta

    from django.utils import timezone

    from cupure import cli
    from cupure.trends.models import TrendSnapshot
    from cupure.trends.services import SNAPSHOT_REFRESH

    old = TrendSnapshot.objects.create(
        computed_at=timezone.now() - SNAPSHOT_REFRESH - timedelta(minutes=1), topics=[]
    )

    assert cli._poll_round(every=False, workers=1) == 0

    newest = TrendSnapshot.objects.order_by("-computed_at").first()
    assert newest is not None and newest.pk != old.pk
    # A second round right away finds it fresh and computes nothing.
    cli._poll_round(every=False, workers=1)
    assert TrendSnapshot.objects.count() == 2
