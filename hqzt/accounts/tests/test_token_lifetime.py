"""When a staff API token stops working besides a password change (probe T1, T2): turning the
second factor on, the account being deactivated (it does not come back with reactivation), and
API_TOKEN_MAX_AGE_DAYS after its issue; the admin tells tokens apart by their prefix."""

import datetime

import pyotp
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.models import PersonalToken, User
from hqzt.accounts.otp import otp_begin, otp_confirm, otp_secret
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.accounts.tokens import personal_token_issue
from hqzt.audit.models import AuditEvent
from hqzt.core import clock

pytestmark = pytest.mark.django_db


def _status(raw: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return api.get(reverse("api:needs")).status_code


def test_enrolling_the_second_factor_revokes_the_password_only_tokens(staff_a, staff_b):
    mine, theirs = personal_token_issue(user=staff_a), personal_token_issue(user=staff_b)
    factor = otp_begin(user=staff_a)
    assert otp_confirm(user=staff_a, code="12345") is None  # a wrong code
    assert _status(mine) == 200  # nothing enrolled, nothing revoked
    otp_confirm(user=staff_a, code=pyotp.TOTP(otp_secret(factor)).now())
    assert _status(mine) in (401, 403) and _status(theirs) == 200
    event = AuditEvent.objects.get(action="api_token_revoke")
    assert event.actor == staff_a and event.changes["reason"] == "启用两步验证"


def test_a_deactivated_account_loses_its_tokens_for_good(staff_a, staff_b):
    raw, other = personal_token_issue(user=staff_a), personal_token_issue(user=staff_b)
    staff_a.save()  # an active account's save keeps its tokens
    assert _status(raw) == 200
    staff_a.is_active = False
    staff_a.save()
    assert not PersonalToken.objects.filter(user=staff_a).exists()
    staff_a.is_active = True
    staff_a.save()
    assert _status(raw) in (401, 403) and _status(other) == 200
    assert AuditEvent.objects.get(action="api_token_revoke").changes["reason"] == "账号已停用"


def test_the_admin_deactivating_revokes_as_the_administrator(staff_a, admin_user):
    raw = personal_token_issue(user=staff_a)
    request = RequestFactory().post("/")
    request.user = admin_user
    user_admin = admin.site._registry[User]
    staff_a.full_name = "改名"
    user_admin.save_model(request, staff_a, form=None, change=True)
    assert _status(raw) == 200  # another change keeps the tokens
    staff_a.is_active = False
    user_admin.save_model(request, staff_a, form=None, change=True)
    assert not PersonalToken.objects.filter(user=staff_a).exists()
    assert AuditEvent.objects.get(action="api_token_revoke").actor == admin_user


def test_a_token_lives_api_token_max_age_days(settings, staff_a):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    with clock.travel(clock.now() - datetime.timedelta(days=30, minutes=1)):
        old = personal_token_issue(user=staff_a)
    with clock.travel(clock.now() - datetime.timedelta(days=29, hours=23)):
        young = personal_token_issue(user=staff_a)
    staff_a.password_changed_at = clock.now() - datetime.timedelta(days=40)
    staff_a.save()
    assert _status(young) == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    refused = api.get(reverse("api:needs"))
    assert refused.status_code in (401, 403)
    assert refused.json()["detail"] == "令牌已超过有效期（30 天），请重新获取令牌。"
    settings.API_TOKEN_MAX_AGE_DAYS = 60
    assert _status(old) == 200


def test_the_admin_list_shows_each_tokens_prefix(client, admin_user, staff_a):
    response = APIClient().post(
        reverse("api:auth-token"), {"username": "staff_a", "password": PASSWORD}
    )
    raw = response.json()["token"]
    token = PersonalToken.objects.get(user=staff_a)
    assert token.key_prefix == raw[:8] and str(token).endswith(f"（{raw[:8]}…）")
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_personaltoken_changelist")).text
    assert raw[:8] in page and raw not in page and "令牌前缀" in page
