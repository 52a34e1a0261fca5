"""Staff need a second factor: an authenticator app (TOTP) with recovery codes.

The admin refuses a staff account without one, whatever its password; with one,
logging in asks for a code (or a recovery code) after the password.
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from tests.accounts.factories import staff_account

pytestmark = pytest.mark.django_db


def _code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def _login(client: Client, login: str, password: str = PASSWORD):
    return client.post(
        reverse("account_login"),
        {"login": login, "password": password, "next": reverse("admin:index")},
    )


def test_admin_refuses_staff_without_a_second_factor_until_they_set_one_up(
    client: Client,
) -> None:
    staff_account("mod", "mod@example.org", PASSWORD, second_factor=False)
    assert _login(client, "mod")["Location"] == reverse("admin:index")
    assert "_auth_user_id" in client.session

    to_login = client.get(reverse("admin:index"))
    assert to_login.status_code == 302
    refused = client.get(to_login["Location"])
    assert refused.status_code == 403
    assert "Set up a second factor to use the admin" in refused.content.decode()
    queue = reverse("admin:comments_pendingcomment_changelist")
    assert client.get(queue).status_code == 302

    # Set up the app (after typing the password again): the page shows the secret
    # and its QR code; a code from the app confirms it.
    activate = reverse("mfa_activate_totp")
    asked = client.get(activate)
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(activate)
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    secret = page.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert activated.status_code == 302
    kinds = set(
        Authenticator.objects.filter(user__username="mod").values_list(
            "type", flat=True
        )
    )
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(queue).status_code == 200


def test_login_with_a_second_factor_asks_for_a_code_or_a_recovery_code(
    client: Client,
) -> None:
    user, secret = staff_account("mod", "mod@example.org", PASSWORD)
    assert secret is not None
    codes = RecoveryCodes.activate(user).get_unused_codes()

    after_password = _login(client, "mod")
    assert after_password["Location"].startswith(reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    done = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert done.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200

    # The phone is lost: a recovery code works once.
    other = Client()
    _login(other, "mod")
    assert (
        other.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    )
    assert other.get(reverse("admin:index")).status_code == 200
    third = Client()
    _login(third, "mod")
    reused = third.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "_auth_user_id" not in third.session


def test_readers_need_no_second_factor(client: Client, reader) -> None:
    assert _login(client, "mara").status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403
