"""Comment forms: validation of what the reader typed, plus the anti-bot fields.

The HTML of these forms is written in the templates (ids must be unique per reply
form on one page); these classes only validate and carry the values back.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing

from .models import ReportReason

# Signed so that a bot cannot claim the form was shown long ago.
FORM_TIMESTAMP_SALT = "cupure.comments.form-shown"
# The honeypot field's name: a plausible field bots like to fill in.
HONEYPOT_FIELD = "website"


def form_timestamp(now: float | None = None) -> str:
    """A signed token saying when a comment form was shown."""
    return signing.dumps(
        {"t": time.time() if now is None else now}, salt=FORM_TIMESTAMP_SALT
    )


def form_age(token: str, now: float | None = None) -> timedelta | None:
    """How long ago the form carrying ``token`` was shown; None if forged or absent."""
    if not token:
        return None
    try:
        shown = float(signing.loads(token, salt=FORM_TIMESTAMP_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return timedelta(seconds=max((time.time() if now is None else now) - shown, 0.0))


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        strip=False,
        # The length *check* (moderation) gives the reader-facing message; this only
        # stops absurd payloads before they reach it.
        max_length=100_000,
        widget=forms.Textarea,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Your name", required=False, max_length=80)
    shown = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(
                f"Your comment is empty: write at least "
                f"{settings.CUPURE_COMMENTS_MIN_LENGTH} characters."
            )
        return body


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Your comment", strip=False, max_length=100_000, widget=forms.Textarea
    )


class CommentReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why should a moderator look at this comment?",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Anything the moderator should know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
