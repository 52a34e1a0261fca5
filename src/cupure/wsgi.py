"""WSGI entry point for production servers (``cupure serve`` runs granian on it).

Django's application is wrapped in :class:`cupure.web.pagecache.PageCacheApplication`:
pages the page cache holds are answered to anonymous readers before Django's request
cycle (see that module for what may take that path). Each serving process compiles
its templates and freezes what it has loaded before the first request
(:func:`cupure.web.server.worker_ready`).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings.prod")

django_application = get_wsgi_application()

from cupure.ops.metrics import MetricsApplication  # noqa: E402 - after setup
from cupure.web.pagecache import PageCacheApplication  # noqa: E402
from cupure.web.server import worker_ready  # noqa: E402

# Outermost: requests the page cache answers are counted too (cupure.ops.metrics).
application = MetricsApplication(PageCacheApplication(django_application))
worker_ready()
