"""Session rules: an absolute time-out; a password that must be changed (initial, or too old in the
等保 profile); and, in that profile, a second factor that admins and supervisors must enrol first.

Until the password is changed or the authenticator enrolled, every other page (and the API
through the session) answers with a redirect to the one page that resolves it.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from hqzt.accounts.otp import otp_active
from hqzt.accounts.policy import password_expired, second_factor_required

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"


def _page_first(user) -> str | None:
    """The page this user must complete before any other, if any."""
    if user.must_change_password or password_expired(user):
        return "accounts:password_change"
    if second_factor_required(user) and not otp_active(user):
        return "accounts:otp_enrol"
    return None


def _keep_alive(request: HttpRequest, now: int) -> None:
    """Move the idle time-out on, at most once every SESSION_REFRESH_SECONDS. Saving the session
    on every request (SESSION_SAVE_EVERY_REQUEST) cost each page three queries and, on SQLite,
    the database's one write lock, so readers queued behind each other's page views; the
    time-out is now exact to within the refresh interval instead."""
    if now - request.session.get(SEEN_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
        request.session[SEEN_AT] = now  # marks the session modified: saved with a new expiry


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_AT, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "登录时间已超过上限，请重新登录。")
                return redirect(settings.LOGIN_URL)
            _keep_alive(request, now)
            page = _page_first(user)
            if page and request.path not in {reverse(page), reverse("accounts:logout")}:
                return redirect(page)
        return self.get_response(request)
