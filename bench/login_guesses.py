"""How many password guesses an attacker gets in an hour (issue #21).

Drives the real login view (allauth behind cupure's adapter, production settings)
with Django's test client for one simulated hour: a guess every ``--every`` seconds,
the rate limiter's clock moved forward between guesses instead of sleeping. A guess
*counts* when the password was actually checked (the form said "not correct"); a
refused one was answered 429 without looking at the password.

Scenarios: one address against one account; a new address for every guess (a
botnet) against one account; one address against a new account name every guess;
one address alternating the account's username and email address.

    .venv/bin/python bench/login_guesses.py [--every 10] [--write]

``--write`` replaces the "## Login guesses" section of bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    BENCH_HOME,
    command_line,
    django_setup,
    machine_line,
    sqlite_url,
    table,
    write_section,
)

HOUR = 3600
PASSWORD = "the-real-passphrase-2026"  # noqa: S105 - a throwaway bench account
NOT_CORRECT = "are not correct"


class Clock:
    """The rate limiter's idea of now, moved by the benchmark."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


def _scenario(name: str, every: float, clock: Clock, attempt) -> dict:
    from django.core.cache import cache

    cache.clear()
    checked = refused = 0
    started = clock.now
    for number in range(int(HOUR // every)):
        clock.now = started + number * every
        status, body = attempt(number)
        if status == 429:
            refused += 1
        elif NOT_CORRECT in body:
            checked += 1
        else:
            raise RuntimeError(f"{name}: unexpected answer {status}")
    return {"scenario": name, "tries": checked + refused, "checked": checked}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=10.0, help="seconds per guess")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)

    home = BENCH_HOME / "login-guesses"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ["CUPURE_ALLOWED_HOSTS"] = "testserver"
    os.environ["CUPURE_PAGE_CACHE_SECONDS"] = "0"
    django_setup(sqlite_url(home / "cupure.sqlite3"))

    import allauth.core.internal.ratelimit as allauth_ratelimit
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    # Production settings serve hashed static files: the pages need the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    user = get_user_model().objects.create_user(
        username="mara", email="mara@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(
        user=user, email="mara@example.org", primary=True, verified=True
    )
    clock = Clock()
    allauth_ratelimit.time = SimpleNamespace(  # type: ignore[assignment]
        time=clock.time, monotonic=time.monotonic, sleep=time.sleep
    )
    client = Client()

    def guess(login: str, address: str):
        response = client.post(
            "/accounts/login/",
            {"login": login, "password": "a-wrong-guess"},
            REMOTE_ADDR=address,
        )
        return response.status_code, response.content.decode()

    every = args.every
    results = [
        _scenario(
            "one address, one account",
            every,
            clock,
            lambda n: guess("mara", "198.51.100.7"),
        ),
        _scenario(
            "a new address every guess, one account",
            every,
            clock,
            lambda n: guess(
                "mara", f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            ),
        ),
        _scenario(
            "one address, a new account name every guess",
            every,
            clock,
            lambda n: guess(f"reader{n}", "198.51.100.8"),
        ),
        _scenario(
            "one address, username and email address in turn",
            every,
            clock,
            lambda n: guess(("mara", "MARA@example.org")[n % 2], "198.51.100.9"),
        ),
    ]
    limits = settings.ACCOUNT_RATE_LIMITS["login_failed"]
    per_address = settings.CUPURE_LOGIN_FAILURES_PER_ADDRESS
    per_account = settings.CUPURE_LOGIN_FAILURES_PER_ACCOUNT
    body = "\n".join(
        [
            f"`{command_line('login_guesses.py', argv)}` — {machine_line()}",
            "",
            f"One simulated hour, a guess every {every:g} s, against the login "
            f"(`ACCOUNT_RATE_LIMITS['login_failed'] = \"{limits}\"`: "
            f"CUPURE_LOGIN_FAILURES_PER_ADDRESS={per_address} an hour, "
            f"CUPURE_LOGIN_FAILURES_PER_ACCOUNT={per_account} per 15 minutes). "
            "*Checked*: guesses whose password was tried; the rest were answered 429.",
            "",
            table(
                ["scenario", "tries", "passwords checked in the hour"],
                [(r["scenario"], r["tries"], r["checked"]) for r in results],
            ),
            "",
            "The limits live in the cache: with several server processes, point "
            "`CUPURE_CACHE_URL` at Redis so they share one count (with the default "
            "local-memory cache each process counts alone, multiplying the budget by "
            "the number of processes). Refused tries count against the address "
            "too: one address hammering one account is held to the account's first "
            f"{per_account} guesses for the hour; a botnet gets {per_account} per 15 "
            "minutes against any one account.",
        ]
    )
    print(body)
    if args.write:
        write_section("Login guesses", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
