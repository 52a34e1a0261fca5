"""Reads for reader accounts: confirmed addresses, second factors, a reader's data."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import AbstractBaseUser

from cupure.comments.selectors import comment_data_for_author


def account_email_confirmed(*, user_id: int) -> bool:
    """Whether the account has confirmed (verified) at least one email address."""
    return EmailAddress.objects.filter(user_id=user_id, verified=True).exists()


def account_has_second_factor(*, user: AbstractBaseUser | Any) -> bool:
    """Whether the account has an authenticator app (TOTP) set up."""
    return bool(user.is_authenticated) and is_mfa_enabled(user, types=["totp"])


def account_needs_second_factor(*, user: AbstractBaseUser | Any) -> bool:
    """Staff (moderators, operators) must have a second factor to use the admin."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def account_data_export(*, user: AbstractBaseUser | Any) -> dict[str, Any]:
    """Everything the site keeps about a reader, as JSON-ready data."""
    addresses = EmailAddress.objects.filter(user=user).order_by("email")
    comments, reports = comment_data_for_author(user_id=user.pk)
    return {
        "profile": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in addresses
            ],
            "second_factor": account_has_second_factor(user=user),
        },
        "comments": comments,
        "reports": reports,
    }
