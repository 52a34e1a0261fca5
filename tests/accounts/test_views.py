"""Sign up, log in by username or email, log out by POST only, password reset and
change, email addresses: allauth's views in the site's layout, without telling
anyone which addresses have accounts."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD as READER_PASSWORD

pytestmark = pytest.mark.django_db

PASSWORD = "harbour-bridge-2026"


def _signup(client: Client, username: str, email: str, next_: str = ""):
    data = {
        "username": username,
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    if next_:
        data["next"] = next_
    return client.post(reverse("account_signup"), data)


def test_signup_creates_an_account_signs_in_and_goes_back(client: Client) -> None:
    """The new reader is signed in, sent back, and mailed a confirmation link."""
    back = "/articles/1/some-article/#comments"
    response = _signup(client, "newreader", "New@Example.org", back)
    assert response.status_code == 302
    assert response["Location"] == back
    user = get_user_model().objects.get(username="newreader")
    assert user.email == "new@example.org"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert client.session["_auth_user_id"] == str(user.pk)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (
        "new@example.org",
        True,
        False,
    )
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert mail.outbox[0].subject == "cupure: Confirm your email address"


def test_signup_shows_errors_and_refuses_offsite_next(client: Client) -> None:
    response = _signup(client, "x", "not-an-address", "https://evil.example/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    # An off-site next is carried in the form, but never followed:
    ok = _signup(client, "yara", "y@example.org", "https://evil.example/")
    assert ok["Location"] == reverse("web:home")


def test_signup_answers_the_same_for_a_known_address(client: Client, reader) -> None:
    """Signing up with an address that has an account looks exactly like signing up
    with a new one; the new account stays unconfirmed (only the address's owner can
    confirm it), so it can post nothing in that address's name."""
    known = _signup(client, "copycat", reader.email, "/about/")
    client.logout()
    unknown = _signup(client, "newcomer", "newcomer@example.org", "/about/")
    assert (known.status_code, known["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    copycat = get_user_model().objects.get(username="copycat")
    assert not EmailAddress.objects.filter(user=copycat, verified=True).exists()


def test_login_by_username_or_email_and_logout_by_post_only(
    client: Client, reader
) -> None:
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'class="site-header"' in page  # the site's layout around allauth's form
    for login in ("mara", "MARA@example.org"):
        response = client.post(
            reverse("account_login"), {"login": login, "password": READER_PASSWORD}
        )
        assert response.status_code == 302, login
        assert "_auth_user_id" in client.session
        home = client.get(reverse("web:home")).content.decode()
        assert "Signed in as" in home and ">mara</a>" in home
        assert f'action="{reverse("account_logout")}"' in home
        assert client.post(reverse("account_logout")).status_code == 302
        assert "_auth_user_id" not in client.session
    client.force_login(reader)
    # A link or an image cannot sign a reader out: GET only asks.
    client.get(reverse("account_logout"))
    assert "_auth_user_id" in client.session


def test_wrong_password_and_unknown_login_answer_the_same(
    client: Client, reader
) -> None:
    wrong = client.post(
        reverse("account_login"), {"login": "mara", "password": "wrong-password"}
    )
    unknown = client.post(
        reverse("account_login"), {"login": "nobody", "password": "wrong-password"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert "_auth_user_id" not in client.session
    message = "The username and/or password you specified are not correct."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def _reset_link(message) -> str:
    return re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body
    ).group(1)


def test_password_reset_by_email(client: Client, reader) -> None:
    """The reset mail (text and HTML) carries a one-time link that sets a new
    password."""
    response = client.post(
        reverse("account_reset_password"), {"email": "mara@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mara@example.org"]
    assert message.subject == "cupure: Reset your password"
    assert message.alternatives[0].mimetype == "text/html"
    link = _reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"password1": "new-" + PASSWORD, "password2": "new-" + PASSWORD},
    )
    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("new-" + PASSWORD)
    again = client.get(link, follow=True).content.decode()
    assert "The password reset link was invalid" in again


def test_password_reset_for_unknown_address_sends_nothing(client: Client) -> None:
    response = client.post(
        reverse("account_reset_password"), {"email": "nobody@example.org"}
    )
    assert response.status_code == 302  # same answer: no account enumeration
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []


def test_change_password_and_add_an_address(client: Client, reader) -> None:
    client.force_login(reader)
    changed = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": READER_PASSWORD,
            "password1": "another-" + PASSWORD,
            "password2": "another-" + PASSWORD,
        },
    )
    assert changed.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("another-" + PASSWORD)
    added = client.post(
        reverse("account_email"), {"action_add": "", "email": "mara@new.example"}
    )
    assert added.status_code == 302
    assert EmailAddress.objects.filter(
        user=reader, email="mara@new.example", verified=False
    ).exists()
    assert mail.outbox[-1].to == ["mara@new.example"]


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
        ("/accounts/password/reset/", ""),
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


def test_password_change_form_puts_its_help_list_in_a_div(
    client: Client, reader
) -> None:
    """allauth renders the fields of its other forms with ``as_p``: the password's
    help list (a ``<ul>``) inside a ``<p>`` is invalid HTML (found by vnu)."""
    client.force_login(reader)
    html = client.get(reverse("account_change_password")).content.decode()
    assert '<div class="helptext" id="id_password1_helptext"><ul>' in html
    assert '<span class="helptext"' not in html
