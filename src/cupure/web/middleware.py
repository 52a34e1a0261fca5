"""Security headers for every response."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Pages load only our own scripts and styles: an injected <script> or style=""
# attribute does nothing even if something slipped past escaping. Images may come
# from publishers' sites (lead photos are hot-linked with credit), so any https/http
# image source is allowed, and data: for the tiny placeholders.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' https: http: data:",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's admin uses inline styles; it is only for signed-in staff.
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = (
                ADMIN_CONTENT_SECURITY_POLICY
                if request.path.startswith("/admin/")
                else CONTENT_SECURITY_POLICY
            )
            response["Content-Security-Policy"] = policy
        return response
