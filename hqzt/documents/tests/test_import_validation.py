"""The dry run applies exactly the forms' validation and the confirm imports a batch once
(issue 13 item 6): nothing truncated, nothing the database refuses, no 500 on a double confirm."""

import io

import pytest
from django.core.files.base import ContentFile

from hqzt.documents.import_errors import AlreadyImported
from hqzt.documents.ledger_commit import import_batch_confirm
from hqzt.documents.ledger_import import analyse
from hqzt.documents.models import ImportBatch
from hqzt.documents.tests.test_import import HEADER, _xlsx
from hqzt.needs.models import Need
from tests.concurrency import at_once


def _csv(rows: list[list[str]]) -> io.BytesIO:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


def _row(**cells: str) -> list[str]:
    values = {
        "date": "2025-03-01",
        "enterprise": "晋城市某某机械有限公司",
        "contact": "王经理",
        "phone": "13903561234",
        "type": "计量",
        "content": "压力表检定",
        "first": "",
        "number": "",
    } | cells
    return ["1", *values.values()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"enterprise": "晋城\x00机械有限公司"}, "企业名称：含有不可见的控制字符（U+0000）"),
        ({"content": "检定\x07压力表"}, "企业需求：含有不可见的控制字符（U+0007）"),
        ({"enterprise": "企" * 305}, "企业名称：确保该变量包含不超过 200 字符 (目前字符数 305)"),
        (
            {"content": "需" * 100_000},
            "企业需求：确保该变量包含不超过 2000 字符 (目前字符数 100000)",
        ),
        ({"contact": "联" * 51}, "企业联系人：确保该变量包含不超过 50 字符 (目前字符数 51)"),
        ({"first": "员" * 51}, "首位工作人员：确保该变量包含不超过 50 字符 (目前字符数 51)"),
        ({"enterprise": "甲"}, "企业名称：企业名称至少2个字"),
        ({"content": ""}, "企业需求：该字段是必填项"),
    ],
)
def test_the_dry_run_refuses_what_the_forms_refuse(station_a, cells, reason):
    outcome = analyse(_csv([_row(**cells)]), "台账.csv", station_a).rows[0]
    assert outcome.status == "rejected" and reason in outcome.reason, outcome.reason


@pytest.mark.django_db
def test_every_problem_of_a_row_is_reported(station_a):
    row = _row(enterprise="企" * 201, contact="联" * 51, phone="12", type="火箭", date="2025-13-01")
    outcome = analyse(_csv([row]), "台账.csv", station_a).rows[0]
    assert outcome.status == "rejected"
    for problem in [
        "企业名称：确保",
        "企业联系人：确保",
        "日期「2025-13-01」不存在",
        "未知的需求类型",
        "联系电话",
    ]:
        assert problem in outcome.reason, outcome.reason


@pytest.mark.django_db
def test_free_text_is_kept_as_written_and_keys_are_normalised(station_a, staff_a):
    row = [
        1,
        "２０２５年３月１日",
        "晋城市（泽州）精密机械有限公司",
        "王经理",
        "１３９ ０３５６ １２３４",
        "计量",
        "压力表检定，ＡＢＣ型号；请尽快",
        "",
        "２０２５０００３",
    ]
    outcome = analyse(_xlsx([row]), "台账.xlsx", station_a).rows[0]
    assert outcome.status == "ok", outcome.reason
    values = outcome.values
    assert values["enterprise"] == "晋城市（泽州）精密机械有限公司"
    assert values["content"] == "压力表检定，ＡＢＣ型号；请尽快"
    assert (values["contact_phone"], values["tracking_number"]) == ("13903561234", "20250003")
    assert str(values["registered_on"]) == "2025-03-01"


def _batch(station, user) -> ImportBatch:
    batch = ImportBatch(uploaded_by=user, station=station, original_name="台账.xlsx")
    batch.file.save("upload", ContentFile(_xlsx([_row()]).read()), save=False)
    batch.save()
    return batch


@pytest.mark.django_db
def test_a_batch_is_imported_once(station_a, staff_a):
    batch = _batch(station_a, staff_a)
    assert import_batch_confirm(batch=batch, actor=staff_a) == 1
    with pytest.raises(AlreadyImported):
        import_batch_confirm(batch=batch, actor=staff_a)
    assert Need.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_two_simultaneous_confirms_import_once_and_the_second_is_told(request):
    station, staff = request.getfixturevalue("station_a"), request.getfixturevalue("staff_a")
    batch = _batch(station, staff)
    results = at_once([lambda: import_batch_confirm(batch=batch, actor=staff)] * 2)
    assert sorted(type(r).__name__ for r in results) == ["AlreadyImported", "int"], results
    assert Need.objects.count() == 1


@pytest.mark.django_db
def test_invisible_characters_in_names_are_taken_out_as_the_forms_do(station_a):
    row = _row(enterprise="晋城\u202e司公限有械机", contact="王\u200b经理")
    outcome = analyse(_csv([row]), "台账.csv", station_a).rows[0]
    assert outcome.status == "ok", outcome.reason
    assert outcome.values["enterprise"] == "晋城司公限有械机"
    assert outcome.values["contact_name"] == "王经理"
    assert outcome.warnings == ["企业名称中的不可见字符已去掉", "企业联系人中的不可见字符已去掉"]
