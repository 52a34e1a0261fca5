"""The page templates' environment: escaping, and Django's helpers as functions."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils.html import escape

from cupure.web.template_guard import PythonReprPrinted, refuse_python_reprs
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


@pytest.mark.parametrize(
    ("template", "value"),
    [
        ("{{ thing.method }}", type("Thing", (), {"method": lambda self: "x"})()),
        ("{{ thing }}", len),
    ],
)
def test_the_test_guard_refuses_to_print_a_callable(template: str, value) -> None:
    """Jinja2 prints a method it is not told to call ("<bound method ...>", issue
    #15); the test settings' finalize makes that an error."""
    env = environment(finalize=refuse_python_reprs)
    with pytest.raises(PythonReprPrinted, match="callable"):
        env.from_string(template).render(thing=value)


@pytest.mark.django_db
def test_the_test_guard_refuses_to_print_a_model_or_a_queryset() -> None:
    from django.contrib.auth import get_user_model

    env = environment(finalize=refuse_python_reprs)
    users = get_user_model().objects.all()
    with pytest.raises(PythonReprPrinted, match="QuerySet"):
        env.from_string("{{ users }}").render(users=users)
    user = get_user_model()(username="mara")
    with pytest.raises(PythonReprPrinted, match="object"):
        env.from_string("{{ user }}").render(user=user)
    # What pages mean to print still prints, escaped as before.
    html = env.from_string("{{ user.username }} {{ n }} {{ t }}").render(
        user=user, n=3, t="<b>"
    )
    assert html == "mara 3 &lt;b&gt;"


def numbers():
    yield 1


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (["storm", "flood"], "list"),
        (("storm",), "tuple"),
        ({"q": "storm"}, "dict"),
        ({"storm"}, "set"),
        (frozenset({"storm"}), "frozenset"),
        (numbers(), "generator"),
        (map(str, [1]), "map"),
        (iter([1]), "list_iterator"),
    ],
)
def test_the_test_guard_refuses_to_print_a_container_or_iterator(
    value: object, kind: str
) -> None:
    """Issue #23: "['storm', 'flood']" or "<generator object ...>" is a Python repr
    too; the template meant the items."""
    env = environment(finalize=refuse_python_reprs)
    with pytest.raises(PythonReprPrinted, match=f"printed the {kind} "):
        env.from_string("{{ value }}").render(value=value)


def test_the_test_guard_lets_self_rendering_html_through() -> None:
    """Markup and Django's form errors (a list that renders itself) print as meant."""
    from django.forms.utils import ErrorList
    from markupsafe import Markup

    env = environment(finalize=refuse_python_reprs)
    html = env.from_string("{{ m }}|{{ errors }}|{{ n }}").render(
        m=Markup("<b>bold</b>"), errors=ErrorList(["Too short."]), n=2.5
    )
    assert html.startswith('<b>bold</b>|<ul class="errorlist"><li>Too short.</li>')
    assert html.endswith("|2.5")
    with pytest.raises(PythonReprPrinted, match="printed None"):
        env.from_string("By {{ byline }}").render(byline=None)


def test_the_pages_run_with_the_guard_in_the_tests() -> None:
    """The guard is on in the suite's settings, so every page test is checked."""
    from django.template import engines

    assert engines["jinja2"].env.finalize is refuse_python_reprs
