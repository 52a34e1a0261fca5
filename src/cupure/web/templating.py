"""The template environment of the site's pages (Jinja2).

Django's template language looks up every ``{{ article.publisher.name }}`` at run
time, trying a dictionary key, an attribute and a list index in turn, and wraps each
filter call; a story page lists up to 80 articles and spent about two thirds of its
render there. Jinja2 compiles a template to Python once, so a variable is an
attribute access: the same coverage list renders about seven times faster.

Django still drives it (``TEMPLATES`` in settings; ``render()`` in views, context
processors, CSRF's ``csrf_input``), forms still render with Django's own form
templates, and the admin keeps Django's template language. What the pages call is
registered here: ``url()`` and ``static()`` as in Django's tags, Django's own
``pluralize``, ``intcomma``, ``truncatechars`` and ``urlencode`` (so the text is
exactly Django's), and the site's date formats and ``naturaltime`` (both tested to
print what Django's filters print).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

import jinja2
from django.contrib.humanize.templatetags import humanize
from django.http import HttpRequest, QueryDict
from django.templatetags.static import static
from django.urls import reverse
from django.utils.timezone import template_localtime

from cupure.comments.sections import comments_section, story_comments
from cupure.images.selectors import article_pictures, lead_pictures
from cupure.rights.selectors import article_display
from cupure.web import clock

# Django's filters, called as Jinja2 calls filters (value first, then arguments).
from django.template.defaultfilters import (  # isort: skip
    pluralize,
    truncatechars,
    urlencode,
)


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """The path of a URL pattern, as ``{% url %}``: ``url('web:story', pk=1, …)``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def querystring(query: QueryDict, **changes: Any) -> str:
    """``query`` with ``changes`` applied (None removes a key), as ``?a=1&b=2``.

    What Django's ``{% querystring %}`` tag prints, given the request's ``GET``.
    """
    params = query.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}" if params or query else ""


# allauth's pages are named account_*, mfa_* and usersessions_*; ours accounts:*.
ACCOUNT_PAGE_PREFIXES = ("account_", "mfa_", "usersessions_")


def _is_account_page(namespace: str, url_name: str) -> bool:
    return namespace == "accounts" or url_name.startswith(ACCOUNT_PAGE_PREFIXES)


def return_path(request: HttpRequest) -> str:
    """Where the header's "Log in" and "Sign up" links send the reader back to.

    The page being read; but on an account page (logging in, signing up, resetting a
    password) the page *that* page returns to, if any: sending the reader back to the
    login page itself nested ``next`` in ``next`` at every click (issue #15). Only a
    path on this site is passed along; the login view checks it again anyway.
    """
    match = request.resolver_match
    if match is None or not _is_account_page(match.namespace, match.url_name or ""):
        return request.get_full_path()
    target = request.GET.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return target
    return ""


def _now(tz: tzinfo | None) -> datetime:
    return datetime.now(tz)


def naturaltime(value: Any) -> Any:
    """humanize's ``naturaltime`` ("5 hours ago"), worded here within a day."""
    if isinstance(value, datetime):
        text = clock.ago(value, _now(UTC if value.tzinfo else None))
        if text is not None:
            return text
    return humanize.naturaltime(value)


def _in_site_time(format_: Callable[[datetime], str]) -> Callable[[Any], str]:
    """A date format that, like Django's date filters, shows the site's time zone."""

    def filter_(value: Any) -> str:
        return format_(template_localtime(value)) if value else ""

    filter_.__name__ = format_.__name__
    filter_.__doc__ = format_.__doc__
    return filter_


def environment(**options: Any) -> jinja2.Environment:
    """The environment ``TEMPLATES`` names (Django passes the backend's options).

    Autoescaping is always on, whatever the options say: pages show publishers' text.
    """
    options.pop("autoescape", None)
    env = jinja2.Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        return_path=return_path,
        comments_section=comments_section,
        story_comments=story_comments,
        lead_pictures=lead_pictures,
        article_pictures=article_pictures,
        # What an article may show (cupure.rights.policy), asked by every template.
        shown=article_display,
    )
    env.filters.update(
        pluralize=pluralize,
        intcomma=humanize.intcomma,
        truncatechars=truncatechars,
        urlencode=urlencode,
        naturaltime=naturaltime,
        iso=_in_site_time(clock.iso),
        day_time=_in_site_time(clock.day_time),
        full_date_time=_in_site_time(clock.full_date_time),
    )
    return env
