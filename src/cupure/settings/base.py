"""Settings shared by every environment.

Everything a person running cupure may set comes from a ``CUPURE_*`` environment
variable with a working default, so ``pip install`` + one command is enough.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import jinja2

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

# Limits per request of the fetcher (unset: the safe defaults of cupure.net.fetch).
if os.environ.get("CUPURE_FETCH_TIMEOUT"):
    CUPURE_FETCH_TIMEOUT = float(os.environ["CUPURE_FETCH_TIMEOUT"])
if os.environ.get("CUPURE_FETCH_MAX_BYTES"):
    CUPURE_FETCH_MAX_BYTES = int(os.environ["CUPURE_FETCH_MAX_BYTES"])

# Adaptive polling (cupure.feeds.schedule): the shortest and longest interval between
# two polls of one feed, and the requests an hour one host gets at most from us.
CUPURE_POLL_MIN_SECONDS = float(os.environ.get("CUPURE_POLL_MIN_SECONDS", "") or 300)
CUPURE_POLL_MAX_SECONDS = float(os.environ.get("CUPURE_POLL_MAX_SECONDS", "") or 86400)
CUPURE_POLL_HOST_BUDGET = float(os.environ.get("CUPURE_POLL_HOST_BUDGET", "") or 60)

# The site's public address (https://news.example.org): hubs push new entries of the
# feeds that offer WebSub to CUPURE_PUBLIC_URL/websub/<token>. Unset: polling only.
CUPURE_PUBLIC_URL = os.environ.get("CUPURE_PUBLIC_URL", "").rstrip("/")

# Set by `cupure demo`: the footer says the publishers are fictional.
# Find each article's quotes when it is stored (off: `cupure quotes --reindex` later).
CUPURE_QUOTES_AT_INGEST = os.environ.get("CUPURE_QUOTES_AT_INGEST", "1") != "0"
CUPURE_DEMO = os.environ.get("CUPURE_DEMO", "") == "1"

# Unset: work runs in-process. A redis:// URL moves it onto Celery workers.
CUPURE_BROKER_URL = os.environ.get("CUPURE_BROKER_URL", "")

# /metrics (Prometheus): with a token, for its bearer; without, loopback only.
CUPURE_METRICS_TOKEN = os.environ.get("CUPURE_METRICS_TOKEN", "")

INSTALLED_APPS = [
    # The admin, refusing staff without a second factor (cupure.accounts.admin_site).
    "cupure.accounts.apps.CupureAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "cupure.sources",
    "cupure.articles",
    "cupure.stories",
    "cupure.trends",
    "cupure.search",
    "cupure.web",
    # Before allauth: its templates here replace allauth's (our layout, our words).
    "cupure.accounts",
    "cupure.comments",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "cupure.quotes",
    "cupure.images",
    "cupure.rights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cupure.web.middleware.ContentSecurityPolicyMiddleware",
    # /healthz, /readyz, /metrics: before the host check and the page cache.
    "cupure.ops.middleware.OperationsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed): pages without a session.
    "cupure.web.middleware.CompressAnonymousPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

# Whole reader pages are cached this long for visitors without a session (0: off).
# News changes by the minute, so the cache only absorbs bursts of readers; pages
# that depend on a cookie (signed-in readers, forms) vary on it and are not shared.
# Hits for readers who send no cookie are answered before Django's request cycle by
# cupure.wsgi (cupure.web.pagecache), from the entries these middleware store.
CUPURE_PAGE_CACHE_SECONDS = int(os.environ.get("CUPURE_PAGE_CACHE_SECONDS", "30"))
CACHE_MIDDLEWARE_SECONDS = CUPURE_PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = "page"
if CUPURE_PAGE_CACHE_SECONDS > 0:
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]

# Local memory by default; a redis:// URL shares the cache between processes.
CUPURE_CACHE_URL = os.environ.get("CUPURE_CACHE_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CUPURE_CACHE_URL,
        }
        if CUPURE_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

ROOT_URLCONF = "cupure.urls"
WSGI_APPLICATION = "cupure.wsgi.application"

# The site's pages are Jinja2 templates (each app's jinja2/ folder; see
# cupure.web.templating for why); the admin's are Django's (templates/ folders).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "cupure.web.templating.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cupure.web.context_processors.site_chrome",
            ],
            # As Django's templates: a missing variable prints nothing (the tests
            # make it an error).
            "undefined": jinja2.Undefined,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# WAL lets readers (the web) carry on while a writer (ingest) commits; IMMEDIATE
# takes the write lock up front instead of failing mid-transaction; NORMAL syncs at
# checkpoints, not at every commit (WAL keeps that safe against a crash).
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    ),
    "transaction_mode": "IMMEDIATE",
}


# A database that does not answer must not hang every request and poll (issue #16:
# 45 s and more with packets dropped). Connecting gives up after this long...
DATABASE_CONNECT_TIMEOUT_SECONDS = int(
    os.environ.get("CUPURE_DATABASE_CONNECT_TIMEOUT", "") or 5
)
# ...a statement after this long (the slowest page query takes milliseconds; a
# migration on a large database may need CUPURE_DATABASE_STATEMENT_TIMEOUT=0, off)...
DATABASE_STATEMENT_TIMEOUT_SECONDS = int(
    os.environ.get("CUPURE_DATABASE_STATEMENT_TIMEOUT", "") or 60
)
# ...and an open connection whose server went silent is dropped after this long
# (TCP keepalives and TCP_USER_TIMEOUT: without them a read waits for minutes).
DATABASE_SILENCE_TIMEOUT_SECONDS = 15


def postgresql_options() -> dict:
    """libpq options bounding every wait on a PostgreSQL server."""
    return {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT_SECONDS,
        "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000}",
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": DATABASE_SILENCE_TIMEOUT_SECONDS * 1000,
    }


def database_from_url(url: str, home: Path) -> dict:
    """The default database: SQLite (WAL) under ``home`` unless a URL is given."""
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = dict(SQLITE_OPTIONS)
        elif config["ENGINE"] == "django.db.backends.postgresql":
            config["OPTIONS"] = {**postgresql_options(), **config.get("OPTIONS", {})}
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": home / "cupure.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
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

# CUPURE_LOG_FORMAT=json: one JSON object a line, with the event's ids as fields
# (cupure.ops.logs); otherwise plain lines for a person.
CUPURE_LOG_FORMAT = os.environ.get("CUPURE_LOG_FORMAT", "plain").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"event_fields": {"()": "cupure.ops.logs.EventFields"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "cupure.ops.logs.CupureJsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if CUPURE_LOG_FORMAT == "json" else "plain",
            "filters": ["event_fields"],
        },
    },
    "loggers": {
        "cupure": {
            "handlers": ["console"],
            "level": os.environ.get("CUPURE_LOG_LEVEL", "WARNING"),
        },
        # A request that fails (a database refusing connections) is logged, not
        # only answered 500 (issue #16: nothing was logged). Django's own default
        # sends these to the admins' mail only.
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}


# --- comments and accounts ----------------------------------------------------------
# (cupure.comments, cupure.accounts; issue #8.) Each CUPURE_* variable is one a site
# owner may want to change; the defaults suit a small public site.


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


# Anonymous readers may comment under a name; their comments always wait for a
# moderator (no account to ban, no history to trust).
CUPURE_COMMENTS_ALLOW_ANONYMOUS = _env_flag("CUPURE_COMMENTS_ALLOW_ANONYMOUS", False)
# Authors may fix a typo this long after posting; later edits would change what
# replies answered.
CUPURE_COMMENTS_EDIT_MINUTES = _env_int("CUPURE_COMMENTS_EDIT_MINUTES", 15)
# Replies nest this deep (0 = top level); a reply deeper joins its parent's level:
# long reply chains are two people arguing, and narrow columns are unreadable on phones.
CUPURE_COMMENTS_MAX_DEPTH = _env_int("CUPURE_COMMENTS_MAX_DEPTH", 6)
CUPURE_COMMENTS_MIN_LENGTH = _env_int("CUPURE_COMMENTS_MIN_LENGTH", 2)
# About two screens of text on a phone: longer is an essay, or a paste.
CUPURE_COMMENTS_MAX_LENGTH = _env_int("CUPURE_COMMENTS_MAX_LENGTH", 5000)
# More links than this and the comment waits for a moderator: link spam's signature.
CUPURE_COMMENTS_MAX_LINKS = _env_int("CUPURE_COMMENTS_MAX_LINKS", 2)
# A person reads and types for longer than this; a form posted faster is a bot's.
CUPURE_COMMENTS_MIN_FORM_SECONDS = _env_int("CUPURE_COMMENTS_MIN_FORM_SECONDS", 3)
# An account's first N comments wait for a moderator (0: publish at once). Spam
# accounts are new accounts; one approved comment is enough trust.
CUPURE_COMMENTS_PREMODERATE_FIRST = _env_int("CUPURE_COMMENTS_PREMODERATE_FIRST", 1)
# The same text again from the same account or network within this many hours is
# refused as a repeat (a double-click, or a spammer pasting).
CUPURE_COMMENTS_REPEAT_HOURS = _env_int("CUPURE_COMMENTS_REPEAT_HOURS", 24)
# Comments close this many days after the article was published (0: never).
CUPURE_COMMENTS_CLOSE_AFTER_DAYS = _env_int("CUPURE_COMMENTS_CLOSE_AFTER_DAYS", 0)
# A published comment this many readers report goes back to the moderation queue.
CUPURE_COMMENTS_REPORTS_TO_HOLD = _env_int("CUPURE_COMMENTS_REPORTS_TO_HOLD", 3)
# A moderation check slower than this sends the comment to the queue.
CUPURE_COMMENTS_CHECK_SECONDS = float(
    os.environ.get("CUPURE_COMMENTS_CHECK_SECONDS", "") or 2.0
)
# Rate limits, as (window seconds, comments allowed in it). A person posts two
# comments a minute at most in a lively thread; networks get more, because a
# household or an office shares one.
CUPURE_COMMENTS_RATE_LIMITS_ACCOUNT = [
    (60, _env_int("CUPURE_COMMENTS_PER_MINUTE", 2)),
    (3600, _env_int("CUPURE_COMMENTS_PER_HOUR", 20)),
]
CUPURE_COMMENTS_RATE_LIMITS_NETWORK = [
    (60, _env_int("CUPURE_COMMENTS_NETWORK_PER_MINUTE", 6)),
    (3600, _env_int("CUPURE_COMMENTS_NETWORK_PER_HOUR", 60)),
]

# Readers choose their own passwords: refuse the short, the common and the obvious.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- reader accounts (django-allauth; issue #21) --------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    # Log in by username or email, with allauth's rate limits and login stages (MFA).
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
ACCOUNT_ADAPTER = "cupure.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "login": "cupure.accounts.forms.LoginForm",
    "signup": "cupure.accounts.forms.SignupForm",
}
# A new account may sign in at once; what it posts waits until its address is
# confirmed (cupure.comments.moderation.check_email_confirmed).
ACCOUNT_EMAIL_VERIFICATION = "optional"
# "strict": signing up with an address another account already uses answers exactly
# as for a new address (a second, unconfirmed account; only the address's owner can
# confirm it), so sign-up, login and password reset tell nobody which addresses have
# accounts. True would refuse the sign-up with "already registered".
ACCOUNT_PREVENT_ENUMERATION = "strict"
# A reset asked for an address with no account sends nothing (and answers the same).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# The link in a confirmation mail opens a page with a button: mail scanners that
# follow links must not confirm an address nobody read.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "cupure: "
ACCOUNT_LOGOUT_REDIRECT_URL = "web:home"
ACCOUNT_USERNAME_MIN_LENGTH = 2
# Seconds before another confirmation mail may go to the same address.
EMAIL_CONFIRMATION_COOLDOWN_SECONDS = 180

# Failed logins: per account (whatever name or address was typed for it, see
# cupure.accounts.adapter) and per client address (IPv6: per /64). These two
# numbers are the guess budget README.md states: an attacker gets at most
# CUPURE_LOGIN_FAILURES_PER_ACCOUNT guesses per 15 minutes against one account
# (4x that an hour, from any number of addresses), and one address at most
# CUPURE_LOGIN_FAILURES_PER_ADDRESS guesses an hour against all accounts together.
CUPURE_LOGIN_FAILURES_PER_ACCOUNT = _env_int("CUPURE_LOGIN_FAILURES_PER_ACCOUNT", 5)
CUPURE_LOGIN_FAILURES_PER_ADDRESS = _env_int("CUPURE_LOGIN_FAILURES_PER_ADDRESS", 20)
# The per-address limits need the client's address. Behind N proxies that each
# append to X-Forwarded-For, set CUPURE_TRUSTED_PROXY_COUNT=N; left at 0 every
# visitor would share the proxy's address (and its budget). Never set it without a
# proxy that overwrites the header: anyone could then pick their address.
ALLAUTH_TRUSTED_PROXY_COUNT = _env_int("CUPURE_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{CUPURE_LOGIN_FAILURES_PER_ADDRESS}/h/ip,"
        f"{CUPURE_LOGIN_FAILURES_PER_ACCOUNT}/15m/key"
    ),
    # Sign-ups from one address: a family or an office, not a script.
    "signup": "10/h/ip",
    # Reset mails: few per address asked for (each is a mail to someone's inbox).
    "reset_password": "10/h/ip,3/h/key",
    "reset_password_from_key": "20/h/ip",
    # One confirmation mail per address per cooldown.
    "confirm_email": f"1/{EMAIL_CONFIRMATION_COOLDOWN_SECONDS}s/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# An account must confirm its email address before it may post at all (otherwise
# its comments are held for moderation, with a notice, until it does).
CUPURE_ACCOUNTS_CONFIRM_BEFORE_POSTING = _env_flag(
    "CUPURE_ACCOUNTS_CONFIRM_BEFORE_POSTING", False
)
# Second factor: an app's codes (TOTP) plus one-time recovery codes. Required for
# staff (cupure.accounts.admin_site); readers may turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "cupure"
# Messages ("Confirmation mail sent to ...") live in the session, so a page showing
# one varies on the session cookie and is never shared by the page cache.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Password-reset mail: printed on the console unless a site owner configures SMTP
# (CUPURE_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend + EMAIL_* below)
# or the file backend (…filebased.EmailBackend, written under CUPURE_HOME/mail).
EMAIL_BACKEND = os.environ.get(
    "CUPURE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = CUPURE_HOME / "mail"
EMAIL_HOST = os.environ.get("CUPURE_EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("CUPURE_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("CUPURE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CUPURE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_flag("CUPURE_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("CUPURE_EMAIL_FROM", "cupure <noreply@localhost>")

# --- images (cupure.images; issue #17) ------------------------------------------------
# Ingest fetches the images articles show and serves WebP renditions from this site;
# off, articles show no images (they are never hot-linked from publishers).
CUPURE_IMAGES = _env_flag("CUPURE_IMAGES", True)
# Per-image limits: bytes fetched (after decompression) and pixels decoded.
CUPURE_IMAGE_MAX_BYTES = _env_int("CUPURE_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
CUPURE_IMAGE_MAX_PIXELS = _env_int("CUPURE_IMAGE_MAX_PIXELS", 40_000_000)
# Without a broker, threads of the ingesting process that fetch images while ingest
# goes on (0: the ingesting thread fetches them itself and waits).
CUPURE_IMAGE_THREADS = _env_int("CUPURE_IMAGE_THREADS", 2)
# Renditions are files under CUPURE_HOME/media served at /media/ by default, or
# objects in an S3-compatible bucket when CUPURE_S3_BUCKET is set.
MEDIA_ROOT = CUPURE_HOME / "media"
MEDIA_URL = os.environ.get("CUPURE_MEDIA_URL", "") or "/media/"
CUPURE_S3_BUCKET = os.environ.get("CUPURE_S3_BUCKET", "")


def image_storage(bucket: str) -> dict:
    """The storage of image renditions: S3 (django-storages) when a bucket is
    named, the file system under MEDIA_ROOT otherwise. Names are content hashes,
    so a file never changes: it is written once and cached for a year."""
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"allow_overwrite": True},
        }
    custom_domain = os.environ.get("CUPURE_S3_CUSTOM_DOMAIN", "")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("CUPURE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("CUPURE_S3_REGION") or None,
            "access_key": os.environ.get("CUPURE_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("CUPURE_S3_SECRET_KEY") or None,
            "custom_domain": custom_domain or None,
            # Public, stable URLs: signed ones would change on every page.
            "querystring_auth": False,
            "default_acl": os.environ.get("CUPURE_S3_ACL", "public-read") or None,
            "file_overwrite": True,
            "object_parameters": {
                "CacheControl": "public, max-age=31536000, immutable",
                "ContentType": "image/webp",
            },
        },
    }


STORAGES["default"] = image_storage(CUPURE_S3_BUCKET)
