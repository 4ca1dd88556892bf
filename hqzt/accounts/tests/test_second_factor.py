"""The optional TOTP second factor: enrolment, the two-step login, replay, lock-out, recovery
codes, turning it off, the administrator's reset, and the API token endpoint."""

import datetime
import re
import time

import pyotp
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.models import SecondFactor
from hqzt.accounts.otp import PENDING_SECONDS, otp_active, otp_begin, otp_confirm, otp_secret
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.accounts.views import PENDING
from hqzt.audit.models import AuditEvent
from hqzt.core import clock

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 6, 2, 9, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=30)


def _enrol(user) -> tuple[pyotp.TOTP, list[str]]:
    """Enrol `user` with a code of step T0; later logins use later steps."""
    totp = pyotp.TOTP(otp_secret(otp_begin(user=user)))
    with clock.travel(T0):
        codes = otp_confirm(user=user, code=totp.at(T0))
    return totp, codes


def _password(client, username="staff_a"):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def _code(client, code):
    return client.post(reverse("accounts:login_verify"), {"code": code})


def test_enrolment_activates_only_after_a_right_code(client_for, staff_a):
    client = client_for(staff_a)
    page = client.get(reverse("accounts:otp_enrol"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text  # an image, no markup or script
    secret = otp_secret(SecondFactor.objects.get(user=staff_a))
    assert secret[:4] in page.text
    # Reloading shows the same secret: what the user already scanned stays valid.
    client.get(reverse("accounts:otp_enrol"))
    assert otp_secret(SecondFactor.objects.get(user=staff_a)) == secret

    wrong = client.post(reverse("accounts:otp_enrol"), {"code": "000000"})
    assert "验证码错误" in wrong.text and not otp_active(staff_a)

    done = client.post(reverse("accounts:otp_enrol"), {"code": pyotp.TOTP(secret).now()})
    listed = done.text.split('data-testid="recovery-codes"', 1)[1].split("</ul>", 1)[0]
    codes = re.findall(r"\b[a-z2-9]{5}-[a-z2-9]{5}\b", listed)
    assert len(codes) == 10 and "只显示这一次" in done.text
    assert otp_active(staff_a)
    assert AuditEvent.objects.filter(action="otp_enrol", actor=staff_a).exists()
    # Neither the secret nor the recovery codes are stored as they are.
    stored = SecondFactor.objects.get(user=staff_a).secret_encrypted
    assert secret not in stored
    hashes = set(staff_a.recovery_codes.values_list("code_hash", flat=True))
    assert not hashes & set(codes)
    # Enrolled: the page now shows the status instead.
    assert client.get(reverse("accounts:otp_enrol")).url == reverse("accounts:otp")


def test_login_is_not_complete_until_the_code(client, staff_a):
    totp, _ = _enrol(staff_a)
    response = client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": PASSWORD, "next": reverse("needs:ledger")},
    )
    assert response.url == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    # Half logged in: pages, the API and the user's own settings are all refused.
    for url in [
        reverse("dashboard:home"),
        reverse("needs:ledger"),
        reverse("accounts:otp"),
        reverse("accounts:password_change"),
    ]:
        refused = client.get(url)
        assert refused.status_code == 302 and refused.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("api:needs")).status_code in (401, 403)
    assert client.get("/admin/").status_code == 302
    assert not AuditEvent.objects.filter(action="login", actor=staff_a).exists()

    page = client.get(reverse("accounts:login_verify"))
    assert page.status_code == 200 and "身份验证器" in page.text
    with clock.travel(T0 + STEP):
        done = _code(client, totp.at(T0 + STEP))
    assert done.url == reverse("needs:ledger")
    assert client.session["_auth_user_id"] == str(staff_a.pk)
    assert AuditEvent.objects.filter(action="login", actor=staff_a).exists()


def test_users_without_a_second_factor_log_in_with_the_password(client, staff_a):
    response = _password(client)
    assert response.url == reverse("dashboard:home")
    assert client.session["_auth_user_id"] == str(staff_a.pk)


def test_the_code_step_needs_the_password_step_first(client, staff_a):
    _enrol(staff_a)
    response = _code(client, "123456")
    assert response.url == reverse("accounts:login")
    assert not AuditEvent.objects.filter(action="otp_failed").exists()


