"""HTTP headers every response carries (R-9, OWASP ASVS V14), the request size limit, and the
error pages people see."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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


BODY_TOO_LARGE = "提交的内容过大：每次提交（含附件）不能超过 {mb} MB。"


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body exceeds MAX_REQUEST_BYTES before anything reads it.

    Django's own limits leave uploaded files out (they go to a temporary file as they arrive),
    so a 50 MB anonymous upload used to be read in full before the 10 MB refusal. A body without
    a Content-Length is not read by Django at all. The reverse proxy caps it first (README).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body it cannot measure
        if length > settings.MAX_REQUEST_BYTES:
            message = BODY_TOO_LARGE.format(mb=settings.MAX_REQUEST_BYTES // 2**20)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": message}, status=413, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


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
    400: lambda request: defaults.bad_request(request, SuspiciousOperation()),
    404: lambda request: defaults.page_not_found(request, Http404()),
    500: defaults.server_error,
}


class FriendlyErrorPagesMiddleware:
    """With DEBUG on (the demo), people still get the Chinese 400/404/500 pages (403 is always
    the Chinese page: Django renders 403.html whatever DEBUG says): Django's English
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
