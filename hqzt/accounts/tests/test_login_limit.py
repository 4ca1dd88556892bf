"""Failed logins are limited per address across user names (probe R2: 30 user names tried from
one address with one password, no lock): LOGIN_FAILURE_RATE counts every failure from the
address on the login page and the API token endpoint, and once spent both refuse with 429
before any password is checked. Attempts are counted before the check, so a burst cannot pass
all at once. Another address is not affected; forged headers change nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.login_limit import REFUSED
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.audit.models import AuditEvent
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db

LIMIT = 3
SPRAYER = "203.0.113.7"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.LOGIN_FAILURE_RATE = f"{LIMIT}/h"


def _page(client, username, password, address=SPRAYER, **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def _token(username, password, address=SPRAYER, **headers):
    return APIClient().post(
        reverse("api:auth-token"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_under_the_limit_a_right_password_still_logs_in(client, staff_a):
    for n in range(LIMIT - 1):
        assert _page(client, f"nobody{n}", "Spring2026!").status_code == 200
    assert _page(client, "staff_a", PASSWORD).status_code == 302


def test_spraying_user_names_spends_the_address_on_both_endpoints(client, staff_a, chief_a):
    _page(client, "nobody", "Spring2026!")
    _token("chief_a", "Spring2026!")  # a real user name, a wrong password
    _page(client, "staff_b", "Spring2026!")
    refused = _page(client, "staff_a", PASSWORD)  # even the right password is not checked
    assert refused.status_code == 429 and REFUSED in refused.text
    assert int(refused["Retry-After"]) > 0 and "_auth_user_id" not in client.session
    api = _token("staff_a", PASSWORD)
    assert api.status_code == 429 and api.json() == {"detail": REFUSED}
    assert int(api["Retry-After"]) > 0
    # Refused before authenticating: neither an attempt on a user nor a token issued.
    assert AuditEvent.objects.filter(action="login_failed").count() == LIMIT
    assert not AuditEvent.objects.filter(action__in=["login", "api_token_issue"]).exists()


def test_another_address_and_the_get_page_are_not_affected(client, staff_a):
    for n in range(LIMIT):
        _token(f"nobody{n}", "Spring2026!")
    assert client.get(reverse("accounts:login"), REMOTE_ADDR=SPRAYER).status_code == 200
    assert _token("staff_a", PASSWORD, address="203.0.113.8").status_code == 200
    assert _page(client, "staff_a", PASSWORD, address="203.0.113.8").status_code == 302


def test_a_successful_login_does_not_reset_the_count(client, staff_a):
    _page(client, "nobody1", "x")
    assert _token("staff_a", PASSWORD).status_code == 200
    _page(client, "nobody2", "x")
    _page(client, "nobody3", "x")
    assert _token("staff_a", PASSWORD).status_code == 429


def test_forged_forwarded_headers_do_not_bypass_it(client, staff_a):
    for n in range(LIMIT):
        _page(client, f"nobody{n}", "x", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    for forged in ({"HTTP_X_FORWARDED_FOR": "198.51.100.200"}, {"HTTP_X_REAL_IP": "10.1.1.1"}):
        assert _page(client, "staff_a", PASSWORD, **forged).status_code == 429
        assert _token("staff_a", PASSWORD, **forged).status_code == 429


@override_settings(TRUSTED_PROXIES=["10.0.0.2"])
def test_behind_a_trusted_proxy_each_visitor_counts_alone(client, staff_a):
    for n in range(LIMIT):
        _page(client, f"nobody{n}", "x", address="10.0.0.2", HTTP_X_FORWARDED_FOR=SPRAYER)
    assert (
        _page(client, "staff_a", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=SPRAYER)
    ).status_code == 429
    other = _page(
        client, "staff_a", PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert other.status_code == 302


def test_a_second_factor_code_failing_on_its_own_step_counts(client, staff_a, monkeypatch):
    from hqzt.accounts import views

    monkeypatch.setattr(views, "otp_active", lambda user: True)
    assert _page(client, "staff_a", PASSWORD).status_code == 302  # on to the code step
    for _ in range(LIMIT):
        client.post(reverse("accounts:login_verify"), {"code": "000000"}, REMOTE_ADDR=SPRAYER)
    assert _token("staff_a", PASSWORD).status_code == 429


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_simultaneous_attempts_cannot_pass_the_limit_together(settings):
    """Counted before the check (probe R4's race): of 8 attempts at once, LIMIT are checked."""
    settings.LOGIN_FAILURE_RATE = f"{LIMIT}/h"
    workers = 8
    responses = at_once([lambda n=n: _token(f"nobody{n}", "Spring2026!") for n in range(workers)])
    codes = [response.status_code for response in responses]
    assert sorted(codes) == [400] * LIMIT + [429] * (workers - LIMIT)


# Outside probe 2, L1: a user name longer than axes' 255-character column was a 500 on PostgreSQL
# (page and API). It is refused before any password check, in Chinese, and axes records nothing.
@pytest.mark.parametrize("length", [151, 300, 5000])
def test_an_over_long_user_name_is_refused_before_the_check(client, length):
    from axes.models import AccessAttempt

    page = _page(client, "a" * length, "x")
    assert page.status_code == 200
    assert "用户名不能超过 150 个字符。" in page.text
    api = _token("a" * length, "x")
    assert api.status_code == 400
    assert api.json()["username"] == ["用户名不能超过 150 个字符。"]
    assert not AccessAttempt.objects.exists()


def test_a_user_name_of_the_longest_length_is_still_checked(client):
    from axes.models import AccessAttempt

    assert _page(client, "a" * 150, "x").status_code == 200
    assert AccessAttempt.objects.filter(username="a" * 150).exists()
