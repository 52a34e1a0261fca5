"""The test suite: SQLite, or CUPURE_DATABASE_URL as in production."""

from .base import *  # noqa: F403
from .base import STORAGES

SECRET_KEY = "cupure-test-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
# No collectstatic in development: whitenoise serves from the apps (no root needed).
STATIC_ROOT = None
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
