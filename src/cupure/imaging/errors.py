"""Why an image was not kept: a short stable code and a sentence for people."""

from __future__ import annotations


class ImageRefused(ValueError):
    """The bytes are not an image we will decode and serve.

    ``code`` is a stable slug (``svg``, ``html``, ``too_many_pixels``, ``truncated``…)
    for counting; ``message`` is stored on the article's image record and shown in
    ``cupure images``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
