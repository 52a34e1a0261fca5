from __future__ import annotations

import pytest

from tests.accounts.factories import reader_account

PASSWORD = "a-long-passphrase-1"


@pytest.fixture
def reader(db):
    return reader_account("mara", "mara@example.org", PASSWORD)
