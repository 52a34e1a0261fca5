"""Rate limits on failed logins (per account, per address), sign-up, password reset
and confirmation mails; the admin's login goes through the same door.

The budgets come from settings (CUPURE_LOGIN_FAILURES_PER_ACCOUNT per 15 minutes,
CUPURE_LOGIN_FAILURES_PER_ADDRESS per hour); bench/login_guesses.py measures them
over an hour of guessing.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from tests.accounts.factories import staff_account

pytestmark = pytest.mark.django_db

LOGIN_LIMIT_TEXT = "Too many failed login attempts. Try again later."


def _login(client: Client, login: str, password: str = "not-it", ip=None):  # noqa: S107
    extra = {"REMOTE_ADDR": ip} if ip else {}
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, **extra
    )


def test_failed_logins_per_account_whatever_name_is_typed(
    client: Client, reader
) -> None:
    """The account's budget is shared by its username and its address, in any
    case and from any network; past it even the right password is refused with
    429 until the window passes."""
    per_account = settings.CUPURE_LOGIN_FAILURES_PER_ACCOUNT
    names = ["mara", "MARA@example.org", "Mara", "mara@example.org"]
    for attempt in range(per_account):
        response = _login(
            client, names[attempt % len(names)], ip=f"198.51.100.{attempt + 1}"
        )
        assert response.status_code == 200, attempt
        assert LOGIN_LIMIT_TEXT not in response.content.decode()
    refused = _login(client, "mara", PASSWORD, ip="203.0.113.9")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(15 * 60)
    assert LOGIN_LIMIT_TEXT in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_per_address_across_accounts(client: Client, reader) -> None:
    """One address gets CUPURE_LOGIN_FAILURES_PER_ADDRESS guesses an hour, spread
    over any accounts (known or not: the answers are the same)."""
    per_address = settings.CUPURE_LOGIN_FAILURES_PER_ADDRESS
    for attempt in range(per_address):
        response = _login(client, f"someone{attempt}", ip="198.51.100.7")
        assert response.status_code == 200, attempt
    assert _login(client, "mara", PASSWORD, ip="198.51.100.7").status_code == 429
    # Another network is not blocked by this one.
    assert _login(client, "mara", PASSWORD, ip="192.0.2.1").status_code == 302


def test_a_successful_login_does_not_use_up_the_budget(client: Client, reader) -> None:
    for _ in range(settings.CUPURE_LOGIN_FAILURES_PER_ACCOUNT + 2):
        assert _login(client, "mara", PASSWORD).status_code == 302
        client.logout()


def test_signups_per_address(client: Client) -> None:
    """Ten sign-up attempts an hour from one address; the next answers 429."""
    for attempt in range(10):
        response = client.post(
            reverse("account_signup"), {"username": f"u{attempt}", "email": "bad"}
        )
        assert response.status_code == 200, attempt
    refused = client.post(
        reverse("account_signup"), {"username": "late", "email": "bad"}
    )
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()


def test_password_reset_mails_per_address_asked_for(client: Client, reader) -> None:
    """Three reset mails an hour for one address; then 429 and no more mail."""
    for _ in range(3):
        response = client.post(
            reverse("account_reset_password"), {"email": "mara@example.org"}
        )
        assert response.status_code == 302
    refused = client.post(
        reverse("account_reset_password"), {"email": "mara@example.org"}
    )
    assert refused.status_code == 429
    assert len(mail.outbox) == 3


def test_confirmation_mails_have_a_cooldown(client: Client) -> None:
    """Asking again for the confirmation link within three minutes sends nothing."""
    from tests.accounts.factories import reader_account

    new = reader_account("neu", "neu@example.org", PASSWORD, confirmed=False)
    client.force_login(new)
    for _ in range(3):
        client.post(
            reverse("account_email"),
            {"action_send": "", "email": "neu@example.org"},
        )
    assert [m.to for m in mail.outbox] == [["neu@example.org"]]


def test_admin_login_goes_through_the_same_limits(client: Client) -> None:
    """The admin has no password form of its own: its login sends visitors to the
    site's, so the admin cannot be used to guess around the limits."""
    staff_account("mod", "mod@example.org", PASSWORD)
    posted = client.post(
        reverse("admin:login"), {"username": "mod", "password": "guess"}
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login") + "?next=")
    assert "_auth_user_id" not in client.session
    for _ in range(settings.CUPURE_LOGIN_FAILURES_PER_ACCOUNT):
        _login(client, "mod")
    assert _login(client, "mod", PASSWORD).status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_behind_a_proxy_the_readers_address_counts(
    client: Client, reader, settings
) -> None:
    """With CUPURE_TRUSTED_PROXY_COUNT=1 the address the proxy appended is the
    one limited, so one reader's failures do not lock everyone out."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for attempt in range(settings.CUPURE_LOGIN_FAILURES_PER_ADDRESS):
        client.post(
            reverse("account_login"),
            {"login": f"someone{attempt}", "password": "x"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    blocked = client.post(
        reverse("account_login"),
        {"login": "someone-else", "password": "x"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    other_reader = client.post(
        reverse("account_login"),
        {"login": "mara", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.55",
    )
    assert blocked.status_code == 429
    assert other_reader.status_code == 302
