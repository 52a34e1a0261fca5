"""Production: fails fast when something a public site must have is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "CUPURE_SECRET_KEY is not set. Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
        "and export it before starting cupure."
    )

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
