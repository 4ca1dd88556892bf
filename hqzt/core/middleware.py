"""HTTP headers every response carries (R-9, OWASP ASVS V14)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No inline or third-party script anywhere; every asset is the application's own.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
PRIVATE_PREFIXES = ("/portal/receipt/", "/portal/track/", "/e/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.path.startswith(
            PRIVATE_PREFIXES
        )
        if personal and not request.path.startswith("/static/"):
            # Pages with personal data must not stay in shared or browser caches.
            response["Cache-Control"] = "no-store"
        return response
