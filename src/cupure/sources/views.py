"""HTTP endpoints of the sources app: the WebSub callback (cupure.sources.websub)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .websub import websub_receive, websub_verify


@csrf_exempt  # hubs post without our cookies; the HMAC signature authenticates
@never_cache  # each verification is answered once, never from a cache
@require_http_methods(["GET", "POST"])
def websub_callback(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a hub verifies an intent (the challenge is echoed or 404). POST: a hub
    distributes content, accepted only with a valid X-Hub-Signature."""
    if request.method == "GET":
        status, text = websub_verify(token=token, params=request.GET)
    else:
        status, text = websub_receive(
            token=token, body=request.body, headers=request.headers
        )
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
