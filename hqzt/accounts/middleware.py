"""Session rules: an absolute time-out, and a forced change of an initial password."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LOGIN_AT = "login_at"


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            started = request.session.setdefault(LOGIN_AT, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "登录时间已超过上限，请重新登录。")
                return redirect(settings.LOGIN_URL)
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if user.must_change_password and request.path not in allowed:
                return redirect("accounts:password_change")
        return self.get_response(request)
