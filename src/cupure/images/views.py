"""Serving renditions from the file system (S3 serves its own)."""

from __future__ import annotations

import re

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from django.views.static import serve

# Only rendition names (cupure.imaging.rendition_name): nothing else under the
# media folder, and no path tricks, can be asked for.
RENDITION_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{30}-[0-9]{1,5}\.webp")
# A name never changes its content (it is a hash of it): cache it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


@require_GET
def media(request: HttpRequest, name: str) -> HttpResponse:
    """One rendition file, with headers that let browsers keep it for good."""
    if not RENDITION_NAME.fullmatch(name) or not isinstance(
        default_storage, FileSystemStorage
    ):
        raise Http404("No such image.")
    response = serve(request, name, document_root=default_storage.location)
    response["Content-Type"] = "image/webp"
    response["Cache-Control"] = IMMUTABLE
    response["X-Content-Type-Options"] = "nosniff"
    return response
