"""Children that a test stops with Ctrl-C."""

from __future__ import annotations

import signal


def ctrl_c_restored() -> None:
    """Run in a child before it starts (``preexec_fn``): SIGINT back to its default.

    A suite started in the background of a non-interactive shell (``make test &``)
    inherits SIGINT ignored, and a Python started with SIGINT ignored never raises
    KeyboardInterrupt: the child would not stop on Ctrl-C and the test would hang,
    whatever the code under test does.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
