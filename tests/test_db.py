"""Database upkeep: SQLite gets planner statistics, so lists use the right index."""

from __future__ import annotations

import pytest
from django.db import connection

from cupure.db import database_optimize

pytestmark = pytest.mark.django_db


def test_optimize_gives_sqlite_planner_statistics() -> None:
    database_optimize()
    if connection.vendor != "sqlite":
        # PostgreSQL's autovacuum keeps statistics; nothing to do, nothing to fail.
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name='sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
