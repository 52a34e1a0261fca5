"""Reader account pages of our own; allauth's views do sign-up, login and the rest.

``login`` is allauth's login, answering 429 when failed logins hit their limit
(allauth answers 200 with the form's error). ``home`` links every account page;
``data_export`` hands a reader everything kept about them as JSON;
``delete`` deletes the account after a confirmation with the password.
"""

from __future__ import annotations

import json

from allauth.account import views as allauth_views
from allauth.core import ratelimit
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from .selectors import account_data_export, account_email_confirmed
from .services import CommentsOnDelete, account_delete

# allauth's error code when failed logins hit ACCOUNT_RATE_LIMITS["login_failed"].
LOGIN_RATE_LIMITED = "too_many_login_attempts"
# The shortest window of the failed-login limits (settings.ACCOUNT_RATE_LIMITS):
# asking again sooner is refused for sure.
LOGIN_RETRY_AFTER_SECONDS = 15 * 60


class LoginView(allauth_views.LoginView):
    def form_invalid(self, form: forms.Form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code=LOGIN_RATE_LIMITED):
            response.status_code = 429
            response["Retry-After"] = str(LOGIN_RETRY_AFTER_SECONDS)
        return response


login = LoginView.as_view()


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {"email_confirmed": account_email_confirmed(user_id=request.user.pk)},
    )


@login_required
@require_GET
def data_export(request: HttpRequest) -> HttpResponse:
    """Profile, comments and reports, as a JSON file to download."""
    data = account_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    name = f"cupure-{request.user.get_username()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class DeleteAccountForm(forms.Form):
    comments = forms.ChoiceField(
        label="Your comments",
        choices=[
            (
                CommentsOnDelete.REMOVE.value,
                "Remove them (a comment others replied to shows “[deleted]”)",
            ),
            (
                CommentsOnDelete.KEEP.value,
                "Keep them, signed “[deleted]” instead of my name",
            ),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label="Your password, to confirm",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):  # type: ignore[attr-defined]
            raise forms.ValidationError("That is not your password.")
        return password


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after a confirmation; every session ends."""
    if request.method == "POST":
        # The password field must not become a way to guess it from a stolen
        # session: it counts with allauth's other re-authentications.
        refused = ratelimit.consume_or_429(
            request, action="reauthenticate", user=request.user
        )
        if refused is not None:
            return refused
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(
            user=request.user,
            comments=CommentsOnDelete(form.cleaned_data["comments"]),
        )
        logout(request)
        return render(request, "accounts/deleted.html")
    return render(
        request,
        "accounts/delete.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