def test_the_password_step_expires(client, staff_a):
    totp, _ = _enrol(staff_a)
    _password(client)
    session = client.session
    session[PENDING] = {**session[PENDING], "at": int(time.time()) - PENDING_SECONDS - 1}
    session.save()
    with clock.travel(T0 + STEP):
        response = _code(client, totp.at(T0 + STEP))
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_code_is_accepted_only_once(client, staff_a):
    totp, _ = _enrol(staff_a)
    with clock.travel(T0 + STEP):
        code = totp.at(T0 + STEP)
        _password(client)
        assert _code(client, code).url == reverse("dashboard:home")
        response = client.post(reverse("accounts:logout"))
        assert response.status_code == 302 and response.url == reverse("accounts:login")
        _password(client)
        replay = _code(client, code)
    assert replay.status_code == 200 and "已使用过" in replay.text
    assert "_auth_user_id" not in client.session
    # The code of the step already used at enrolment is refused as well.
    with clock.travel(T0):
        assert _code(client, totp.at(T0)).status_code == 200
    assert AuditEvent.objects.filter(action="otp_failed", object_id="staff_a").count() == 2


def test_wrong_codes_are_audited_and_lock_the_account_out(client, staff_a, settings):
    totp, _ = _enrol(staff_a)
    _password(client)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _code(client, "000000").status_code == 200
    locked = _code(client, "000000")
    assert locked.status_code == 429 and "账号已暂时锁定" in locked.text
    failures = AuditEvent.objects.filter(action="otp_failed", object_id="staff_a")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert failures.first().ip == "127.0.0.1"
    # The right code no longer helps, and neither does the password.
    with clock.travel(T0 + STEP):
        assert _code(client, totp.at(T0 + STEP)).url == reverse("accounts:login")
    assert _password(client).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_logs_in_once_and_is_audited(client, staff_a):
    _, codes = _enrol(staff_a)
    _password(client)
    assert _code(client, codes[0].upper()).url == reverse("dashboard:home")
    assert AuditEvent.objects.filter(action="otp_recovery_used", actor=staff_a).count() == 1
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    _password(client)
    assert _code(client, codes[0]).status_code == 200
    assert "_auth_user_id" not in client.session


def test_turning_it_off_takes_the_password_and_a_code(client_for, staff_a):
    totp, _ = _enrol(staff_a)
    client = client_for(staff_a)
    url = reverse("accounts:otp")
    assert "已启用" in client.get(url).text
    with clock.travel(T0 + STEP):
        code = totp.at(T0 + STEP)
        wrong_password = client.post(url, {"password": "wrong-password", "code": code})
        assert "密码错误" in wrong_password.text and otp_active(staff_a)
        wrong_code = client.post(url, {"password": PASSWORD, "code": "000000"})
        assert "验证码错误" in wrong_code.text and otp_active(staff_a)
        done = client.post(url, {"password": PASSWORD, "code": code})
    assert done.url == url and not otp_active(staff_a)
    assert not staff_a.recovery_codes.exists()
    assert AuditEvent.objects.filter(action="otp_disable", actor=staff_a).exists()
    assert AuditEvent.objects.filter(action="login_failed", object_id="staff_a").exists()
    assert AuditEvent.objects.filter(action="otp_failed", object_id="staff_a").exists()


def test_an_administrator_resets_a_lost_second_factor(client_for, admin_user, staff_a):
    _enrol(staff_a)
    client = client_for(admin_user)
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert "重置两步验证" in listing.text
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "second_factor_reset", "_selected_action": [staff_a.pk]},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:accounts_user_changelist")
    assert not otp_active(staff_a)
    event = AuditEvent.objects.get(action="otp_reset")
    assert event.actor == admin_user and event.object_id == str(staff_a.pk)


def test_other_roles_cannot_reset(client_for, staff_a, chief_a):
    _enrol(staff_a)
    response = client_for(chief_a).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "second_factor_reset", "_selected_action": [staff_a.pk]},
    )
    assert response.status_code == 302  # not an admin: to the admin's sign-in
    assert response.url.startswith("/admin/login/")
    assert otp_active(staff_a)


