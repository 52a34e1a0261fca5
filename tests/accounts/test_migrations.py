"""Accounts made before allauth keep working after the migrations (issue #21)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

# Before allauth: none of its apps, nor our data migration.
BEFORE = [
    ("accounts", None),
    ("usersessions", None),
    ("mfa", None),
    ("account", None),
]
OLD_PASSWORD = "an-old-passphrase-2025"


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_an_account_made_before_allauth_logs_in_after_the_migrations() -> None:
    """A reader stored by Django's auth alone (password hash, address on the user)
    gets one unconfirmed primary address row and logs in by name or address."""
    executor = _migrate(BEFORE)
    old_apps = executor.loader.project_state(
        [("auth", "0012_alter_user_first_name_max_length")]
    ).apps
    User = old_apps.get_model("auth", "User")
    User.objects.create(
        username="olga",
        email="Olga@Example.org",
        password=make_password(OLD_PASSWORD),
    )
    User.objects.create(username="noaddress", password=make_password(OLD_PASSWORD))

    executor = _migrate(executor.loader.graph.leaf_nodes())

    from allauth.account.models import EmailAddress

    row = EmailAddress.objects.get()
    assert (row.user.username, row.email, row.primary, row.verified) == (
        "olga",
        "olga@example.org",
        True,
        False,
    )
    for login in ("olga", "olga@example.org", "noaddress"):
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": login, "password": OLD_PASSWORD}
        )
        assert response.status_code == 302, login
        assert "_auth_user_id" in client.session
