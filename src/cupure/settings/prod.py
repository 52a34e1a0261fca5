"""Production: fails fast when something a public site must have is missing."""

import os

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

# Cookies: HTTPS only, out of reach of scripts, not sent on cross-site posts.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# Behind a TLS-terminating proxy (nginx, Caddy…): trust its X-Forwarded-Proto to
# know a request came over HTTPS. Only set it when the proxy overwrites the header.
if _flag("CUPURE_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Send plain-HTTP visitors to HTTPS. A proxy that redirects already can say so
# (CUPURE_SSL_REDIRECT_BY_PROXY), which silences Django's reminder.
SECURE_SSL_REDIRECT = _flag("CUPURE_SSL_REDIRECT")
# Load balancers and Prometheus probe the backend itself, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
if _flag("CUPURE_SSL_REDIRECT_BY_PROXY"):
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
# HSTS: browsers refuse plain HTTP for this long once they have seen the header.
# Off by default: turn it on once HTTPS works, because it cannot be taken back.
SECURE_HSTS_SECONDS = int(os.environ.get("CUPURE_HSTS_SECONDS", "") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("CUPURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _flag("CUPURE_HSTS_PRELOAD")
