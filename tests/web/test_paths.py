"""Page paths built by formatting agree with reverse(), with and without a prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from cupure.web.paths import _pattern, page_path

CASES = [
    ("web:article", {"pk": 1, "slug": "storm-edda-hits-the-coast"}),
    ("web:article", {"pk": 987_654, "slug": "-"}),
    ("web:article", {"pk": 42, "slug": "caf\u00e9 & {braces}"}),
    ("web:story", {"pk": 30554, "slug": "crews-battle-fire"}),
    ("web:publisher", {"slug": "harbour-herald"}),
]


@pytest.mark.parametrize("prefix", ["/", "/news/"])
@pytest.mark.parametrize(("name", "parts"), CASES)
def test_page_path_is_what_reverse_returns(name: str, parts: dict, prefix: str) -> None:
    # The pattern is learnt under whichever prefix comes first: both orders.
    _pattern.cache_clear()
    set_script_prefix(prefix)
    try:
        path = page_path(name, **parts)
        assert path == reverse(name, kwargs=parts)
        assert path.startswith(prefix)
    finally:
        set_script_prefix("/")
