"""What can go wrong with search, each with a message a person can act on."""

from __future__ import annotations


class SearchError(Exception):
    """Base of every search failure."""


class SearchUnavailable(SearchError):
    """The database cannot do full-text search (wrong vendor, or SQLite lacks FTS5)."""
