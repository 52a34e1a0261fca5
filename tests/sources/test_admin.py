"""The admin: feed health on the list, and a POST-only "refresh now"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cupure.sources.models import Entry, Feed
from tests.accounts.factories import staff_account
from tests.loopback import LoopbackSite, Page
from tests.sources.conftest import fixture, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in() -> Client:
    user, _secret = staff_account("editor", "editor@example.com", "not-a-real-pw")
    client = Client()
    client.force_login(user)
    return client


def broken_feed(site: LoopbackSite) -> Feed:
    """A feed marked broken, whose URL now serves the Gazette's RSS."""
    site.pages["/rss.xml"] = Page(fixture("feed_rss2.xml", site), "application/rss+xml")
    feed = subscribe(site, "/rss.xml")
    Feed.objects.filter(pk=feed.pk).update(
        status=Feed.Status.BROKEN,
        consecutive_failures=20,
        last_error="http://… answered 500",
        last_error_code="http_status",
    )
    return feed


def test_feed_list_shows_health(
    gazette: LoopbackSite, admin_client_logged_in: Client
) -> None:
    """The changelist shows each feed's status, failures and last error code."""
    broken_feed(gazette)

    page = admin_client_logged_in.get(reverse("admin:sources_feed_changelist"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Broken" in html and "http_status" in html and ">20<" in html


def test_refresh_button_is_post_only(
    gazette: LoopbackSite, admin_client_logged_in: Client
) -> None:
    """GET on the refresh URL is refused (405) and polls nothing; POST clears the
    broken state, polls now and returns to the feed's page."""
    feed = broken_feed(gazette)
    url = reverse("admin:sources_feed_refresh", args=[feed.pk])

    refused = admin_client_logged_in.get(url)
    assert refused.status_code == 405
    assert gazette.requests == []

    done = admin_client_logged_in.post(url)

    assert done.status_code == 302
    assert done["Location"] == reverse("admin:sources_feed_change", args=[feed.pk])
    feed.refresh_from_db()
    assert (feed.status, feed.consecutive_failures) == (Feed.Status.OK, 0)
    assert Entry.objects.filter(feed=feed, status=Entry.Status.INGESTED).count() == 2


def test_change_page_has_the_refresh_form(
    gazette: LoopbackSite, admin_client_logged_in: Client
) -> None:
    """The feed's page carries a POST form (with CSRF token) to refresh it."""
    feed = broken_feed(gazette)

    page = admin_client_logged_in.get(
        reverse("admin:sources_feed_change", args=[feed.pk])
    )

    html = page.content.decode()
    action = reverse("admin:sources_feed_refresh", args=[feed.pk])
    assert f'<form method="post" action="{action}">' in html
    assert "csrfmiddlewaretoken" in html


def test_refresh_action_on_selected_feeds(
    gazette: LoopbackSite, admin_client_logged_in: Client
) -> None:
    """The "Refresh now" admin action (a POST from the list) refreshes the feed."""
    feed = broken_feed(gazette)

    admin_client_logged_in.post(
        reverse("admin:sources_feed_changelist"),
        {"action": "refresh_now", "_selected_action": [feed.pk]},
    )

    feed.refresh_from_db()
    assert feed.status == Feed.Status.OK


def test_refresh_requires_staff(gazette: LoopbackSite) -> None:
    """An anonymous POST is sent to the login page and polls nothing."""
    feed = broken_feed(gazette)

    response = Client().post(reverse("admin:sources_feed_refresh", args=[feed.pk]))

    assert response.status_code == 302 and "login" in response["Location"]
    assert gazette.requests == []


def test_entry_list_shows_errors(
    gazette: LoopbackSite, admin_client_logged_in: Client
) -> None:
    """Failed entries show their error in the entry list."""
    feed = subscribe(gazette, "/rss.xml")
    Entry.objects.create(
        feed=feed,
        guid="g",
        link=gazette.url("/x"),
        title="Failed one",
        published="2026-11-23T10:00:00Z",
        status=Entry.Status.FAILED,
        last_error="robots.txt asks crawlers not to fetch it",
    )

    page = admin_client_logged_in.get(reverse("admin:sources_entry_changelist"))

    assert "robots.txt asks crawlers not to fetch it" in page.content.decode()
