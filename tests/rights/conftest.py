"""The Test Gazette on a loopback site (as the sources tests serve it), and a
signed-in staff member with a second factor (the admin needs one)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import staff_account
from tests.sources.conftest import gazette  # noqa: F401


@pytest.fixture
def staff_client() -> tuple[Client, object]:
    user, _ = staff_account("editor", "editor@example.com", "not-a-real-pw")
    client = Client()
    client.force_login(user)
    return client, user
