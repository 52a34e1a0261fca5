"""Security headers for every response."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Pages load only our own scripts and styles: an injected <script> or style=""
# attribute does nothing even if something slipped past escaping. Images are our
# own renditions (cupure.images): a reader's browser never contacts a publisher.
# When renditions live in a bucket, its origin is added (see _policy_for).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self'",
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
            response["Content-Security-Policy"] = _policy_for(request.path)
        return response


def _policy_for(path: str) -> str:
    from cupure.images.selectors import media_origin

    policy = (
        ADMIN_CONTENT_SECURITY_POLICY
        if path.startswith("/admin/")
        else CONTENT_SECURITY_POLICY
    )
    origin = media_origin()
    if origin:
        policy = policy.replace("img-src 'self'", f"img-src 'self' {origin}")
    return policy
