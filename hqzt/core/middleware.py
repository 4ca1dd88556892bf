"""HTTP headers every response carries (R-9, OWASP ASVS V14), and the error pages people see."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views import defaults

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


# Every page of Django's debug views (technical 404 and 500) carries this tag.
_DEBUG_PAGE_MARK = b'<meta name="robots" content="NONE,NOARCHIVE">'
_ERROR_PAGES: dict[int, Callable[[HttpRequest], HttpResponse]] = {
    404: lambda request: defaults.page_not_found(request, Http404()),
    500: defaults.server_error,
}


class FriendlyErrorPagesMiddleware:
    """With DEBUG on (the demo), people still get the Chinese 404/500 pages: Django's English
    debug pages list every URL and setting and look broken to a civil servant trying the demo.
    A developer asks for them with DEBUG_PAGES=1. The error itself is logged either way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        page = _ERROR_PAGES.get(response.status_code)
        if (
            page is None
            or not settings.DEBUG
            or settings.DEBUG_PAGES
            or response.streaming
            or _DEBUG_PAGE_MARK not in response.content[:4096]
        ):
            return response
        return page(request)
