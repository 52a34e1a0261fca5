"""WSGI entry point for production servers (``gunicorn cupure.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings.prod")

application = get_wsgi_application()
