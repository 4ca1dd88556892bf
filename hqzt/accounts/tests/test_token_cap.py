"""A user holds at most API_TOKEN_MAX_PER_USER API tokens (probe: every token request added a row,
without end). The new token always works; beyond the cap the void tokens and then the least
recently used are revoked, each audited; simultaneous requests never leave more than the cap."""

import datetime
import threading

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.models import PersonalToken
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.accounts.tokens import CAP_REASON, personal_token_issue
from hqzt.audit.models import AuditEvent
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.core.crypto import token_hash
from hqzt.core.tests.test_settings import _run
from tests.concurrency import at_once

CAP = 3


@pytest.fixture(autouse=True)
def _cap(settings):
    settings.API_TOKEN_MAX_PER_USER = CAP


@pytest.fixture
def staff_a(staff_a):
    """Tokens issued in the past below must not be void for an older password."""
    staff_a.password_changed_at = clock.now() - datetime.timedelta(days=60)
    staff_a.save()
    return staff_a


def _status(raw: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return api.get(reverse("api:needs")).status_code


def _issued_at(user, days_ago: int) -> str:
    with clock.travel(clock.now() - datetime.timedelta(days=days_ago)):
        return personal_token_issue(user=user)


def _used_at(raw: str, days_ago: int) -> None:
    with clock.travel(clock.now() - datetime.timedelta(days=days_ago)):
        assert _status(raw) == 200


@pytest.mark.django_db
def test_up_to_the_cap_every_token_keeps_working(staff_a):
    tokens = [personal_token_issue(user=staff_a) for _ in range(CAP)]
    assert [_status(raw) for raw in tokens] == [200] * CAP
    assert not AuditEvent.objects.filter(action="api_token_revoke").exists()


@pytest.mark.django_db
def test_beyond_the_cap_the_least_recently_used_token_is_revoked(staff_a, staff_b):
    oldest = _issued_at(staff_a, 5)  # issued first, but in use every day
    idle = _issued_at(staff_a, 4)  # never used since its issue
    third = _issued_at(staff_a, 3)
    _used_at(oldest, 1)
    _used_at(third, 2)
    other_user = personal_token_issue(user=staff_b)

    new = personal_token_issue(user=staff_a)

    assert PersonalToken.objects.filter(user=staff_a).count() == CAP
    assert _status(idle) in (401, 403)
    assert [_status(raw) for raw in (oldest, third, new, other_user)] == [200] * 4
    event = AuditEvent.objects.get(action="api_token_revoke")
    assert event.actor == staff_a and event.changes["reason"] == CAP_REASON
    revoked = AuditEvent.objects.get(action="api_token_issue", object_repr__contains=idle[:8])
    assert event.object_id == revoked.object_id


@pytest.mark.django_db
def test_void_tokens_go_before_working_ones(staff_a, settings):
    settings.API_TOKEN_MAX_AGE_DAYS = 30
    expired = _issued_at(staff_a, 31)
    _issued_at(staff_a, 2)
    _issued_at(staff_a, 1)
    # The expired token was the most recently used before it expired; it still goes first.
    PersonalToken.objects.filter(key_hash=token_hash(expired)).update(last_used_at=clock.now())
    personal_token_issue(user=staff_a)
    assert not PersonalToken.objects.filter(key_hash=token_hash(expired)).exists()
    assert PersonalToken.objects.filter(user=staff_a).count() == CAP


@pytest.mark.django_db
def test_a_lowered_cap_trims_to_it_on_the_next_issue(staff_a, settings):
    for _ in range(CAP):
        personal_token_issue(user=staff_a)
    settings.API_TOKEN_MAX_PER_USER = 1
    kept = personal_token_issue(user=staff_a)
    assert list(PersonalToken.objects.filter(user=staff_a).values_list("key_hash", flat=True)) == [
        token_hash(kept)
    ]
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == CAP


@pytest.mark.django_db
def test_the_token_endpoint_applies_the_cap(staff_a):
    tokens = [
        APIClient()
        .post(reverse("api:auth-token"), {"username": "staff_a", "password": PASSWORD})
        .json()["token"]
        for _ in range(CAP + 2)
    ]
    assert PersonalToken.objects.filter(user=staff_a).count() == CAP
    assert [_status(raw) for raw in tokens[-CAP:]] == [200] * CAP
    assert [_status(raw) for raw in tokens[:2]] != [200, 200]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_token_requests_leave_no_more_than_the_cap(
    reference_data, staff_a, monkeypatch, settings
):
    """Eight logins at once, each slowed while it writes its token so that they overlap: all get
    a token, the user ends with exactly the cap (SQLite and PostgreSQL). The user's row lock
    serialises them; the audit chain's own lock would today as well, but the cap must not rest
    on how the audit log happens to be written."""
    settings.LOGIN_FAILURE_RATE = "1000/h"
    settings.AXES_FAILURE_LIMIT = 100  # attempts under way for one user name (probe R4)
    personal_token_issue(user=staff_a)

    def slow_audit(**kwargs):
        audit_record(**kwargs)
        if kwargs["action"] == "api_token_issue":
            threading.Event().wait(0.1)

    monkeypatch.setattr("hqzt.accounts.tokens.audit_record", slow_audit)
    workers = 8

    def token_request() -> int:
        response = APIClient().post(
            reverse("api:auth-token"), {"username": "staff_a", "password": PASSWORD}
        )
        return response.status_code

    codes = at_once([token_request] * workers)
    assert codes == [200] * workers
    assert PersonalToken.objects.filter(user=staff_a).count() == CAP
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == workers + 1 - CAP


def test_settings_refuse_a_cap_below_one():
    result = _run({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a", "API_TOKEN_MAX_PER_USER": "0"})
    assert result.returncode != 0
    assert "API_TOKEN_MAX_PER_USER" in result.stderr
