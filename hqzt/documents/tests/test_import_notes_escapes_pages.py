"""The rest of the outside probe of issue 14: a need written "备注：…" is a row, not a footer;
Excel's _xHHHH_ escapes are read as the characters they stand for, so a control character is
refused; the wording of a merge by name, of an .xls renamed .xlsx, of a confirm URL opened by
link and of a tampered station; the upload page preselects a user's only station."""

import datetime
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from hqzt.core import clock
from hqzt.documents.enterprise_commit import enterprise_import_apply
from hqzt.documents.enterprise_import import analyse as register_analyse
from hqzt.documents.ledger_commit import ledger_import_apply
from hqzt.documents.ledger_import import analyse
from hqzt.documents.models import ImportBatch
from hqzt.documents.spreadsheet import ooxml_unescape
from hqzt.documents.tests import messy
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Need
from hqzt.stations.models import StationMember

pytestmark = pytest.mark.django_db
NEW_YEAR = datetime.datetime(2026, 1, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def _analyse(station, upload):
    with clock.travel(NEW_YEAR):
        return analyse(upload, "台账.xlsx", station)


# --- footers --------------------------------------------------------------------------------


def _with_notes() -> io.BytesIO:
    """The station ledger with a need its clerk wrote as a note, and the signature lines under
    the 合计 row that every paper ledger has."""
    rows = [list(r) for r in messy.STATION_LEDGER]
    rows[6][6] = "备注：叉车年检，企业希望月底前完成"  # row 10, its 企业需求 cell
    rows[8][6] = "负责人变更后营业执照需要变更"  # row 12: a need that begins like a signature
    rows += [
        ["负责人：李站长", "", "", "", "制表：张三", "", "", "", ""],
        ["", "", "审核：王五", "", "", "", "备注：本表一式两份", "", ""],
    ]
    return messy.station_ledger(rows)


def test_only_the_first_filled_cell_makes_a_footer(station_a, staff_a):
    analysis = _analyse(station_a, _with_notes())
    rows = {r.row: r for r in analysis.rows}
    assert rows[10].status == "ok"
    assert rows[10].values["content"] == "备注：叉车年检，企业希望月底前完成"
    assert rows[12].status == "ok" and rows[12].values["content"].startswith("负责人变更")
    assert [rows[n].status for n in (20, 21, 22)] == ["skipped"] * 3
    assert {rows[n].reason for n in (20, 21, 22)} == {"合计/说明行"}
    with clock.travel(NEW_YEAR):
        ledger_import_apply(
            analysis=analysis, station=station_a, actor=staff_a, archive=True, file_name="x"
        )
    assert Need.objects.filter(content__startswith="备注：叉车年检").count() == 1


def test_a_register_row_with_a_note_later_on_is_a_row(station_a):
    text = (
        "企业名称,法定代表人,地址\n"
        "晋城市备注机械有限公司,张三,备注：厂区在巴公镇\n"
        "备注：以上为本站企业,,\n"
    )
    rows = register_analyse(io.BytesIO(text.encode()), "名册.csv", station_a)
    assert [r.status for r in rows] == ["new", "skipped"]


# --- _xHHHH_ escapes ------------------------------------------------------------------------


def _excel_escaped(rows: list[list]) -> io.BytesIO:
    """An .xlsx whose strings hold _xHHHH_ escapes as Excel writes them: a control
    character pasted into a cell (U+0001 is "_x0001_"), and text that merely looks like an
    escape ("_x0041_" typed by a person is written "_x005F_x0041_")."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert "_x0001_" in xml and "_x005F_x0041_" in xml  # as in the file, undecoded
    buffer.seek(0)
    return buffer


def test_escapes_are_decoded_and_legitimate_text_is_kept():
    assert ooxml_unescape("甲_x0001_乙") == "甲\x01乙"
    assert ooxml_unescape("型号_x005F_x0041_") == "型号_x0041_"
    assert ooxml_unescape("编号_x12_与_xZZZZ_") == "编号_x12_与_xZZZZ_"


def test_an_escaped_control_character_refuses_the_ledger_row(station_a, staff_a):
    good = [1, "2025-03-03", "晋城市转义机械有限公司", "王", "13903560001", "计量"]
    upload = _excel_escaped(
        [
            messy.HEADER,
            [*good, "参数_x005F_x0041_见附件", "", ""],
            [2, "2025-03-03", "晋城市_x0001_机械有限公司", "王", "13903560001", "计量", "检定"],
            [3, "2025-03-03", "晋城市转义机械有限公司", "王", "13903560001", "计量_x0007_", "检"],
        ]
    )
    analysis = _analyse(station_a, upload)
    rows = {r.row: r for r in analysis.rows}
    assert rows[2].status == "ok" and rows[2].values["content"] == "参数_x0041_见附件"
    assert rows[3].status == "rejected"
    assert rows[3].reason == "企业名称：含有不可见的控制字符（U+0001），请删除后再导入"
    assert rows[4].status == "rejected"
    assert rows[4].reason == "企业需求类型含有不可见的控制字符（U+0007），请删除后再导入"
    with clock.travel(NEW_YEAR):
        ledger_import_apply(
            analysis=analysis, station=station_a, actor=staff_a, archive=True, file_name="x"
        )
    assert list(Need.objects.values_list("content", flat=True)) == ["参数_x0041_见附件"]
    assert not Enterprise.objects.filter(name__contains="\x01").exists()


def test_an_escaped_control_character_refuses_the_register_row(station_a, staff_a):
    upload = _excel_escaped(
        [
            ["企业名称", "法定代表人", "地址"],
            ["晋城市_x0001_机械有限公司", "张三", ""],
            ["晋城市转义光电有限公司", "李四", "巴公镇_x005F_x0041_号"],
        ]
    )
    rows = enterprise_import_apply(
        upload=upload, name="名册.xlsx", station=station_a, actor=staff_a
    )
    assert [r.status for r in rows] == ["rejected", "new"]
    assert rows[0].reason == "企业名称含有不可见的控制字符（U+0001），请删除后再导入"
    assert Enterprise.objects.get().address == "巴公镇_x0041_号"


# --- wording --------------------------------------------------------------------------------


def test_a_merge_by_name_says_the_names_are_the_same(station_a):
    text = "企业名称,法定代表人\n晋城市重名机械有限公司,张三\n晋城市重名机械有限公司,\n"
    rows = register_analyse(io.BytesIO(text.encode()), "名册.csv", station_a)
    assert rows[1].reason == "与第 2 行为同一企业（企业名称相同），已合并"


@pytest.mark.parametrize("url", ["documents:import_upload", "documents:enterprise_import"])
def test_an_old_xls_renamed_xlsx_gets_the_save_as_hint(client_for, staff_a, station_a, url):
    upload = SimpleUploadedFile("2025年台账.xlsx", messy.old_xls_renamed().read())
    page = client_for(staff_a).post(reverse(url), {"station": station_a.pk, "file": upload})
    assert page.status_code == 200
    assert "旧版 Excel（.xls）" in page.text and "另存为" in page.text
    assert "不是有效的 .xlsx" not in page.text
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("kind", "confirm", "upload"),
    [
        (ImportBatch.Kind.ENTERPRISES, "enterprise_import_confirm", "enterprise_import"),
        (ImportBatch.Kind.LEDGER, "import_confirm", "import_upload"),
    ],
)
def test_a_confirm_url_opened_by_link_imports_nothing_and_says_how(
    client_for, staff_a, staff_b, station_a, kind, confirm, upload
):
    batch = ImportBatch(kind=kind, uploaded_by=staff_a, station=station_a, original_name="x.csv")
    batch.file.save("x", SimpleUploadedFile("x.csv", "企业名称\n晋城市链接机械有限公司\n".encode()))
    url = reverse(f"documents:{confirm}", args=[batch.pk])
    response = client_for(staff_a).get(url)
    assert response.status_code == 302 and response.url == reverse(f"documents:{upload}")
    page = client_for(staff_a).get(url, follow=True)
    assert "请在预检结果页点击“确认导入”" in page.text
    batch.refresh_from_db()
    assert batch.applied_at is None and not Enterprise.objects.exists()
    assert client_for(staff_b).get(url).status_code == 404  # not B's batch: not found


def test_a_tampered_station_is_refused_in_chinese_without_its_id(
    client_for, staff_a, station_a, station_b
):
    client = client_for(staff_a)
    upload = SimpleUploadedFile("名册.csv", "企业名称\n晋城市篡改机械有限公司\n".encode())
    page = client.post(reverse("documents:enterprise_import"), {"station": 987654, "file": upload})
    assert "所选服务站不在您的权限范围内" in page.text and "987654" not in page.text
    new = {
        "name": "晋城市篡改光电有限公司",
        "size": "small",
        "stations": [station_b.pk, "abc"],
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
    }
    for stations in ([str(station_b.pk)], ["abc"]):
        page = client.post(reverse("enterprises:create"), {**new, "stations": stations})
        assert page.status_code == 200
        assert "所选服务站不在您的权限范围内" in page.text
        assert "不是可用的选项" not in page.text and "“abc”" not in page.text
    assert not Enterprise.objects.exists()


# --- the upload page ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["documents:import_upload", "documents:enterprise_import"])
def test_the_only_station_is_preselected(client_for, staff_a, station_a, station_b, url):
    page = client_for(staff_a).get(reverse(url)).text
    assert f'<option value="{station_a.pk}" selected>' in page
    StationMember.objects.create(
        station=station_b, user=staff_a, role="resident_staff", onboarding_trained_on="2025-01-10"
    )
    page = client_for(staff_a).get(reverse(url)).text
    assert f'<option value="{station_a.pk}" selected>' not in page
    assert '<option value="" selected>请选择服务站</option>' in page
