"""``{% site_layout %}``: allauth's Django-template pages inside the site's layout.

allauth renders Django templates, the site's layout is a Jinja2 template
(``web/base.html``). ``allauth/layouts/base.html`` (in this app's templates/, which
comes before allauth's) wraps every allauth page in this tag: its title and body are
rendered as Django templates, then placed in ``accounts/page.html`` (Jinja2, extends
the site's layout) with the same request, so the header, navigation, messages and
CSRF token are the site's own.
"""

from __future__ import annotations

from django import template
from django.template import engines
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import mark_safe

register = template.Library()

# The Jinja2 engine of settings.TEMPLATES (Django names a backend by its module).
PAGES_ENGINE = "jinja2"


class SiteLayoutNode(template.Node):
    # Named so that {% block %}s inside are found by {% extends %} (Django walks
    # child_nodelists to collect a parent's blocks).
    child_nodelists = ("title", "body")

    def __init__(self, title: NodeList, body: NodeList) -> None:
        self.title = title
        self.body = body

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        page_title = " ".join(self.title.render(context).split())
        # Rendered by Django's template engine, which escaped every variable.
        body = mark_safe(self.body.render(context))  # noqa: S308
        page = engines[PAGES_ENGINE].get_template("accounts/page.html")
        return page.render({"page_title": page_title, "page_body": body}, request)


@register.tag("site_layout")
def site_layout(parser: Parser, token: Token) -> SiteLayoutNode:
    """``{% site_layout %}title{% site_body %}body{% endsite_layout %}``."""
    title = parser.parse(("site_body",))
    parser.delete_first_token()
    body = parser.parse(("endsite_layout",))
    parser.delete_first_token()
    return SiteLayoutNode(title, body)
