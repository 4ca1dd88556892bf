"""Login in two steps, password change, and the user's own second-factor pages.

With a second factor, the password step does not log the user in: it only remembers in the
session who passed it. Django's login() runs after the code is verified, so until then every page
and the API see an anonymous visitor — there is no half-logged-in state for a view to forget.
"""

import base64
import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView

from hqzt.accounts.forms import (
    CodeForm,
    DisableForm,
    LoginCodeForm,
    LoginForm,
    PasswordChangeForm,
)
from hqzt.accounts.login_limit import (
    REFUSED,
    login_attempt_begin,
    login_attempt_succeeded,
    login_user_attempt,
)
from hqzt.accounts.models import User
from hqzt.accounts.otp import (
    PENDING_SECONDS,
    otp_active,
    otp_begin,
    otp_check,
    otp_confirm,
    otp_disable,
    otp_qr_svg,
    otp_secret,
    recovery_codes_left,
)
from hqzt.accounts.policy import password_expired, second_factor_required


def login_refused_page(request: HttpRequest, hit) -> HttpResponse:
    response = render(request, "accounts/login_limited.html", {"reason": REFUSED}, status=429)
    response["Retry-After"] = str(hit.retry_after)
    return response


PENDING = "otp_pending"  # {"user": pk, "backend": path, "next": url, "at": epoch seconds}
WRONG_CODE = "验证码错误或已使用过，请输入身份验证器中新显示的验证码。"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        # Counted before any password is checked: an address that has spent its failed logins
        # across user names (accounts/login_limit.py) tries none until its window renews.
        if hit := login_attempt_begin(request):
            return login_refused_page(request, hit)
        # The user name's lock-out counted before the check too (probe R4's burst).
        username = str(request.POST.get("username", "")).strip()
        with login_user_attempt(request, username) as allowed:
            if not allowed:
                return get_lockout_response(request, None, {"username": username})
            return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        login_attempt_succeeded(self.request)  # the right password: no failure to keep
        user = form.get_user()
        if not otp_active(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": int(time.time()),
        }
        return redirect("accounts:login_verify")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


class LoginVerifyView(FormView):
    """The second step of a login: the TOTP code (or a recovery code)."""

    template_name = "accounts/login_verify.html"
    form_class = LoginCodeForm

    def dispatch(self, request, *args, **kwargs):
        self.user = _pending_user(request)
        if self.user is None:
            messages.info(request, "请先输入用户名和密码。")
            return redirect(settings.LOGIN_URL)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        request = self.request
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            del request.session[PENDING]
            return get_lockout_response(request, None, credentials)
        if not otp_check(user=self.user, code=form.cleaned_data["code"], request=request):
            if request.axes_locked_out:  # this failure reached the limit
                del request.session[PENDING]
                return get_lockout_response(request, None, credentials)
            form.add_error("code", WRONG_CODE)
            return self.form_invalid(form)
        pending = request.session.pop(PENDING)
        login(request, self.user, backend=pending["backend"])
        return redirect(pending["next"])


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("dashboard:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.must_change_password:
            context["reason"] = "当前密码由管理员设置，请先修改为只有您自己知道的密码。"
        elif password_expired(user):
            context["reason"] = (
                f"密码已使用超过 {settings.PASSWORD_MAX_AGE_DAYS} 天，按安全要求请修改后继续使用。"
            )
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, "密码已修改。")
        return response


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's own login form would skip the second factor: everyone logs in here."""
    if not request.user.is_authenticated:
        target = urlencode({"next": request.GET.get("next", reverse("admin:index"))}, safe="/")
        return redirect(f"{reverse(settings.LOGIN_URL)}?{target}")
    if request.user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied


def _qr_data_uri(svg: str) -> str:
    # An <img> with a data: URI: allowed by the CSP (img-src data:) and no markup to trust.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


class OtpEnrolView(LoginRequiredMixin, FormView):
    """Scan the QR code (or type the secret), then prove it works with one code."""

    template_name = "accounts/otp_enrol.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and otp_active(request.user):
            return redirect("accounts:otp")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        factor = otp_begin(user=self.request.user)
        secret = otp_secret(factor)
        return super().get_context_data(
            qr=_qr_data_uri(otp_qr_svg(factor)),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            required=second_factor_required(self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        user = self.request.user
        if otp_active(user):  # a second submission of the same enrolment
            return redirect("accounts:otp")
        otp_begin(user=user)  # a POST without a prior GET still has a pending secret
        codes = otp_confirm(user=user, code=form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", WRONG_CODE)
            return self.form_invalid(form)
        return render(self.request, "accounts/otp_recovery_codes.html", {"codes": codes})


class OtpView(LoginRequiredMixin, FormView):
    """The user's second-factor status; a POST turns it off. That takes the password and a code,
    so a borrowed, still open session alone cannot weaken the account."""

    template_name = "accounts/otp.html"
    form_class = DisableForm
    success_url = reverse_lazy("accounts:otp")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            active=otp_active(user),
            required=second_factor_required(user),
            codes_left=recovery_codes_left(user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if second_factor_required(request.user):
            raise PermissionDenied("按等保安全配置，本角色必须使用两步验证，不能停用。")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        request, user = self.request, self.request.user
        username = user.get_username()
        # authenticate() goes through django-axes: refused while locked out, failures counted.
        if authenticate(request, username=username, password=form.cleaned_data["password"]) is None:
            if getattr(request, "axes_locked_out", False):
                return get_lockout_response(request, None, {"username": username})
            form.add_error("password", "密码错误。")
            return self.form_invalid(form)
        if not otp_check(user=user, code=form.cleaned_data["code"], request=request):
            form.add_error("code", WRONG_CODE)
            return self.form_invalid(form)
        otp_disable(user=user)
        messages.success(request, "两步验证已停用。")
        return super().form_valid(form)
