"""Security headers for every response, and compression where it is safe."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

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
# No page of ours uses the camera, the microphone, the reader's location, payments,
# USB or the motion sensors, and none may be put in a frame with such access; the
# Topics API (interest-based ads) is refused for our readers too. Features the
# browser does not know are left out: Chromium reports each one on the console.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
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
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
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


class CompressAnonymousPagesMiddleware(GZipMiddleware):
    """gzip for readers without a session, never for a signed-in reader's pages.

    BREACH: an attacker who can make a victim's browser request a page that reflects
    the attacker's input (a search query) next to a secret, and who sees the sizes
    of the encrypted responses, can guess the secret a character at a time, because
    compression shortens a guess that matches. It needs a secret in the compressed
    body. What the site's bodies hold:

    * the CSRF token, on every form: Django masks it with a new random pad in every
      response, so no two bodies contain the same string to converge on;
    * a signed-in reader's own data (user name, email addresses, an authenticator's
      secret while it is set up, recovery codes): only on pages of a request with a
      session cookie. Those are not compressed;
    * the session id: never in a body (an HttpOnly cookie).

    So pages for visitors without a session (the readers the page cache serves, the
    login and sign-up forms) are compressed; any request carrying a session cookie,
    and any response setting one, is sent as is. Django's gzip adds up to 100
    random bytes to each compressed body as well ("Heal the BREACH"), which blurs
    the sizes an attacker measures. Static files never reach this middleware:
    WhiteNoise serves them precompressed (gzip and Brotli) before it.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        session_cookie = settings.SESSION_COOKIE_NAME
        if session_cookie in request.COOKIES or session_cookie in response.cookies:
            return response
        return super().process_response(request, response)
