"""Shared fixtures for comment tests: one article, readers, a moderator."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from cupure.articles.models import Article
from cupure.comments.forms import form_timestamp
from cupure.sources.services import publisher_get_or_create
from tests.accounts.factories import reader_account, staff_account

PUBLISHED = datetime(2026, 11, 23, 9, tzinfo=UTC)


def make_article(number: int = 1) -> Article:
    publisher = publisher_get_or_create(
        name="The Test Gazette", homepage_url="https://gazette.example/"
    )
    return Article.objects.create(
        publisher=publisher,
        url=f"https://gazette.example/news/{number}",
        canonical_url=f"https://gazette.example/news/{number}",
        title=f"Harbour bridge reopens {number}",
        slug=f"harbour-bridge-reopens-{number}",
        published=PUBLISHED,
        summary="The old harbour bridge reopened to traffic on Monday.",
        paragraphs=["The old harbour bridge reopened to traffic on Monday."],
    )


@pytest.fixture
def article(db) -> Article:
    return make_article()


@pytest.fixture
def reader(db):
    return reader_account("mara", "mara@example.org", "a-long-passphrase-1")


@pytest.fixture
def other_reader(db):
    return reader_account("ole", "ole@example.org", "a-long-passphrase-2")


@pytest.fixture
def moderator(db):
    user, _secret = staff_account("mod", "mod@example.org", "a-long-passphrase-3")
    return user


@pytest.fixture(autouse=True)
def _comment_settings(settings) -> None:
    """Defaults for these tests: no premoderation of new accounts, so a check's own
    test turns on only the phase it tests."""
    settings.CUPURE_COMMENTS_PREMODERATE_FIRST = 0


def old_form() -> str:
    """A form timestamp from a minute ago: a person's pace."""
    return form_timestamp(time.time() - 60)
