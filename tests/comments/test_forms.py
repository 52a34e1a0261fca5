"""The comment form's signed timestamp and body check, on their own (mutation
testing, issue #23: only the views exercised them, loosely)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import signing

from cupure.comments.forms import (
    FORM_TIMESTAMP_SALT,
    CommentForm,
    form_age,
    form_timestamp,
)


def test_form_age_is_the_time_since_the_form_was_shown() -> None:
    token = form_timestamp(1_000.0)
    assert form_age(token, now=1_030.5) == timedelta(seconds=30.5)
    # A form "shown" after now (clock skew between workers) is zero seconds old.
    assert form_age(token, now=990.0) == timedelta(0)


def test_form_timestamp_and_age_default_to_the_clock() -> None:
    age = form_age(form_timestamp())
    assert age is not None
    assert timedelta(0) <= age < timedelta(seconds=5)
    old = form_timestamp(time.time() - 60)
    aged = form_age(old)
    assert aged is not None and timedelta(seconds=59) < aged < timedelta(seconds=65)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        signing.dumps({"t": 1.0}, salt="another.salt"),
        signing.dumps({"shown": 1.0}, salt=FORM_TIMESTAMP_SALT),
        signing.dumps({"t": "yesterday"}, salt=FORM_TIMESTAMP_SALT),
        signing.dumps({"t": None}, salt=FORM_TIMESTAMP_SALT),
        signing.dumps([1.0], salt=FORM_TIMESTAMP_SALT),
    ],
)
def test_a_forged_or_missing_timestamp_has_no_age(token: str) -> None:
    assert form_age(token, now=2_000.0) is None


def test_body_of_only_spaces_is_refused_with_the_minimum(settings) -> None:
    settings.CUPURE_COMMENTS_MIN_LENGTH = 3
    form = CommentForm(data={"body": "  \n "})
    assert not form.is_valid()
    assert form.errors["body"] == [
        "Your comment is empty: write at least 3 characters."
    ]
    kept = CommentForm(data={"body": "  kept as typed \n"})
    assert kept.is_valid()
    assert kept.cleaned_data["body"] == "  kept as typed \n"
