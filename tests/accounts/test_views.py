"""Sign up, log in, log out by POST only, password reset by email."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "harbour-bridge-2026"


def test_signup_creates_an_account_signs_in_and_goes_back(client: Client) -> None:
    back = "/articles/1/some-article/#comments"
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newreader",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": back,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == back
    user = get_user_model().objects.get(username="newreader")
    assert user.email == "new@example.org"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_refuses_offsite_next_and_shows_errors(client: Client, reader) -> None:
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "x",
            "email": reader.email,
            "password1": "a",
            "password2": "b",
            "next": "https://evil.example/",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "already uses this address" in html
    assert "evil.example" not in html
    ok = client.post(
        reverse("accounts:signup"),
        {
            "username": "y",
            "email": "y@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert ok["Location"] == reverse("web:home")


def test_login_and_logout_by_post_only(client: Client, reader) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    response = client.post(
        reverse("accounts:login"),
        {"username": "mara", "password": "a-long-passphrase-1"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    home = client.get(reverse("web:home")).content.decode()
    assert "Signed in as mara" in home
    assert f'action="{reverse("accounts:logout")}"' in home
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(client: Client, reader) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "mara", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "correct username and password" in response.content.decode()


def test_password_reset_by_email(client: Client, reader) -> None:
    """The reset mail carries a one-time link that sets a new password."""
    response = client.post(
        reverse("accounts:password_reset"), {"email": "mara@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mara@example.org"]
    assert message.subject == "Reset your cupure password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "new-" + PASSWORD, "new_password2": "new-" + PASSWORD},
    )
    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("new-" + PASSWORD)
    assert "expired" in client.get(link, follow=True).content.decode()


def test_password_reset_for_unknown_address_sends_nothing(client: Client) -> None:
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.org"}
    )
    assert response.status_code == 302  # same answer: no account enumeration
    assert mail.outbox == []


def _header_links(html: str) -> dict[str, str]:
    """The account nav's links, by their text."""
    nav = html.split('class="account-nav"', 1)[1].split("</nav>", 1)[0]
    return {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav)
    }


@pytest.mark.parametrize(
    ("path", "expected_next"),
    [
        ("/accounts/login/?next=/stories/7/", "?next=/stories/7/"),
        ("/accounts/login/", ""),
        ("/accounts/signup/?next=/about/", "?next=/about/"),
        ("/accounts/password-reset/", ""),
        ("/accounts/login/?next=https://evil.example/", ""),
    ],
)
def test_account_pages_do_not_send_the_reader_back_to_themselves(
    client: Client, path: str, expected_next: str
) -> None:
    """On the login page the header's "Log in" link keeps the page's own ``next``
    rather than nesting the login page in it (issue #15)."""
    links = _header_links(client.get(path).content.decode())

    assert links["Log in"] == f"/accounts/login/{expected_next}"
    assert links["Sign up"] == f"/accounts/signup/{expected_next}"


def test_other_pages_send_the_reader_back_to_where_they_were(client: Client) -> None:
    links = _header_links(client.get("/about/?x=1").content.decode())

    assert links["Log in"] == "/accounts/login/?next=/about/%3Fx%3D1"
