"""A local time zone other than UTC, for tests of code that must not depend on it.

Servers run with all sorts of local zones; a date read or computed in the machine's
zone instead of UTC is a bug these tests catch (the suite otherwise runs in UTC,
where the two agree).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def local_time_zone(name: str = "America/New_York") -> Iterator[None]:
    """The process's local zone is ``name`` (TZ and tzset) inside the block."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()
