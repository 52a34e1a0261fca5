"""cupure's allauth adapter: failed-login limits per account, and what confirming an
address releases.

allauth counts failed logins per client address and per *typed* login. One account
answers to its username and to its email address, in any letter case, so an
attacker typing both would get twice the guesses; here the count is kept per
account whenever the typed login names one (and per typed login otherwise, which
answers the same: nothing tells known logins from unknown ones).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.http import HttpRequest

from cupure.comments.services import comment_release_after_confirmation


def _account_for_login(login: str) -> int | None:
    """The one account a username or email address names, if exactly one."""
    users = get_user_model().objects.filter(username__iexact=login)
    ids = set(users.values_list("pk", flat=True)[:2])
    if not ids and "@" in login:
        ids = set(
            EmailAddress.objects.filter(email__iexact=login).values_list(
                "user_id", flat=True
            )[:2]
        )
        if not ids:
            ids = set(
                get_user_model()
                .objects.filter(email__iexact=login)
                .values_list("pk", flat=True)[:2]
            )
    return ids.pop() if len(ids) == 1 else None


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(
        self, request: HttpRequest, **credentials: Any
    ) -> str:
        login = str(credentials.get("email") or credentials.get("username") or "")
        account = _account_for_login(login.strip())
        if account is not None:
            return f"account:{account}"
        return f"login:{login.strip().lower()}"

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Confirm the address, then publish what waited only for it."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            comment_release_after_confirmation(user_id=email_address.user_id)
        return confirmed
