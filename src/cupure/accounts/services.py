"""Writes for reader accounts: deleting one, with what becomes of its comments."""

from __future__ import annotations

import logging
from enum import StrEnum

from allauth.usersessions.models import UserSession
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cupure.comments.services import comment_author_forget

log = logging.getLogger(__name__)


class CommentsOnDelete(StrEnum):
    """What a reader deleting their account chooses for their comments."""

    # Text gone; a comment others replied to stays as "[deleted]" so replies keep
    # their place, the others disappear.
    REMOVE = "remove"
    # Text stays (replies made sense of it), signed "[deleted]" instead of the name.
    KEEP = "keep"


@transaction.atomic
def account_delete(*, user: AbstractBaseUser, comments: CommentsOnDelete) -> None:
    """Delete the account, its reports, addresses, second factors and sessions.

    Every session of the account ends, on every device. Comments are removed or
    kept without the name, as the reader chose.
    """
    user_id = user.pk
    comment_author_forget(
        user_id=user_id, remove_text=comments == CommentsOnDelete.REMOVE
    )
    for session in UserSession.objects.filter(user_id=user_id):
        session.end()
    user.delete()
    log.info("Account deleted user_id=%s comments=%s", user_id, comments.value)
