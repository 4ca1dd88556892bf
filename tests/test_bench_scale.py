"""`bench/scale.py build` writes rows with COPY/executemany instead of save(): they must be the rows
the app itself writes, and the ledger's searches and filters must find in them what the texts
say (issue 18). A few hundred needs, built by the same code the benchmark runs."""

import random

import pytest
from django.db import connection

from bench.scale_build import NeedNgrams, fill
from bench.scale_rows import Table
from hqzt.accounts.models import User
from hqzt.core.crypto import field_decrypt
from hqzt.enterprises.models import Enterprise
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.models import Need, TrackingSheet
from hqzt.needs.models.need import need_ngrams

pytestmark = pytest.mark.django_db

NEEDS = 300


SCHEMA = (
    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' UNION ALL "
    "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1"
)


def _schema() -> list:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(SCHEMA)
        return cursor.fetchall()


@pytest.fixture
def built(db, capsys):
    before = _schema()
    fill(NEEDS, seed=7)
    capsys.readouterr()  # the progress lines
    # Every index and constraint dropped for the load is back, spelled as the migrations made it.
    assert _schema() == before


def _raw(model, pk) -> dict:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" WHERE id = %s', [pk])  # noqa: S608 # nosec B608 # name from Meta
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def _resaved(model, pk) -> tuple[dict, dict]:
    """The row as built, and the same row after the app's own save() wrote it again."""
    before = _raw(model, pk)
    model.objects.get(pk=pk).save()
    return before, _raw(model, pk)


def _same_but_time(before: dict, after: dict, *, phone: str | None = None) -> None:
    for column in ("updated_at", phone):
        before.pop(column, None), after.pop(column, None)
    assert before == after


def test_a_built_need_is_the_row_its_save_writes(built):
    for need in Need.objects.order_by("?")[:25]:
        before, after = _resaved(Need, need.pk)
        # Fernet ciphertext is random: the same number, another encryption.
        assert field_decrypt(before["contact_phone"]) == field_decrypt(after["contact_phone"])
        assert before["contact_phone"] != after["contact_phone"]
        assert before["search_ngrams"] == need_ngrams(need.content, need.enterprise.name)
        _same_but_time(before, after, phone="contact_phone")


def test_a_built_enterprise_and_sheet_are_the_rows_their_save_writes(built):
    for enterprise in Enterprise.objects.order_by("?")[:10]:
        _same_but_time(*_resaved(Enterprise, enterprise.pk))
    for sheet in TrackingSheet.objects.order_by("?")[:10]:
        _same_but_time(*_resaved(TrackingSheet, sheet.pk))


def test_the_table_writes_what_the_field_prepares(db):
    table = Table(Need, connection)
    row = dict(zip(table.columns, table.row({"contact_phone": "13812345678"}), strict=True))
    assert field_decrypt(row["contact_phone"]) == "13812345678"
    field = Need._meta.get_field("contact_phone_hash")
    assert row["contact_phone_hash"] == field.pre_save(Need(contact_phone="13812345678"), True)
    assert row["round"] == 1 and row["status"] == "" and row["due_on"] is None


def test_need_ngrams_from_cached_tokens_equal_ngrams():
    made = NeedNgrams()
    rng = random.Random(1)
    texts = ["电子天平需要检定。", "检定 检定", "", "ABC abc，检"]
    names = ["巴公华晟机械有限公司1", "检定公司", "", "A B"]
    for _ in range(200):
        content, name = rng.choice(texts), rng.choice(names)
        assert made(content, name) == need_ngrams(content, name)


@pytest.mark.parametrize("term", ["检", "检定", "计量", "周期检定", "铬铁", "巴公", "鲲鹏"])
def test_the_ledger_search_finds_every_need_holding_the_term(built, supervisor, term):
    needs, _ = ledger_filter(supervisor, {"q": term})
    expected = {
        pk
        for pk, content, name in Need.objects.values_list("pk", "content", "enterprise__name")
        if term in content or term in name
    }
    assert set(needs.values_list("pk", flat=True)) == expected


def test_the_ledger_finds_a_built_need_by_its_phone_and_filters_by_state(built, supervisor):
    need = Need.objects.order_by("pk")[NEEDS // 2]
    staff = User.objects.get(username=f"bench-staff-{need.station_id}")  # sees full numbers
    found, _ = ledger_filter(staff, {"q": need.contact_phone})
    assert need in found
    overdue, _ = ledger_filter(supervisor, {"overdue": "on"})
    assert overdue.exists()
    assert Need.objects.values("status").distinct().count() > 5


def test_a_built_station_numbers_its_next_sheet_after_its_last(built):
    from django.db import transaction
    from django.db.models import Max

    from hqzt.needs.numbering import next_serial

    sheet = TrackingSheet.objects.order_by("-pk").first()
    last = TrackingSheet.objects.filter(station=sheet.station_id, year=sheet.year).aggregate(
        last=Max("serial")
    )["last"]
    with transaction.atomic():
        assert next_serial(sheet.station_id, sheet.year) == last + 1
