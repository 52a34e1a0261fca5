"""Browser helpers for tests in this folder (fixtures live in tests/conftest.py)."""

from tests.browser.harness import axe_violations, screenshots

__all__ = ["axe_violations", "screenshots"]
