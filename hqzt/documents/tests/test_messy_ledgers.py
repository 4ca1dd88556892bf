"""Issue 14: a station's real spreadsheet imports as a person would fix it, with each fix shown,
keeping the station's own numbers even where they equal another station's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hqzt.core import clock
from hqzt.documents.import_errors import ImportFileError
from hqzt.documents.ledger_choices import ImportChoices
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.documents.tests import messy
from hqzt.needs.models import Need, NeedEvent, NeedType, NeedTypeAlias, Scope, TrackingSheet
from hqzt.needs.states import Status
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db
NEW_YEAR = datetime.datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _analyse(station, upload, name="台账.xlsx", choices=None):
    with clock.travel(NEW_YEAR):
        return analyse(upload, name, station, choices)


def _import(station, actor, upload, name="台账.xlsx", choices=None, archive=True):
    with clock.travel(NEW_YEAR):
        analysis = analyse(upload, name, station, choices)
        ledger_import_apply(
            analysis=analysis, station=station, actor=actor, archive=archive, file_name=name
        )
    return analysis


def test_the_station_ledger_of_the_issue_imports_its_13_good_rows(
    station_a, staff_a, station_b, staff_b
):
    # Another station already holds the same numbers (the demo's, in the issue).
    _import(station_b, staff_b, messy.station_ledger())
    analysis = _import(station_a, staff_a, messy.station_ledger())
    by_row = {r.row: r for r in analysis.rows}
    assert analysis.counts == {"ok": 12, "duplicate": 0, "repeat": 1, "rejected": 3, "skipped": 1}
    assert [by_row[n].status for n in (17, 18, 19, 20)] == ["rejected"] * 3 + ["skipped"]
    assert by_row[11].status == "repeat" and by_row[11].reason == "与第 10 行完全相同，只导入一次"
    assert all("其他" not in r.reason for r in analysis.rows if r.status == "ok")
    needs = Need.objects.filter(station=station_a)
    assert needs.count() == 12
    numbers = TrackingSheet.objects.filter(station=station_a).values_list(
        "tracking_number", flat=True
    )
    assert sorted(numbers) == [f"2025{i:04d}" for i in range(1, 12)]
    # Two needs on one number land on one sheet.
    assert needs.filter(sheet__tracking_number="20250001").count() == 2


def test_each_fix_is_shown_on_its_row(station_a):
    rows = {r.row: r for r in _analyse(station_a, messy.station_ledger()).rows}
    types = {code: NeedType.objects.get(code=code) for code in ("standardization", "policy")}
    assert rows[5].values["need_type"] == types["standardization"]
    assert rows[5].warnings == ["需求类型「标准化服务」按「标准化」导入"]
    assert rows[6].values["need_type"].code == "certification"
    assert rows[7].values["need_type"] == types["policy"]
    assert rows[7].values["department"].name == "市税务局"
    assert rows[7].warnings == [
        "需求类型「税务」属于市税务局的职能，按其他部门职能范围、「政策咨询」导入"
    ]
    assert rows[8].values["need_type"].code == "metrology"
    assert rows[8].warnings == ["未填需求类型，需求内容提到「地磅」，按「计量」导入"]
    assert rows[13].values["department"].name == "市人力资源和社会保障局"
    assert rows[14].values["department"].name == "市自然资源局"
    assert rows[14].values["need_type"].code == "other"
    assert not rows[4].warnings and not rows[9].warnings  # written as the types are named


def test_cells_are_read_as_a_person_reads_them(station_a):
    rows = {r.row: r for r in _analyse(station_a, messy.station_ledger()).rows}
    dates = [rows[n].values["registered_on"] for n in (4, 5, 6, 7, 8)]
    assert dates == [datetime.date(2025, 1, d) for d in (8, 8, 9, 10, 13)]  # 45666 = 2025-01-09
    assert rows[4].values["contact_phone"] == "13812345678"
    assert rows[6].values["contact_phone"] == "03562221234"
    assert rows[7].values["contact_phone"] == "13903568888"
    assert rows[7].values["tracking_number"] == "20250003"
    assert rows[9].values["enterprise"] == "<b>陵川县</b><script>alert(1)</script>机械有限公司"


def test_markup_in_a_name_is_shown_as_text(client_for, station_a, staff_a):
    _import(station_a, staff_a, messy.station_ledger())
    need = Need.objects.get(content="商标被抢注")
    page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_the_user_may_change_a_fix_keep_a_repeat_and_save_an_alias(station_a, staff_a):
    other = NeedType.objects.get(code="other")
    tax = Section.objects.get(name="市税务局")
    choices = ImportChoices(types={7: other}, departments={8: tax}, keep={11}, aliases={5})
    analysis = _import(station_a, staff_a, messy.station_ledger(), choices=choices)
    rows = {r.row: r for r in analysis.rows}
    assert rows[7].values["need_type"] == other
    assert "需求类型按您的选择改为「其他」" in rows[7].warnings
    assert rows[8].values["department"] == tax
    assert rows[11].status == "ok" and "与第 10 行完全相同，按您的选择保留" in rows[11].warnings
    assert Need.objects.filter(content="叉车年检").count() == 2
    alias = NeedTypeAlias.objects.get(alias="标准化服务")
    assert alias.need_type.code == "standardization"
    # The alias now names the type: no warning next time.
    again = {r.row: r for r in _analyse(station_a, messy.station_ledger()).rows}
    assert again[5].status == "duplicate"


def test_the_same_file_twice_adds_nothing(station_a, staff_a):
    choices = ImportChoices(keep={11})
    _import(station_a, staff_a, messy.station_ledger(), choices=choices)
    count = Need.objects.count()
    analysis = _import(station_a, staff_a, messy.station_ledger(), choices=choices)
    assert Need.objects.count() == count == 13
    assert analysis.counts["ok"] == 0 and analysis.counts["duplicate"] == 13


def test_an_imported_need_enters_the_workflow_honestly(station_a, staff_a):
    with clock.travel(NEW_YEAR):
        _import(station_a, staff_a, messy.station_ledger(), name="巴公台账2025.xlsx")
    need = Need.objects.get(content="留抵退税政策怎么申请")
    assert need.status == Status.ARCHIVED and need.archive_category == need.need_type
    assert need.retention_until == datetime.date(2029, 1, 5)  # RETENTION_YEARS after archiving
    assert (need.scope, need.department.name) == (Scope.OTHER_DEPARTMENT, "市税务局")
    event = NeedEvent.objects.get(need=need)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "import",
        staff_a,
        "",
        Status.ARCHIVED,
    )
    assert event.data["file"] == "巴公台账2025.xlsx" and event.data["row"] == 7
    assert event.data["fixes"] == [
        "需求类型「税务」属于市税务局的职能，按其他部门职能范围、「政策咨询」导入"
    ]
    assert "巴公台账2025.xlsx，第 7 行" in event.note


def test_the_ledger_on_a_second_sheet_and_hidden_sheets_ignored(station_a):
    analysis = _analyse(station_a, messy.second_sheet_ledger())
    assert analysis.sheet == "台账"
    assert [r.values["enterprise"] for r in analysis.accepted] == ["晋城市光机电有限公司"]
    assert analysis.notes == []


def test_hidden_columns_and_rows_merged_cells_and_apostrophes(station_a):
    analysis = _analyse(station_a, messy.hidden_and_merged_ledger())
    rows = {r.row: r for r in analysis.rows}
    assert [rows[2].status, rows[3].status] == ["ok", "ok"]
    assert rows[3].values["enterprise"] == "晋城市合并单元格有限公司"
    assert rows[3].values["registered_on"] == datetime.date(2025, 3, 5)
    assert rows[2].values["tracking_number"] == "20250021"
    assert rows[2].values["contact_phone"] == "13903560003"
    assert rows[2].values["first_contact"] == ""  # the hidden 内部备注 column is not read
    assert rows[4].status == "skipped" and rows[4].reason == "工作表中隐藏的行"


def test_a_gbk_csv_keeps_its_punctuation(station_a):
    analysis = _analyse(station_a, messy.gbk_csv(), name="台账.csv")
    first, second = analysis.rows
    assert first.status == "ok" and first.values["content"] == "加油机检定，请尽快"
    assert first.values["enterprise"] == "晋城市ＧＢＫ编码有限公司"
    assert first.values["contact_phone"] == "03562221234"
    assert second.status == "repeat" and second.reason == "与第 2 行完全相同，只导入一次"


def test_an_old_xls_saved_as_xlsx_gets_a_clear_message(station_a):
    with pytest.raises(ImportFileError, match=r"旧版 Excel（\.xls）文件"):
        _analyse(station_a, messy.old_xls_renamed())


def test_the_review_page_offers_the_fixes(client_for, staff_a, station_a):
    upload = messy.station_ledger()
    upload.name = "台账.xlsx"
    client = client_for(staff_a)
    with clock.travel(NEW_YEAR):
        page = client.post(
            reverse("documents:import_upload"), {"station": station_a.pk, "file": upload}
        ).text
    assert 'name="type-7"' in page and 'name="dept-7"' in page and 'name="alias-5"' in page
    assert 'name="keep-11"' in page and "与第 10 行完全相同" in page
    assert "&lt;script&gt;" in page
    from hqzt.documents.models import ImportBatch

    batch = ImportBatch.objects.get()
    with clock.travel(NEW_YEAR):
        response = client.post(
            reverse("documents:import_confirm", args=[batch.pk]),
            {"type-7": "other", "dept-7": "", "keep-11": "1", "type-8": "no-such-type"},
        )
        assert response.status_code == 302 and response.url == reverse("needs:ledger")
    tax_row = Need.objects.get(content="留抵退税政策怎么申请")
    assert tax_row.need_type.code == "other" and tax_row.department is None
    assert Need.objects.get(content="地磅需要检定").need_type.code == "metrology"
    assert Need.objects.filter(content="叉车年检").count() == 2
