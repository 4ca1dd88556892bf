from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from hqzt.audit.services import current_ip
from hqzt.core.clientip import client_ip


class AuditContextMiddleware:
    """Makes the client's IP available to audit_record for the duration of the request.

    The address is core.clientip's: X-Forwarded-For is followed only through TRUSTED_PROXIES.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request) or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
