"""Probe R4: django-axes checks a (user name, address) pair's recorded failures before the password
and records a failure after it, so 30 simultaneous guesses for one user were all checked (limit 5).
The attempt is now counted as under way before the check: a burst beyond AXES_FAILURE_LIMIT is
refused without a password check, on the API token endpoint and the login page alike."""

import threading

import pytest
from django.contrib.auth.hashers import check_password as real_check_password
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.login_limit import LOCKED
from hqzt.accounts.tests.factories import PASSWORD
from tests.concurrency import at_once

LIMIT = 3
ADDRESS = "198.51.100.9"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.LOGIN_FAILURE_RATE = "1000/h"  # the address limit stays out of the way


@pytest.fixture
def checks(monkeypatch):
    """Count the password checks, each slow enough for the burst to overlap."""
    counted: list[int] = []
    lock = threading.Lock()

    def counting(password, encoded, setter=None, preferred="default"):
        with lock:
            counted.append(1)
        threading.Event().wait(0.2)
        return real_check_password(password, encoded, setter, preferred)

    monkeypatch.setattr("django.contrib.auth.base_user.check_password", counting)
    return counted


def _burst(send, workers: int) -> list[int]:
    responses = at_once([lambda n=n: send(n) for n in range(workers)])
    return sorted(response.status_code for response in responses)


@pytest.mark.django_db(transaction=True)
def test_a_burst_for_one_user_on_the_api_checks_no_more_than_the_limit(
    reference_data, staff_a, checks
):
    def send(n):
        return APIClient().post(
            reverse("api:auth-token"),
            {"username": "staff_a", "password": f"wrong{n}"},
            REMOTE_ADDR=ADDRESS,
        )

    codes = _burst(send, 10)
    assert len(checks) <= LIMIT
    assert codes.count(429) >= 10 - LIMIT and set(codes) <= {400, 429}
    refused = send(99)  # now locked: refused before any check, with the reason in Chinese
    assert refused.status_code == 429 and refused.json()["detail"] == LOCKED
    assert len(checks) <= LIMIT


@pytest.mark.django_db(transaction=True)
def test_a_burst_for_one_user_on_the_login_page_checks_no_more_than_the_limit(
    reference_data, staff_a, checks
):
    def send(n):
        return Client().post(
            reverse("accounts:login"),
            {"username": "staff_a", "password": f"wrong{n}"},
            REMOTE_ADDR=ADDRESS,
        )

    codes = _burst(send, 10)
    assert len(checks) <= LIMIT
    assert codes.count(429) >= 10 - LIMIT


def _spelling(n: int) -> str:
    """staff_a with some of its first four letters full-width (NFKC folds them back)."""
    return "".join(
        chr(ord(c) + 0xFEE0) if i < 4 and n >> i & 1 else c for i, c in enumerate("staff_a")
    )


@pytest.mark.django_db(transaction=True)
def test_a_burst_under_full_width_spellings_of_one_name_is_one_users_burst(
    reference_data, staff_a, checks
):
    """Probe P2-L3: the page folds ｓｔaff_a to staff_a before the check, so the burst guard
    counts it under the folded name too."""

    def send(n):
        return Client().post(
            reverse("accounts:login"),
            {"username": _spelling(n + 1), "password": f"wrong{n}"},
            REMOTE_ADDR=ADDRESS,
        )

    codes = _burst(send, 10)
    assert len(checks) <= LIMIT
    assert codes.count(429) >= 10 - LIMIT


@pytest.mark.django_db
def test_under_the_limit_attempts_are_checked_and_the_right_password_passes(staff_a, checks):
    client = APIClient()
    url = reverse("api:auth-token")
    for n in range(LIMIT - 1):
        wrong = client.post(url, {"username": "staff_a", "password": f"x{n}"}, REMOTE_ADDR=ADDRESS)
        assert wrong.status_code == 400
    right = client.post(url, {"username": "staff_a", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert right.status_code == 200 and "token" in right.json()
    assert len(checks) == LIMIT
    # Another address and another user name are not held by this pair's failures.
    other = client.post(url, {"username": "staff_a", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1")
    assert other.status_code == 200
