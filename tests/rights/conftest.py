"""The Test Gazette on a loopback site, as the sources tests serve it."""

from tests.sources.conftest import gazette  # noqa: F401
