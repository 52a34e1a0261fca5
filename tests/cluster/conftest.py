"""Shared fixtures of the clustering tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cupure.cluster import stories


@pytest.fixture(autouse=True)
def _empty_word_memo() -> Iterator[None]:
    """Each test starts with an empty word memo of ``cluster.stories``, so every
    test counts its words through the memo's filling path too, not only the one
    that happened to run first (the memo is module state)."""
    stories._word_memo.clear()
    yield
    stories._word_memo.clear()
