"""Paths of reader pages without ``reverse()`` for every card.

A page links dozens of articles and stories, and ``reverse()`` costs tens of
microseconds a call: 35-50% of a story page's render went to it. The pattern is still
urls.py's: ``reverse()`` itself is asked once per URL name, with marker values, and
the answer is filled in by string formatting after that. The script prefix (a site
served under a sub-path) is added per call, as ``reverse()`` does.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.http import RFC3986_SUBDELIMS

# Marker values reverse() accepts for int and str parts, unlikely in a real path.
INT_MARKER = 987_654_321_012
STR_MARKER = "cupure-path-marker"
# What reverse() leaves unquoted in a path part.
SAFE_CHARS = RFC3986_SUBDELIMS + "/~:@"


@cache
def _pattern(name: str, parts: tuple[tuple[str, bool], ...]) -> str:
    """The path of ``name`` without the script prefix, with ``{part}`` fields."""
    markers = {
        part: INT_MARKER + index if is_int else f"{STR_MARKER}-{index}"
        for index, (part, is_int) in enumerate(parts)
    }
    path = reverse(name, kwargs=markers)
    prefix = get_script_prefix()
    if path.startswith(prefix):
        path = path[len(prefix) :]
    path = path.replace("{", "{{").replace("}", "}}")
    for part, marker in markers.items():
        path = path.replace(str(marker), "{" + part + "}", 1)
    return path


def page_path(name: str, **parts: int | str) -> str:
    """What ``reverse(name, kwargs=parts)`` returns, for int and str parts that the
    URL pattern accepts (model ids, slugs)."""
    pattern = _pattern(
        name, tuple((key, isinstance(value, int)) for key, value in parts.items())
    )
    values = {
        key: value if isinstance(value, int) else quote(value, safe=SAFE_CHARS)
        for key, value in parts.items()
    }
    return get_script_prefix() + pattern.format(**values)
