"""Running cupure on one's own machine: ``cupure demo``, ``cupure run``."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, STORAGES

# A fixed key is fine for a site that only listens on loopback; prod refuses it.
SECRET_KEY = SECRET_KEY or "cupure-dev-key-not-for-production"
DEBUG = False
# Serve static files straight from the apps: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
# No collectstatic in development: whitenoise serves from the apps (no root needed).
STATIC_ROOT = None
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
