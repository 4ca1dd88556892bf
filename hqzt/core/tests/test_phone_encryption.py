"""Contact phone numbers are encrypted at rest and still found by exact number (R-9)."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hqzt.audit.models import AuditEvent
from hqzt.core.crypto import DecryptionFailed, phone_hash
from hqzt.core.fields import phone_match
from hqzt.enterprises.models import EnterpriseContact
from hqzt.needs.models import Need

pytestmark = pytest.mark.django_db

NUMBER = "13800001234"
SPELLINGS = [
    "13800001234",
    "138-0000-1234",
    "138 0000 1234",
    "+86 138 0000 1234",
    "１３８００００１２３４",
]


def _raw(model, pk: int, column: str) -> tuple[str, str]:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}, {column}_hash FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


def _assert_ciphertext(value: str) -> None:
    assert value.startswith("gAAAAA")  # a Fernet token
    assert "1234" not in value and "138" not in value


def test_the_database_holds_no_digits_of_a_need_contact_phone(register):
    need = register()[0]
    stored, stored_hash = _raw(Need, need.pk, "contact_phone")
    _assert_ciphertext(stored)
    assert "12345678" not in stored and len(stored_hash) == 64
    assert Need.objects.get(pk=need.pk).contact_phone == "13812345678"


def test_the_database_holds_no_digits_of_an_enterprise_contact_phone(enterprise_a):
    contact = EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone=NUMBER)
    stored, stored_hash = _raw(EnterpriseContact, contact.pk, "phone")
    _assert_ciphertext(stored)
    assert stored_hash == phone_hash(NUMBER)
    assert EnterpriseContact.objects.get(pk=contact.pk).phone == NUMBER


def test_equal_numbers_give_different_ciphertext_and_the_same_hash(enterprise_a):
    one = EnterpriseContact.objects.create(enterprise=enterprise_a, name="甲", phone=NUMBER)
    two = EnterpriseContact.objects.create(enterprise=enterprise_a, name="乙", phone=NUMBER)
    (c1, h1), (c2, h2) = (_raw(EnterpriseContact, c.pk, "phone") for c in (one, two))
    assert c1 != c2 and h1 == h2


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_exact_number_search_in_any_formatting(enterprise_a, spelling):
    EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone=NUMBER)
    EnterpriseContact.objects.create(enterprise=enterprise_a, name="李四", phone="13900009999")
    found = EnterpriseContact.objects.filter(phone_match("phone", spelling))
    assert [c.name for c in found] == ["王五"]


def test_a_blank_number_matches_nothing(enterprise_a):
    EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone=NUMBER)
    assert not EnterpriseContact.objects.filter(phone_match("phone", " ")).exists()


def test_comparing_the_encrypted_column_in_the_database_is_refused():
    with pytest.raises(FieldError, match="phone_match"):
        EnterpriseContact.objects.filter(phone=NUMBER)
    with pytest.raises(FieldError):
        Need.objects.filter(contact_phone__endswith="1234")
    assert EnterpriseContact.objects.filter(phone__isnull=True).count() == 0
    assert EnterpriseContact.objects.filter(phone=None).count() == 0


def test_whether_there_is_a_number_can_still_be_asked(enterprise_a):
    EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone=NUMBER)
    EnterpriseContact.objects.create(enterprise=enterprise_a, name="无号码", phone="")
    assert [c.name for c in EnterpriseContact.objects.filter(phone="")] == ["无号码"]
    assert [c.name for c in EnterpriseContact.objects.exclude(phone="")] == ["王五"]


def test_the_hash_follows_an_edited_number(enterprise_a):
    contact = EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone=NUMBER)
    contact.phone = "13900009999"
    contact.save()
    assert not EnterpriseContact.objects.filter(phone_match("phone", NUMBER)).exists()
    assert EnterpriseContact.objects.filter(phone_match("phone", "139-0000-9999")).exists()


def test_a_wrong_key_fails_loudly(settings, enterprise_a):
    contact = EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone=NUMBER)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionFailed):
        EnterpriseContact.objects.get(pk=contact.pk)


def test_key_rotation(settings, enterprise_a):
    """A new key first: old rows still read and found; the command re-encrypts them all, after
    which the old key can go."""
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    contacts = [
        EnterpriseContact.objects.create(enterprise=enterprise_a, name=f"联系人{i}", phone=NUMBER)
        for i in range(3)
    ]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert EnterpriseContact.objects.get(pk=contacts[0].pk).phone == NUMBER
    assert EnterpriseContact.objects.filter(phone_match("phone", NUMBER)).count() == 3

    out = StringIO()
    call_command("rotate_field_encryption", batch_size=2, stdout=out)
    assert "企业联系人·联系电话：3 条" in out.getvalue()
    event = AuditEvent.objects.get(action="rotate_encryption")
    assert {"field": "phone", "label": "企业联系人·联系电话", "before": "", "after": "3"} in (
        event.changes["fields"]
    )

    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert {c.phone for c in EnterpriseContact.objects.all()} == {NUMBER}
    assert EnterpriseContact.objects.filter(phone_match("phone", NUMBER)).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_reverses(reference_data, enterprise_a):
    table = connection.ops.quote_name(EnterpriseContact._meta.db_table)
    before = [("enterprises", "0002_name_search_index")]
    after = [("enterprises", "0003_encrypt_contact_phone")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:
        for name in ("甲", "乙"):
            cursor.execute(
                f"INSERT INTO {table} (enterprise_id, name, position, phone, is_primary) "  # noqa: S608
                "VALUES (%s, %s, '', %s, %s)",
                [enterprise_a.pk, name, NUMBER, False],
            )
    executor = MigrationExecutor(connection)
    executor.migrate(after)

    contacts = list(EnterpriseContact.objects.order_by("pk"))
    assert [c.phone for c in contacts] == [NUMBER, NUMBER]
    for contact in contacts:
        _assert_ciphertext(_raw(EnterpriseContact, contact.pk, "phone")[0])
    assert EnterpriseContact.objects.filter(phone_match("phone", "138-0000-1234")).count() == 2

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {table} ORDER BY id")  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == [NUMBER, NUMBER]
    # Every app back at its latest migration: going back to 0002 also unapplied the migrations
    # that depend on 0003 (dashboard's NeedStat), which later tests in this process need.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
