"""``python -m cupure`` is the ``cupure`` command."""

from cupure.cli import main

raise SystemExit(main())
