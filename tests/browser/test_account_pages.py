"""Every account page in real Chromium: the site's layout, no serious or critical
axe-core violation, screenshots at phone and desktop widths."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.accounts.factories import reader_account, staff_account
from tests.browser.conftest import axe_violations, screenshots

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "harbour-bridge-2026"

SIGNED_OUT = {
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "password-reset-done": "/accounts/password/reset/done/",
}
SIGNED_IN = {
    "account-home": "/accounts/",
    "email": "/accounts/email/",
    "password-change": "/accounts/password/change/",
    "two-factor": "/accounts/2fa/",
    "sessions": "/accounts/sessions/",
    "delete-account": "/accounts/delete/",
    "reauthenticate": "/accounts/reauthenticate/",
}


def _check(page: Page, url: str, name: str) -> None:
    page.goto(url)
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
    assert axe_violations(page) == [], name
    screenshots(page, f"account-{name}")


def _log_in(page: Page, base: str, login: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username or email address").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_account_pages_in_the_site_layout(page: Page, live_server) -> None:
    base = live_server.url
    for name, path in SIGNED_OUT.items():
        _check(page, base + path, name)
    reader_account("mara", "mara@example.org", PASSWORD, confirmed=False)
    _log_in(page, base, "mara@example.org")
    expect(page.locator(".account-nav")).to_contain_text("Signed in as mara")
    for name, path in SIGNED_IN.items():
        _check(page, base + path, name)
    page.goto(base + "/accounts/")
    expect(page.locator(".account-notice")).to_contain_text("not confirmed yet")


def test_failed_logins_are_told_to_wait(page: Page, live_server) -> None:
    reader_account("mara", "mara@example.org", PASSWORD)
    for _ in range(settings.CUPURE_LOGIN_FAILURES_PER_ACCOUNT + 1):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username or email address").fill("mara")
        page.get_by_label("Password").fill("a wrong guess")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 429
    expect(page.locator("form.account-form")).to_contain_text(
        "Too many failed login attempts"
    )
    assert axe_violations(page) == []
    screenshots(page, "account-login-rate-limited")


def test_staff_without_a_second_factor_see_how_to_set_one_up(
    page: Page, live_server
) -> None:
    staff_account("mod", "mod@example.org", PASSWORD, second_factor=False)
    page.goto(live_server.url + "/admin/")
    expect(page.locator("h1")).to_have_text("Log in")
    page.get_by_label("Username or email address").fill("mod")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Set up a second factor to use the admin")
    assert axe_violations(page) == []
    screenshots(page, "admin-needs-second-factor")
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_contain_text("Authenticator App")
    assert axe_violations(page) == []
    screenshots(page, "activate-totp")
