"""The fast date filters print what Django's ``date`` filter prints for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.template import Context, Template, engines

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
    slow = django_template.render(Context({"moment": moment}))
    assert fast == slow
    assert fast


def test_not_a_datetime_prints_nothing() -> None:
    html = engines["jinja2"].from_string(
        "[{{ x|iso }}{{ x|day_time }}{{ x|full_date_time }}]"
    )
    assert html.render({"x": None}) == "[]"
