"""The admin, entered only through the reader login and only with a second factor.

Django's admin has its own login form, which knows nothing of allauth's rate limits
or login stages: twelve wrong passwords in a row were all answered 200 (issue #21).
Here the admin's login page sends the visitor to the site's login (the same limits,
the same second-factor stage) and back, and the admin refuses staff accounts that
have not set up a second factor: moderators' and operators' passwords are the keys
to everyone's comments.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import urlencode

from .selectors import account_has_second_factor


class CupureAdminSite(admin.AdminSite):
    site_header = "cupure administration"
    site_title = "cupure admin"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and account_has_second_factor(
            user=request.user
        )

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Never a password form of its own: the site's login, then the checks."""
        user = request.user
        if not user.is_authenticated:
            target = request.GET.get(REDIRECT_FIELD_NAME) or resolve_url("admin:index")
            query = urlencode({REDIRECT_FIELD_NAME: target})
            return HttpResponseRedirect(f"{resolve_url('account_login')}?{query}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("This account cannot use the admin.")
        if not account_has_second_factor(user=user):
            return render(
                request, "accounts/admin_needs_second_factor.html", status=403
            )
        return HttpResponseRedirect(
            request.GET.get(REDIRECT_FIELD_NAME) or resolve_url("admin:index")
        )
