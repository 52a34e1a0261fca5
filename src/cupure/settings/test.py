"""The test suite: SQLite, or CUPURE_DATABASE_URL as in production."""

import atexit
import shutil
import tempfile
from pathlib import Path

from jinja2 import StrictUndefined

from cupure.web.template_guard import refuse_python_reprs

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES, TEMPLATES

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

# Image renditions of a test run go to a scratch folder, never under ./var.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cupure-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
# Tests read the images ingest stored as soon as it returns: made in the ingesting
# thread. tests/images/test_background.py turns the threads on (and drains them).
CUPURE_IMAGE_THREADS = 0

# Tests read what they just wrote: no page cache (its own test switches it on).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("django.middleware.cache.")]
CACHE_MIDDLEWARE_SECONDS = 0

# A template naming a variable nobody passed fails its test, not prints nothing; one
# printing a method, a model instance or a QuerySet fails too, not prints its repr
# (issue #15: every page's nav printed "<bound method Trend.explain ...>").
_pages, *_others = TEMPLATES
TEMPLATES = [
    {
        **_pages,
        "OPTIONS": {
            **_pages["OPTIONS"],
            "undefined": StrictUndefined,
            "finalize": refuse_python_reprs,
        },
    },
    *_others,
]
