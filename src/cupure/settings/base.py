"""Settings shared by every environment.

Everything a person running cupure may set comes from a ``CUPURE_*`` environment
variable with a working default, so ``pip install`` + one command is enough.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Where the SQLite database, logs and media live when nothing else is configured.
CUPURE_HOME = Path(os.environ.get("CUPURE_HOME", "var")).resolve()

SECRET_KEY = os.environ.get("CUPURE_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("CUPURE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

# Networks the fetcher may reach although they are internal (loopback, private…).
# Empty by default: every address a feed names is hostile until checked.
CUPURE_FETCH_ALLOW_PRIVATE = os.environ.get("CUPURE_FETCH_ALLOW_PRIVATE", "")

# Unset: work runs in-process. A redis:// URL moves it onto Celery workers.
CUPURE_BROKER_URL = os.environ.get("CUPURE_BROKER_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "cupure.sources",
    "cupure.articles",
    "cupure.stories",
    "cupure.trends",
    "cupure.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cupure.urls"
WSGI_APPLICATION = "cupure.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cupure.web.context_processors.site_chrome",
            ],
        },
    },
]


def database_from_url(url: str, home: Path) -> dict:
    """The default database: SQLite (WAL) under ``home`` unless a URL is given."""
    if url:
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": home / "cupure.sqlite3",
        "OPTIONS": {
            # WAL lets readers (the web) carry on while a writer (ingest) commits;
            # IMMEDIATE takes the write lock up front, not failing mid-transaction.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


DATABASES = {
    "default": database_from_url(os.environ.get("CUPURE_DATABASE_URL", ""), CUPURE_HOME)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = CUPURE_HOME / "static"
STORAGES = {
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        "cupure": {
            "handlers": ["console"],
            "level": os.environ.get("CUPURE_LOG_LEVEL", "WARNING"),
        },
    },
}
