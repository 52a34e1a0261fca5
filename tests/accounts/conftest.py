from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user(
        username="mara", email="mara@example.org", password="a-long-passphrase-1"
    )
