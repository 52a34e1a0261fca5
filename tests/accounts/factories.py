"""Accounts as the site makes them: a confirmed address, and staff with a TOTP app."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model


def reader_account(username: str, email: str, password: str, *, confirmed: bool = True):
    """A reader whose email address is (or is not yet) confirmed."""
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password
    )
    EmailAddress.objects.create(
        user=user, email=email.lower(), primary=True, verified=confirmed
    )
    return user


def staff_account(username: str, email: str, password: str, *, second_factor=True):
    """A superuser, with an authenticator app set up unless told otherwise.

    Returns ``(user, totp_secret)`` (the secret is None without a second factor).
    """
    user = get_user_model().objects.create_superuser(
        username=username, email=email, password=password
    )
    EmailAddress.objects.create(
        user=user, email=email.lower(), primary=True, verified=True
    )
    secret = None
    if second_factor:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    return user, secret
