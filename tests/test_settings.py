"""Settings come from CUPURE_* variables with working defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cupure.settings.base import database_from_url


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # Set by the browser tests' harness for Playwright; never in a deployment.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )


def test_prod_refuses_to_start_without_a_secret() -> None:
    result = run_python("import cupure.settings.prod")
    assert result.returncode != 0
    assert "CUPURE_SECRET_KEY is not set" in result.stderr


def test_prod_starts_with_a_secret() -> None:
    result = run_python(
        "import cupure.settings.prod as s; print(s.SECRET_KEY)",
        CUPURE_SECRET_KEY="s3cret-for-test",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "s3cret-for-test"


def test_default_database_is_sqlite_under_cupure_home(tmp_path: Path) -> None:
    config = database_from_url("", tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == tmp_path / "cupure.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    config = database_from_url("postgres://postgres@127.0.0.1:5432/news", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "news"
    assert config["HOST"] == "127.0.0.1"


def test_sqlite_file_database_runs_in_wal_mode(tmp_path: Path) -> None:
    """The default database is a file under CUPURE_HOME in WAL mode (readers never
    block the writer)."""
    code = (
        "from cupure.cli import setup_django; setup_django()\n"
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('PRAGMA journal_mode')\n"
        "print(cursor.fetchone()[0], connection.settings_dict['NAME'])\n"
    )
    result = run_python(code, CUPURE_HOME=str(tmp_path))
    assert result.returncode == 0, result.stderr
    mode, name = result.stdout.split()
    assert mode == "wal"
    assert name == str(tmp_path / "cupure.sqlite3")


def test_postgresql_waits_are_bounded() -> None:
    """A PostgreSQL URL gets a connect timeout, a statement timeout and keepalives,
    so a server that drops packets cannot hang requests and polls (issue #16)."""
    config = database_from_url("postgres://postgres@db.example:5432/cupure", Path("."))
    options = config["OPTIONS"]
    assert options["connect_timeout"] > 0
    assert "statement_timeout=" in options["options"]
    assert options["keepalives"] == 1 and options["tcp_user_timeout"] > 0
    sqlite = database_from_url("", Path("/tmp"))
    assert "busy_timeout" in sqlite["OPTIONS"]["init_command"]


# What README.md's production section tells an operator behind a TLS proxy to set.
README_PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cupure.settings.prod",
    "CUPURE_SECRET_KEY": "k" * 20 + "Q7v!pX2#mZ9@rL4$wN8^tB1&yH6*cF3(jD5)gS0-",
    "CUPURE_ALLOWED_HOSTS": "news.example.org",
    "CUPURE_BEHIND_TLS_PROXY": "1",
    "CUPURE_TRUSTED_PROXY_COUNT": "1",
    "CUPURE_SSL_REDIRECT": "1",
    "CUPURE_HSTS_SECONDS": "31536000",
    "CUPURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "CUPURE_HSTS_PRELOAD": "1",
}
DEPLOY_CHECK = (
    "import django, sys; django.setup(); from django.core.management import "
    "call_command; call_command('check', deploy=True, fail_level='WARNING')"
)


