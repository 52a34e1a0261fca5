"""cupure.net.caching: Retry-After and freshness from response headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from cupure.net.caching import (
    CACHE_LIFETIME_MAX_SECONDS,
    RETRY_AFTER_MAX_SECONDS,
    cache_lifetime,
    parse_retry_after,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        (http_date(NOW + timedelta(minutes=5)), 300.0),
        (http_date(NOW - timedelta(minutes=5)), 0.0),  # a date in the past: now
        ("Sunday, 01-Mar-26 12:01:00 GMT", 60.0),  # obsolete RFC 850 form
        ("Sun Mar  1 12:02:00 2026", 120.0),  # asctime form
        ("999999999", RETRY_AFTER_MAX_SECONDS),  # capped
        ("soon", None),
        ("-5", None),
        ("1.5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_forms(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_max_age_wins_over_expires() -> None:
    headers = {
        "cache-control": "public, max-age=600",
        "expires": http_date(NOW + timedelta(hours=2)),
    }
    assert cache_lifetime(headers, NOW) == 600.0


def test_expires_is_measured_from_the_servers_date() -> None:
    """Clock skew does not matter: Expires minus the server's Date header."""
    server_now = NOW - timedelta(hours=3)
    headers = {
        "date": http_date(server_now),
        "expires": http_date(server_now + timedelta(minutes=30)),
    }
    assert cache_lifetime(headers, NOW) == 1800.0
    assert cache_lifetime({"expires": http_date(NOW + timedelta(seconds=90))}, NOW) == (
        90.0
    )


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"cache-control": "no-cache"}, 0.0),
        ({"cache-control": "private, no-store"}, 0.0),
        ({"cache-control": "max-age=abc"}, None),
        ({"expires": "0"}, 0.0),  # invalid Expires means already expired
        ({"expires": http_date(NOW - timedelta(days=1))}, 0.0),
        ({"cache-control": "max-age=99999999"}, CACHE_LIFETIME_MAX_SECONDS),
        ({"cache-control": 's-maxage=10, max-age="60"'}, 60.0),
    ],
)
def test_cache_lifetime_edge_cases(
    headers: dict[str, str], expected: float | None
) -> None:
    assert cache_lifetime(headers, NOW) == expected
