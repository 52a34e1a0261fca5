"""Operators' endpoints, answered before the rest of the site's middleware.

``/healthz`` and ``/readyz`` (cupure.ops.health) are for load balancers, ``/metrics``
(cupure.ops.metrics) for Prometheus: they reach a backend by its address (so the
Host header is not one of CUPURE_ALLOWED_HOSTS) over plain HTTP (so the HTTPS
redirect must not answer them), and must never be served from the page cache. This
middleware sits after the security headers and before everything else, and answers
them itself.

``/metrics`` says how busy the site is and what fails: only for Prometheus. With
CUPURE_METRICS_TOKEN set it needs ``Authorization: Bearer <token>``. Without, it
answers only requests from this machine's loopback that no proxy forwarded (none of
the X-Forwarded-*, X-Real-IP or Forwarded headers), and never when the settings say
the site is behind a proxy (CUPURE_BEHIND_TLS_PROXY, CUPURE_TRUSTED_PROXY_COUNT): a
proxy on the same machine makes every visitor look local, and one that sets no
such header could not be told apart. Anyone else gets a 404.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable

from django.conf import settings
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


PROXY_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def behind_proxy() -> bool:
    """Whether the settings say requests come through a proxy."""
    return bool(settings.SECURE_PROXY_SSL_HEADER) or (
        getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) > 0
    )


def metrics_allowed(request: HttpRequest) -> bool:
    """The bearer of CUPURE_METRICS_TOKEN, or (without one) this machine itself."""
    token = settings.CUPURE_METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "")
        return secrets.compare_digest(offered.encode(), f"Bearer {token}".encode())
    if behind_proxy() or any(request.META.get(header) for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format; 404 for anyone else (nothing to see here)."""
    if not metrics_allowed(request):
        return _answer({"status": "not found"}, status=404)
    from cupure.ops.metrics import exposition

    body, content_type = exposition()
    response = HttpResponse(body, content_type=content_type)
    add_never_cache_headers(response)
    return response


ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics,
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
