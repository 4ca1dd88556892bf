"""The audit log is append-only in the database and tamper-evident through its hash chain."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from hqzt.audit.append_only import set_triggers
from hqzt.audit.models import AuditChainHead, AuditEvent
from hqzt.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(station_a, admin_user):
    return [
        audit_record(actor=admin_user, action="update", obj=station_a, changes=[{"field": str(i)}])
        for i in range(3)
    ]


def test_rows_form_a_chain_that_verifies(events, capsys):
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert AuditChainHead.objects.get().last_hash == events[-1].hash
    call_command("audit_verify")
    assert "哈希链连续" in capsys.readouterr().out


def test_a_row_edited_in_the_database_is_found(events):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["篡改", events[1].pk]
        )
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("audit_verify")


def test_a_deleted_row_is_found(events):
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    with pytest.raises(CommandError, match=f"#{events[2].pk}"):
        call_command("audit_verify")
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    with pytest.raises(CommandError, match="链尾与记录不一致"):
        call_command("audit_verify")


def test_the_database_refuses_updates_and_deletes(events):
    set_triggers(connection, install=True)  # rolled back with the test's transaction
    for sql in ("UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 3
    assert AuditEvent.objects.filter(action="update").count() == 3
