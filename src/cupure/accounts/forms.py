"""allauth's sign-up form, in the site's words."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = (
            "Never shown. We send a link to confirm it, and password resets."
        )
        email.widget.attrs.pop("placeholder", None)
        self.fields["username"].help_text = "Shown with your comments."
        self.fields["username"].widget.attrs.pop("placeholder", None)


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Username or email address"
        login.widget.attrs.pop("placeholder", None)
        # Password managers fill in the account's name here, whichever it is.
        login.widget.attrs["autocomplete"] = "username"
        password = self.fields["password"]
        password.widget.attrs.pop("placeholder", None)
        # The page links "Forgot your password?" below the form already.
        password.help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Stay signed in on this device"