def test_the_admin_login_form_cannot_skip_the_second_factor(
    client, client_for, staff_a, admin_user
):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.url == f"{reverse('accounts:login')}?next=/admin/accounts/user/"
    response = client.post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))  # the code is still to come
    assert "_auth_user_id" not in client.session
    assert client_for(staff_a).get("/admin/login/").status_code == 403
    assert client_for(admin_user).get("/admin/login/").url == reverse("admin:index")


def test_api_tokens_take_the_second_factor(staff_a):
    totp, codes = _enrol(staff_a)
    api = APIClient()
    url = reverse("api:auth-token")
    body = {"username": "staff_a", "password": PASSWORD}
    missing = api.post(url, body)
    assert missing.status_code == 400 and "otp" in str(missing.json())
    with clock.travel(T0 + STEP):
        assert api.post(url, {**body, "otp": "000000"}).status_code == 400
        ok = api.post(url, {**body, "otp": totp.at(T0 + STEP)})
        assert ok.status_code == 200 and ok.json()["token"]
        assert api.post(url, {**body, "otp": totp.at(T0 + STEP)}).status_code == 400
    assert api.post(url, {**body, "otp": codes[1]}).status_code == 200
    assert AuditEvent.objects.filter(action="otp_failed", object_id="staff_a").count() == 2


def test_key_rotation_re_encrypts_the_totp_secrets(settings, staff_a):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from hqzt.accounts.otp import otp_begin, otp_secret

    factor = otp_begin(user=staff_a)
    secret = otp_secret(factor)
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    out = StringIO()
    call_command("rotate_field_encryption", stdout=out)
    assert "两步验证密钥：1 条" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key is gone
    factor.refresh_from_db()
    assert otp_secret(factor) == secret


@pytest.mark.parametrize("style", ["fullwidth", "spaced", "garbage"])
def test_codes_typed_full_width_or_spaced_are_read_and_garbage_is_a_wrong_code(
    client, staff_a, style
):
    totp, _ = _enrol(staff_a)
    _password(client)
    code = totp.at(T0 + STEP)
    typed = {
        "fullwidth": code.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "spaced": f"{code[:3]} {code[3:]}",
        "garbage": "１２３４５六",
    }[style]
    with clock.travel(T0 + STEP):
        response = _code(client, typed)
    if style == "garbage":
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        assert AuditEvent.objects.filter(action="otp_failed").exists()
    else:
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff_a.pk)


def _token_client(user) -> APIClient:
    from hqzt.accounts.tokens import personal_token_issue

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {personal_token_issue(user=user)}")
    return api


def test_a_token_dies_with_a_password_change_or_the_second_factor(staff_a, admin_user):
    from hqzt.accounts.otp import otp_reset

    api = _token_client(staff_a)
    assert api.get(reverse("api:needs")).status_code == 200
    staff_a.set_password("A-new-Password-2026")
    staff_a.save()
    refused = api.get(reverse("api:needs"))
    assert refused.status_code in (401, 403) and "密码已修改" in refused.json()["detail"]

    api = _token_client(staff_a)  # the user asks for a new token
    _enrol(staff_a)  # issued with the password alone: enrolling revokes it (probe T1)
    assert api.get(reverse("api:needs")).status_code in (401, 403)
    api = _token_client(staff_a)  # as the token endpoint issues it now, with the factor
    assert api.get(reverse("api:needs")).status_code == 200
    otp_reset(user=staff_a, actor=admin_user)  # lost phone: tokens go with the factor
    assert api.get(reverse("api:needs")).status_code in (401, 403)


def test_a_token_is_refused_while_the_pages_wait_for_enrolment_or_a_new_password(
    settings, supervisor, staff_a
):
    settings.SECURITY_PROFILE = "dengbao"
    refused = _token_client(supervisor).get(reverse("api:needs"))
    assert refused.status_code in (401, 403) and "两步验证" in refused.json()["detail"]
    staff_a.must_change_password = True
    staff_a.save()
    refused = _token_client(staff_a).get(reverse("api:needs"))
    assert refused.status_code in (401, 403) and "修改密码" in refused.json()["detail"]
