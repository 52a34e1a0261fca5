"""Settings come from CUPURE_* variables with working defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
