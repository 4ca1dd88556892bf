from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hqzt.audit.services import current_ip


class AuditContextMiddleware:
    """Makes the client's IP available to audit_record for the duration of the request.

    REMOTE_ADDR is used as is; behind a reverse proxy, configure the proxy to set it (e.g.
    gunicorn's --forwarded-allow-ips) rather than trusting a client-supplied header here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
