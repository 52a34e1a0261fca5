"""Where the site's processes keep their metrics; imports no prometheus-client.

prometheus-client decides once, when it is first imported, whether values live in
process memory or in files shared by every process (``PROMETHEUS_MULTIPROC_DIR``).
The ``cupure`` command sets that directory up before anything imports it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_setup(home: Path) -> None:
    """Point this process and its children at ``home``/metrics (a directory the
    environment names wins), creating it if needed."""
    directory = Path(os.environ.get(MULTIPROCESS_ENV) or home / "metrics")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        logger.warning("metrics kept per process: %s unusable (%s)", directory, error)
        os.environ.pop(MULTIPROCESS_ENV, None)
        return
    os.environ[MULTIPROCESS_ENV] = str(directory)
