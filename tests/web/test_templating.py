"""The page templates' environment: escaping, and Django's helpers as functions."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils.html import escape

from cupure.web.templating import environment, querystring


def test_escapes_even_when_told_not_to() -> None:
    env = environment(autoescape=False)
    html = env.from_string("{{ title }}").render(title='<script>alert("x")</script>')
    assert html == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


@pytest.mark.parametrize(
    ("query", "changes"),
    [
        ("q=storm&page=2", {"page": 3}),
        ("q=storm+%26+rain&publisher=a&publisher=b", {"page": 1}),
        ("q=storm&page=2", {"page": None}),
        ("", {"page": None}),
        ("", {"page": 2}),
    ],
)
def test_querystring_prints_what_the_django_tag_prints(
    query: str, changes: dict
) -> None:
    request = RequestFactory().get(f"/search/?{query}")
    arguments = " ".join(f"{key}={value!r}" for key, value in changes.items())
    django = Template(f"{{% querystring {arguments} %}}").render(
        RequestContext(request)
    )
    # The tag's output is escaped by the template; ours is escaped by Jinja2.
    assert escape(querystring(QueryDict(query), **changes)) == django
