"""The fast date filters print what Django's ``date`` filter prints for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.template import Context, Template, engines

from cupure.web import clock

MOMENTS = [
    datetime(2026, 1, 5, 9, 3, tzinfo=UTC),
    datetime(2026, 9, 30, 23, 59, 59, 123456, tzinfo=UTC),
    datetime(2026, 5, 1, 0, 0, tzinfo=UTC),
    # Another offset: both are shown in the site's time zone (UTC).
    datetime(2026, 12, 31, 22, 30, tzinfo=timezone(timedelta(hours=-5))),
]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(
    ("ours", "django_format"),
    [("iso", "c"), ("day_time", "j M, H:i"), ("full_date_time", "j F Y, H:i")],
)
def test_same_text_as_the_date_filter(
    moment: datetime, ours: str, django_format: str
) -> None:
    ours_template = engines["jinja2"].from_string(f"{{{{ moment|{ours} }}}}")
    django_template = Template(f'{{{{ moment|date:"{django_format}" }}}}')
    fast = ours_template.render({"moment": moment})
    # To the second: HTML's <time datetime> takes at most three digits of a
    # fraction, and Django's "c" prints six when there are microseconds.
    whole_second = moment.replace(microsecond=0)
    slow = django_template.render(Context({"moment": whole_second}))
    assert fast == slow
    assert fast


def test_iso_is_a_valid_html_datetime_with_microseconds() -> None:
    moment = datetime(2026, 12, 5, 8, 29, 25, 881541, tzinfo=UTC)
    text = engines["jinja2"].from_string("{{ m|iso }}").render({"m": moment})
    assert text == "2026-12-05T08:29:25+00:00"


def test_not_a_datetime_prints_nothing() -> None:
    html = engines["jinja2"].from_string(
        "[{{ x|iso }}{{ x|day_time }}{{ x|full_date_time }}]"
    )
    assert html.render({"x": None}) == "[]"


NOW = datetime(2026, 11, 26, 12, 0, 0, 500_000, tzinfo=UTC)


@pytest.mark.parametrize(
    "before",
    [
        timedelta(0),
        timedelta(microseconds=400_000),
        timedelta(seconds=1),
        timedelta(seconds=59),
        timedelta(seconds=60),
        timedelta(seconds=119),
        timedelta(minutes=59, seconds=59),
        timedelta(hours=1),
        timedelta(hours=2, minutes=30),
        timedelta(hours=23, minutes=59, seconds=59),
        timedelta(days=1),
        timedelta(days=3, hours=4),
        timedelta(days=400),
        timedelta(seconds=-1),
        timedelta(hours=-5),
        timedelta(days=-2),
    ],
)
def test_naturaltime_says_what_humanize_says(
    before: timedelta, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.humanize.templatetags import humanize

    from cupure.web import templating

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return NOW if tz else NOW.replace(tzinfo=None)

    monkeypatch.setattr(humanize, "datetime", FrozenDatetime)
    monkeypatch.setattr(templating, "_now", lambda tz: NOW)
    moment = NOW - before
    django = humanize.NaturalTimeFormatter.string_for(moment)
    assert templating.naturaltime(moment) == django
    # Within the past day the words are ours, not humanize's.
    within_a_day = timedelta(0) <= before < timedelta(days=1)
    assert clock.ago(moment, NOW) == (django if within_a_day else None)
