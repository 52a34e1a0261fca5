"""Operators' endpoints, answered before the rest of the site's middleware.

``/healthz`` and ``/readyz`` (cupure.ops.health) are for load balancers: they probe a
backend by its address (so the Host header is not one of CUPURE_ALLOWED_HOSTS) over
plain HTTP (so the HTTPS redirect must not answer them), and must never be served
from the page cache. This middleware sits after the security headers and before
everything else, and answers them itself.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from cupure.ops import health

PROBE_METHODS = frozenset({"GET", "HEAD"})


def _answer(payload: dict, status: int = 200) -> HttpResponse:
    response = JsonResponse(payload, status=status)
    add_never_cache_headers(response)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and runs Django; nothing else is touched."""
    return _answer({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    """200 when the database, cache and broker answer; 503 naming those that failed."""
    checks = health.readiness()
    failed = [check.name for check in checks if not check.ok]
    payload = {
        "status": "not ready" if failed else "ready",
        "failed": failed,
        "checks": {check.name: check.as_json() for check in checks},
    }
    return _answer(payload, status=503 if failed else 200)


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
}


class OperationsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is None:
            return self.get_response(request)
        if request.method not in PROBE_METHODS:
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return endpoint(request)
