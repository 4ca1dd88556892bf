"""A file with more rows than one import takes is refused whole, with its row count, instead of
being cut at the limit without a word (probe L4): the ledger and the enterprise register, .xlsx
and .csv, the page and the service. MAX_ROWS is made small so the files stay small."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hqzt.documents import enterprise_import, spreadsheet
from hqzt.documents.import_errors import ImportFileError
from hqzt.documents.ledger_import import analyse
from hqzt.documents.models import ImportBatch
from hqzt.documents.tests.test_import import HEADER, _xlsx

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def _small_limit(monkeypatch):
    monkeypatch.setattr(spreadsheet, "MAX_ROWS", LIMIT)


def _rows(count: int) -> list[list]:
    return [
        [
            n,
            "2025-03-01",
            f"高平市限额测试{n}号有限公司",
            "王",
            "13903561234",
            "计量",
            f"第{n}条",
            "",
            "",
        ]
        for n in range(1, count + 1)
    ]


def _csv(rows: list[list]) -> io.BytesIO:
    lines = [",".join(HEADER)] + [",".join(str(c) for c in row) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


def test_a_ledger_at_the_limit_is_read_whole(station_a):
    analysis = analyse(_xlsx(_rows(LIMIT)), "台账.xlsx", station_a)
    assert analysis.counts["ok"] == LIMIT
    # Blank rows between records are not data: the same file with gaps still passes.
    gapped = _rows(LIMIT)
    gapped[2:2] = [[], [], []]
    assert analyse(_csv(gapped), "台账.csv", station_a).counts["ok"] == LIMIT


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_ledger_over_the_limit_is_refused_whole(station_a, kind):
    upload = _xlsx(_rows(LIMIT + 1)) if kind == "xlsx" else _csv(_rows(LIMIT + 1))
    with pytest.raises(ImportFileError) as refused:
        analyse(upload, f"台账.{kind}", station_a)
    assert str(refused.value) == (
        f"文件有 {LIMIT + 1} 行数据，超过单次导入上限 {LIMIT} 行，请拆分后分批导入。"
    )


def test_rows_beyond_the_old_cut_are_counted(station_a):
    """The old reader stopped at MAX_ROWS + 10 rows; the count covers the whole sheet."""
    with pytest.raises(ImportFileError, match=f"文件有 {LIMIT * 4} 行数据"):
        analyse(_xlsx(_rows(LIMIT * 4), title=False), "台账.xlsx", station_a)


def test_the_upload_page_says_so_and_keeps_no_batch(client_for, staff_a, station_a):
    upload = _xlsx(_rows(LIMIT + 3))
    upload.name = "台账.xlsx"
    response = client_for(staff_a).post(
        reverse("documents:import_upload"), {"station": station_a.pk, "file": upload}
    )
    assert response.status_code == 200
    assert f"文件有 {LIMIT + 3} 行数据，超过单次导入上限 {LIMIT} 行" in response.text
    assert not ImportBatch.objects.exists()


def _register(count: int) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["企业名称"])
    for n in range(1, count + 1):
        sheet.append([f"泽州县名册测试{n}号有限公司"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_enterprise_register_has_the_same_limit(station_a):
    assert len(enterprise_import.analyse(_register(LIMIT), "名册.xlsx", station_a)) == LIMIT
    with pytest.raises(ImportFileError, match=f"文件有 {LIMIT + 1} 行数据，超过单次导入上限"):
        enterprise_import.analyse(_register(LIMIT + 1), "名册.xlsx", station_a)


def _with_far_cell(value, styled: bool = False) -> io.BytesIO:
    from openpyxl.styles import Font

    upload = _xlsx(_rows(2))
    workbook = load_workbook(upload)
    cell = workbook.active.cell(row=1_048_576, column=9, value=value)
    if styled:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_styled_blank_cell_far_down_is_not_read_as_rows(station_a):
    """The grid stops at the last row holding something: a formatted empty cell at the sheet's
    end does not make a million blank rows (it did: a minute and 2.8 GB for a 5 KB file)."""
    analysis = analyse(_with_far_cell(None, styled=True), "台账.xlsx", station_a)
    assert analysis.counts["ok"] == 2


def test_a_stray_value_far_down_refuses_the_file_without_reading_to_it(station_a):
    with pytest.raises(ImportFileError) as refused:
        analyse(_with_far_cell("备忘"), "台账.xlsx", station_a)
    assert str(refused.value) == (
        f"工作表「Sheet」第 {LIMIT + 10} 行以下还有内容（最后一处在第 1048576 行），"
        "超出单次导入读取的范围：请删除表格下方的多余内容，或拆分后分批导入。"
    )
