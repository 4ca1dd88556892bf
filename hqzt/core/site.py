"""The site's own address, for links that leave it: SMS, e-mail, QR codes on posters and signs.

Production names it (HQZT_BASE_URL, required when DEBUG is off: settings refuse to start without
it). The local demo may leave it unset; links then use the address the browser reached the demo
on (host and port of the current request, e.g. a demo started with PORT=8080 or opened by its LAN
address), and outside a request (the queue's daily jobs) http://127.0.0.1 with the demo's PORT.
"""

import ipaddress
import os
from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_origin: ContextVar[str] = ContextVar("request_origin", default="")


def base_url() -> str:
    """scheme://host[:port] without a trailing slash."""
    configured = getattr(settings, "HQZT_BASE_URL", "")
    if configured:
        return configured
    return _request_origin.get() or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"


def absolute(path: str) -> str:
    """An absolute link to one of the site's paths (from reverse())."""
    return base_url() + path


def is_local(url: str | None = None) -> bool:
    """Whether links would point at this machine only (loopback, 'localhost', a private or
    unspecified address): a phone that scans such a QR code reaches nothing."""
    host = urlsplit(url or base_url()).hostname or ""
    if host == "localhost" or host.endswith(".localhost") or not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or address.is_link_local


class SiteOriginMiddleware:
    """Remembers the current request's origin for base_url() when HQZT_BASE_URL is not set (the
    DEBUG demo only; production always names it). The host was validated by ALLOWED_HOSTS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "HQZT_BASE_URL", ""):
            return self.get_response(request)
        token = _request_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
