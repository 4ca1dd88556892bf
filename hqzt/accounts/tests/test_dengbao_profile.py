"""The 等保 profile (SECURITY_PROFILE=dengbao): complexity, rotation and the second factor required
of admins and supervisors — and none of it when the profile is off (the embedded demo)."""

import datetime
import os
import subprocess
import sys

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from hqzt.accounts.otp import otp_active, otp_begin, otp_secret
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.core import clock

pytestmark = pytest.mark.django_db

dengbao = override_settings(SECURITY_PROFILE="dengbao", PASSWORD_MAX_AGE_DAYS=90)
COMPLEXITY = "三类"


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("taihangmountain", 1),
        ("taihang-mountain", 2),
        ("TAIHANG2025mountain", 3),
        ("taihang-2025-mountain", 3),
        ("Taihang-2025", 4),
    ],
)
def test_complexity_counts_character_classes_in_the_profile_only(password, classes):
    validate_password(password)  # profile off: only the length and common-password rules
    with dengbao:
        if classes >= 3:
            validate_password(password)
        else:
            with pytest.raises(ValidationError, match=COMPLEXITY):
                validate_password(password)


def test_password_change_page_states_and_applies_the_complexity_rule(client_for, staff_a):
    client = client_for(staff_a)
    url = reverse("accounts:password_change")
    simple = {"old_password": PASSWORD, "new_password1": "taihangmountain"}
    simple["new_password2"] = simple["new_password1"]
    assert COMPLEXITY not in client.get(url).text
    with dengbao:
        assert COMPLEXITY in client.get(url).text
        refused = client.post(url, simple)
        assert refused.status_code == 200 and COMPLEXITY in refused.text
        staff_a.refresh_from_db()
        assert staff_a.check_password(PASSWORD)
    assert client.post(url, simple).status_code == 302


def test_the_new_password_must_differ_from_the_current_one(client_for, staff_a):
    response = client_for(staff_a).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "不能与当前密码相同" in response.text


def test_every_password_change_restarts_its_age(client_for, admin_user, staff_a):
    long_ago = clock.now() - datetime.timedelta(days=400)
    staff_a.password_changed_at = long_ago
    staff_a.save()
    response = client_for(admin_user).post(
        reverse("admin:auth_user_password_change", args=[staff_a.pk]),
        {"password1": "Jincheng-Initial-11", "password2": "Jincheng-Initial-11"},
    )
    assert response.status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.password_changed_at > long_ago + datetime.timedelta(days=399)
    # A successful check (which may re-hash the same password) is not a change.
    staff_a.password_changed_at = long_ago
    assert staff_a.check_password("Jincheng-Initial-11")
    assert staff_a.password_changed_at == long_ago


def test_an_old_password_must_be_changed_in_the_profile(client_for, staff_a):
    staff_a.password_changed_at = clock.now() - datetime.timedelta(days=91)
    staff_a.save()
    client = client_for(staff_a)
    assert client.get(reverse("needs:ledger")).status_code == 200  # profile off: no rotation
    with dengbao:
        response = client.get(reverse("needs:ledger"))
        assert response.url == reverse("accounts:password_change")
        assert client.get(reverse("api:needs")).status_code == 302
        page = client.get(reverse("accounts:password_change"))
        assert "超过 90 天" in page.text
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Taihang-Station-78",
                "new_password2": "Taihang-Station-78",
            },
        )
        assert response.status_code == 302 and response.url == reverse("dashboard:home")
        assert client.get(reverse("needs:ledger")).status_code == 200


def test_a_recent_password_is_not_rotated(client_for, staff_a):
    staff_a.password_changed_at = clock.now() - datetime.timedelta(days=89)
    staff_a.save()
    with dengbao:
        assert client_for(staff_a).get(reverse("needs:ledger")).status_code == 200


@pytest.mark.parametrize("persona", ["supervisor", "admin_user"])
def test_admins_and_supervisors_must_enrol_first_in_the_profile(request, client_for, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(reverse("dashboard:home")).status_code == 200  # profile off
    with dengbao:
        for url in [reverse("dashboard:home"), reverse("api:needs"), "/admin/"]:
            assert client.get(url).url == reverse("accounts:otp_enrol")
        page = client.get(reverse("accounts:otp_enrol"))
        assert page.status_code == 200 and "必须启用两步验证" in page.text
        secret = otp_secret(otp_begin(user=user))
        response = client.post(reverse("accounts:otp_enrol"), {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 200  # the recovery codes
        assert otp_active(user)
        assert client.get(reverse("dashboard:home")).status_code == 200
        # Once enrolled, the role may not turn it off.
        status = client.get(reverse("accounts:otp"))
        assert "不能停用" in status.text
        refused = client.post(reverse("accounts:otp"), {"password": PASSWORD, "code": "000000"})
        assert refused.status_code == 403 and otp_active(user)


def test_other_roles_are_not_required_to_enrol(client_for, staff_a, chief_a, handler):
    with dengbao:
        for user in (staff_a, chief_a, handler):
            assert client_for(user).get(reverse("dashboard:home")).status_code == 200


def test_a_supervisor_is_sent_to_enrolment_after_the_password(client, supervisor):
    with dengbao:
        response = client.post(
            reverse("accounts:login"),
            {"username": supervisor.username, "password": PASSWORD},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("accounts:otp_enrol")


def test_the_api_token_endpoint_applies_the_profile(client, supervisor, staff_a):
    body = {"username": supervisor.username, "password": PASSWORD}
    assert client.post(reverse("api:auth-token"), body).status_code == 200
    with dengbao:
        refused = client.post(reverse("api:auth-token"), body)
        assert refused.status_code == 400 and "两步验证" in str(refused.json())
        staff_a.password_changed_at = clock.now() - datetime.timedelta(days=91)
        staff_a.save()
        old = client.post(reverse("api:auth-token"), {"username": "staff_a", "password": PASSWORD})
        assert old.status_code == 400 and "修改密码" in str(old.json())


def test_a_misspelt_profile_refuses_to_start():
    """A typo must not silently run a 等保 deployment without its rules."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hqzt.settings", "DEBUG": "1"}
    env.update({"SECRET_KEY": "x" * 50, "SECURITY_PROFILE": "dengbo"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "SECURITY_PROFILE must be empty or 'dengbao'" in result.stderr
