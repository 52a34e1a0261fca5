from __future__ import annotations

from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def page_bytes():
    """Read one of our own test pages (tests/extract/pages/NAME.html) as bytes."""

    def read(name: str) -> bytes:
        return (PAGES / f"{name}.html").read_bytes()

    return read
