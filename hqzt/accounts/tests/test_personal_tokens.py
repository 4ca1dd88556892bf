"""Staff API tokens are stored as hashes only (ADR 0012): shown once on issue, found by hash,
void after a password change, revoked with an audit row; raw keys of DRF's old authtoken table
are hashed by the migration and keep working."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.models import PersonalToken
from hqzt.accounts.tests.factories import PASSWORD
from hqzt.accounts.tokens import personal_token_issue
from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.core.crypto import token_hash

pytestmark = pytest.mark.django_db
migration = importlib.import_module("hqzt.accounts.migrations.0006_personal_tokens_from_authtoken")


def _api(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def _stored_values() -> list[str]:
    fields = [f.attname for f in PersonalToken._meta.concrete_fields]
    return [str(v) for row in PersonalToken.objects.values_list(*fields) for v in row]


def test_the_token_is_shown_once_and_only_its_hash_is_stored(staff_a):
    response = APIClient().post(
        reverse("api:auth-token"), {"username": "staff_a", "password": PASSWORD}
    )
    assert response.status_code == 200
    raw = response.json()["token"]
    token = PersonalToken.objects.get(user=staff_a)
    assert token.key_hash == token_hash(raw) != raw
    assert not any(raw in value for value in _stored_values())
    assert AuditEvent.objects.filter(action="api_token_issue", actor=staff_a).count() == 1
    assert _api(raw).get(reverse("api:needs")).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_each_login_issues_a_new_token_and_the_earlier_ones_keep_working(staff_a):
    first, second = personal_token_issue(user=staff_a), personal_token_issue(user=staff_a)
    assert first != second and PersonalToken.objects.filter(user=staff_a).count() == 2
    assert _api(first).get(reverse("api:needs")).status_code == 200
    assert _api(second).get(reverse("api:needs")).status_code == 200


def test_an_unknown_token_or_its_hash_is_refused(staff_a):
    raw = personal_token_issue(user=staff_a)
    altered = raw[:-1] + ("0" if raw[-1] != "0" else "1")
    for sent in (altered, token_hash(raw), "x" * 40):
        assert _api(sent).get(reverse("api:needs")).status_code in (401, 403)


def test_a_token_older_than_the_password_is_refused(staff_a):
    with clock.travel(clock.now() - datetime.timedelta(days=1)):
        old = personal_token_issue(user=staff_a)
    staff_a.set_password("A-new-Password-2026")
    staff_a.save()
    refused = _api(old).get(reverse("api:needs"))
    assert refused.status_code in (401, 403) and "密码已修改" in refused.json()["detail"]
    assert _api(personal_token_issue(user=staff_a)).get(reverse("api:needs")).status_code == 200


def test_a_revoked_token_is_refused_and_the_revocation_audited(staff_a, admin_user, client):
    raw = personal_token_issue(user=staff_a)
    kept = personal_token_issue(user=staff_a)
    token = PersonalToken.objects.get(key_hash=token_hash(raw))
    client.force_login(admin_user)
    changelist = reverse("admin:accounts_personaltoken_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and raw not in page.text and token.key_hash not in page.text
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert _api(raw).get(reverse("api:needs")).status_code in (401, 403)
    assert _api(kept).get(reverse("api:needs")).status_code == 200
    event = AuditEvent.objects.get(action="api_token_revoke")
    assert event.actor == admin_user and event.object_id == str(token.pk)
    assert client.get(reverse("admin:accounts_personaltoken_add")).status_code == 403


def test_removing_the_second_factor_revokes_every_token_with_an_audit_row(staff_a, admin_user):
    from hqzt.accounts.otp import otp_reset

    tokens = [personal_token_issue(user=staff_a) for _ in range(2)]
    otp_reset(user=staff_a, actor=admin_user)
    assert not PersonalToken.objects.filter(user=staff_a).exists()
    assert all(_api(t).get(reverse("api:needs")).status_code in (401, 403) for t in tokens)
    assert AuditEvent.objects.filter(action="api_token_revoke", actor=admin_user).count() == 2


# --- The migration from DRF's authtoken table ----------------------------------------------------


def _legacy_table(rows: list[tuple[str, int, datetime.datetime]]) -> None:
    """DRF's authtoken_token as it was (key, created, user_id), with raw keys in it."""
    created = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            + f"created {created} NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.executemany(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [(key, at, user_id) for key, user_id, at in rows],
        )
    MigrationRecorder(connection).record_applied("authtoken", "0001_initial")


class _Editor:
    connection = connection


def test_the_migration_hashes_old_raw_keys_and_they_still_authenticate(staff_a, chief_a):
    issued = clock.now() - datetime.timedelta(hours=1)
    staff_a.password_changed_at = issued - datetime.timedelta(days=1)
    staff_a.save()
    raw = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's kind of key: 40 hex digits
    stale = "0" * 40  # issued before chief_a's password
    _legacy_table([(raw, staff_a.pk, issued), (stale, chief_a.pk, issued)])

    from django.apps import apps

    migration.personal_tokens_from_authtoken(apps, _Editor())

    token = PersonalToken.objects.get(user=staff_a)
    assert token.key_hash == token_hash(raw) and token.created == issued
    assert "authtoken_token" not in connection.introspection.table_names()
    assert not MigrationRecorder(connection).migration_qs.filter(app="authtoken").exists()
    assert not any(raw in value for value in _stored_values())
    assert _api(raw).get(reverse("api:needs")).status_code == 200
    assert _api(stale).get(reverse("api:needs")).status_code in (
        401,
        403,
    )  # the old rules still hold


def test_the_migration_does_nothing_without_the_old_table(staff_a):
    from django.apps import apps

    migration.personal_tokens_from_authtoken(apps, _Editor())
    assert not PersonalToken.objects.exists()
