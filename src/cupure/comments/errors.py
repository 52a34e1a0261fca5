"""Why a comment action was refused: one class per cause, each with a message the
reader can act on (it is shown to them as it is). ``code`` is a stable slug for tests,
logs and the JSON/fragment responses; never parse the message.
"""

from __future__ import annotations

from datetime import datetime


class CommentError(Exception):
    """Base class of every refusal by :mod:`cupure.comments.services`."""

    code = "comment_error"
    # The HTTP status a view answers with.
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class CommentRefused(CommentError):
    """A moderation check refused the comment (the reader may fix it and retry)."""

    code = "refused"

    def __init__(self, message: str, *, check: str) -> None:
        super().__init__(message)
        self.check = check


class CommentRateLimited(CommentRefused):
    """Too many comments too fast from one account or network."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, check: str, retry_at: datetime) -> None:
        super().__init__(message, check=check)
        self.retry_at = retry_at


class CommentPermissionDenied(CommentError):
    """The reader may not do this to this comment (not theirs, or not signed in)."""

    code = "permission_denied"
    status = 403


class CommentEditWindowClosed(CommentError):
    """The author's time to edit or delete the comment has passed."""

    code = "edit_window_closed"
    status = 403


class CommentAlreadyReported(CommentError):
    """The reader has reported this comment before (one report each)."""

    code = "already_reported"
    status = 409