def test_check_deploy_is_clean_when_configured_as_the_readme_says(
    tmp_path: Path,
) -> None:
    result = run_python(DEPLOY_CHECK, CUPURE_HOME=str(tmp_path), **README_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_prod_cookies_are_secure_httponly_and_same_site(tmp_path: Path) -> None:
    code = (
        "import cupure.settings.prod as s; print(s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = run_python(code, CUPURE_HOME=str(tmp_path), **README_PRODUCTION)
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True", "31536000"]
    # Without the TLS switches: no redirect, no HSTS (a proxy may do both).
    plain = run_python(
        code, CUPURE_HOME=str(tmp_path), CUPURE_SECRET_KEY="s3cret-for-test"
    )
    assert plain.stdout.split()[-2:] == ["False", "0"]


PROD_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)
PRINT_PROD = (
    "import json, cupure.settings.prod as s\n"
    f"names = {PROD_SETTINGS!r}\n"
    "values = {n: getattr(s, n) for n in names}\n"
    "values['proxy'] = getattr(s, 'SECURE_PROXY_SSL_HEADER', None)\n"
    "values['silenced'] = getattr(s, 'SILENCED_SYSTEM_CHECKS', [])\n"
    "print(json.dumps(values))\n"
)


def prod_settings(tmp_path: Path, **env: str) -> dict[str, object]:
    result = run_python(
        PRINT_PROD,
        CUPURE_HOME=str(tmp_path),
        CUPURE_SECRET_KEY="s3cret-for-test",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_prod_security_settings_each_hold_without_any_switch(tmp_path: Path) -> None:
    """Issue #23: a production settings file with any of these weakened passed the
    suite. Each is what a public site needs whatever its proxy does."""
    assert prod_settings(tmp_path) == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
        # The TLS switches are off until the operator says HTTPS works.
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "proxy": None,
        "silenced": [],
    }


@pytest.mark.parametrize("on", ["1", "true", "TRUE", " yes ", "on"])
def test_prod_tls_switches_turn_on_one_by_one(tmp_path: Path, on: str) -> None:
    values = prod_settings(
        tmp_path,
        CUPURE_BEHIND_TLS_PROXY=on,
        CUPURE_SSL_REDIRECT=on,
        CUPURE_SSL_REDIRECT_BY_PROXY=on,
        CUPURE_HSTS_SECONDS="600",
        CUPURE_HSTS_INCLUDE_SUBDOMAINS=on,
        CUPURE_HSTS_PRELOAD=on,
    )
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["silenced"] == ["security.W008"]
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True


@pytest.mark.parametrize("off", ["0", "false", "no", "off", "", "maybe"])
def test_prod_tls_switches_stay_off_for_other_values(tmp_path: Path, off: str) -> None:
    values = prod_settings(
        tmp_path,
        CUPURE_BEHIND_TLS_PROXY=off,
        CUPURE_SSL_REDIRECT=off,
        CUPURE_SSL_REDIRECT_BY_PROXY=off,
        CUPURE_HSTS_INCLUDE_SUBDOMAINS=off,
        CUPURE_HSTS_PRELOAD=off,
    )
    assert values["proxy"] is None
    assert values["silenced"] == []
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False


RESPONSE_HEADERS = (
    "import django; django.setup()\n"
    "from django.core.management import call_command\n"
    "call_command('migrate', verbosity=0)\n"
    "call_command('collectstatic', interactive=False, verbosity=0)\n"
    "from django.test import Client\n"
    "client = Client(HTTP_X_FORWARDED_PROTO='https')\n"
    "plain = Client().get('/about/', HTTP_HOST='news.example.org')\n"
    "print('REDIRECT', plain.status_code, plain.headers.get('Location'))\n"
    "page = client.get('/accounts/login/', HTTP_HOST='news.example.org')\n"
    "print('STATUS', page.status_code)\n"
    "for name in ('Strict-Transport-Security', 'X-Content-Type-Options',\n"
    "             'Referrer-Policy'):\n"
    "    print('HEADER', name, page.headers.get(name))\n"
    "for c in page.cookies.values():\n"
    "    flags = bool(c['secure']), bool(c['httponly']), c['samesite']\n"
    "    print('COOKIE', c.key, *flags)\n"
)


def test_prod_responses_carry_the_security_headers_and_cookie_flags(
    tmp_path: Path,
) -> None:
    """What a browser sees from a production site configured as the README says."""
    home = str(tmp_path)
    result = run_python(RESPONSE_HEADERS, CUPURE_HOME=home, **README_PRODUCTION)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "REDIRECT 301 https://news.example.org/about/" in lines
    assert "STATUS 200" in lines
    assert (
        "HEADER Strict-Transport-Security max-age=31536000; includeSubDomains; preload"
        in lines
    )
    assert "HEADER X-Content-Type-Options nosniff" in lines
    assert "HEADER Referrer-Policy strict-origin-when-cross-origin" in lines
    assert "COOKIE csrftoken True False Lax" in lines
