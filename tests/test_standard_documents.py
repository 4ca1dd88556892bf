"""Every document the product generates, read back and compared with the words of DB1405/T 060—2024.

The expected titles, columns and labels are the standard's literal words in tests/standard_text.py,
never the constants of the code under test: a wrong column list in the code must fail here.
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from hqzt.needs.states import Status
from tests.standard_text import (
    BOOK_KINDS,
    ENTERPRISE_PROFILE,
    EVALUATION_LABELS,
    EVALUATION_LEVELS,
    EVALUATION_TITLE,
    LEDGER_COLUMNS,
    LEDGER_TITLE,
    NOTICE_LABELS,
    PRINCIPLES,
    PROCESS,
    SHEET_COLUMNS,
    SHEET_HEAD,
    SHEET_ROWS,
    SHEET_TITLE,
    SIGN_TEXT,
    WEEKLY_REPORT_PARTS,
)

pytestmark = pytest.mark.django_db


def _xlsx_rows(response) -> list[list]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _pdf_text(data: bytes) -> str:
    """The text of every page without white space: a long cell wraps, and the extraction puts
    spaces between table cells and for the full-width space."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def _docx(data: bytes):
    return Document(io.BytesIO(data))


def _content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- 附录B: the ledger ---------------------------------------------------------------------------


# DB1405 §6.2 §附录B
def test_ledger_xlsx_is_table_b1(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    rows = _xlsx_rows(client_for(staff_a).get(reverse("documents:ledger_xlsx")))
    assert rows[0][0] == LEDGER_TITLE
    assert rows[1] == LEDGER_COLUMNS
    assert rows[2][:3] == [
        1,
        datetime.datetime.combine(need.registered_on, datetime.time()),
        need.enterprise.name,
    ]
    assert rows[2][8] == need.sheet.tracking_number


# DB1405 §附录B
def test_ledger_xlsx_across_stations_keeps_table_b1_and_adds_the_station_last(
    client_for, drive, supervisor, staff_b, station_b, enterprise_b
):
    from hqzt.needs.tests.factories import TrackingSheetFactory

    drive(Status.REGISTERED)
    TrackingSheetFactory(station=station_b, enterprise=enterprise_b, actor=staff_b)
    rows = _xlsx_rows(client_for(supervisor).get(reverse("documents:ledger_xlsx")))
    assert rows[0][0] == LEDGER_TITLE
    assert rows[1] == [*LEDGER_COLUMNS, "服务站"]


# DB1405 §附录B
def test_ledger_pdf_is_table_b1(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    text = _pdf_text(_content(client_for(staff_a).get(reverse("documents:ledger_pdf"))))
    assert LEDGER_TITLE in text
    assert "".join(LEDGER_COLUMNS) in text  # the heading row, in the appendix's order
    assert need.sheet.tracking_number in text


def _header_cells(page: str, marker: str = "<thead") -> list[str]:
    """The text of each <th> of the first table head after `marker`, tags and spaces removed."""
    head = page[page.index(marker) :]
    head = head[head.index("<thead") : head.index("</thead>")]
    return [
        "".join(re.sub(r"<[^>]+>", "", th).split())
        for th in re.findall(r"<th\b.*?</th>", head, re.S)
    ]


def _in_order(expected: list[str], cells: list[str]) -> bool:
    """Every expected heading is a cell, in this order (a page may add columns of its own)."""
    rest = iter(cells)
    return all(any(cell == heading for cell in rest) for heading in expected)


# DB1405 §附录B
def test_ledger_page_heads_its_table_with_table_b1(client_for, drive, staff_a):
    drive(Status.REGISTERED)
    page = client_for(staff_a).get(reverse("needs:ledger")).text
    cells = [cell.rstrip("⇅↑↓") for cell in _header_cells(page)]  # a sortable column's arrow
    assert _in_order(LEDGER_COLUMNS, cells), " | ".join(cells)


# --- 附录C: the tracking sheet -------------------------------------------------------------------


def _sheet_docx_checks(document, *, filled: list[str]):
    assert document.paragraphs[0].text == SHEET_TITLE
    for label in SHEET_HEAD:
        assert label in document.paragraphs[1].text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == SHEET_COLUMNS
    assert [row.cells[0].text for row in table.rows[1:]] == SHEET_ROWS
    assert [row.cells[1].text for row in table.rows[1:]][: len(filled)] == filled


# DB1405 §6.4.3 §附录C
def test_tracking_sheet_word_and_pdf_are_table_c1(client_for, register, staff_a):
    needs = register(2)
    sheet = needs[0].sheet
    client = client_for(staff_a)
    document = _docx(
        _content(client.get(reverse("documents:sheet_document", args=[sheet.pk, "docx"])))
    )
    _sheet_docx_checks(document, filled=[n.content for n in needs])
    assert f"服务对象：{sheet.enterprise.name}" in document.paragraphs[1].text
    assert f"跟踪单号：{sheet.tracking_number}" in document.paragraphs[1].text
    text = _pdf_text(
        _content(client.get(reverse("documents:sheet_document", args=[sheet.pk, "pdf"])))
    )
    for literal in [SHEET_TITLE, *SHEET_HEAD, *SHEET_COLUMNS]:
        assert literal in text, literal
    assert sheet.tracking_number in text and needs[1].content in text


# DB1405 §附录C
def test_blank_tracking_sheet_is_table_c1(client_for, staff_a):
    client = client_for(staff_a)
    document = _docx(_content(client.get(reverse("documents:blank_sheet", args=["docx"]))))
    _sheet_docx_checks(document, filled=[])
    assert all(c.text == "" for row in document.tables[0].rows[1:] for c in row.cells[1:])
    text = _pdf_text(_content(client.get(reverse("documents:blank_sheet", args=["pdf"]))))
    for literal in [SHEET_TITLE, *SHEET_HEAD, *SHEET_COLUMNS]:
        assert literal in text, literal


# DB1405 §附录C
def test_tracking_sheet_page_is_table_c1(client_for, register, staff_a):
    needs = register(2)
    sheet = needs[0].sheet
    page = client_for(staff_a).get(reverse("needs:sheet", args=[sheet.pk])).text
    assert SHEET_TITLE in page
    for label in SHEET_HEAD:
        assert label in page
    assert _header_cells(page, 'data-testid="sheet-table"') == SHEET_COLUMNS


# --- 附录D: the evaluation form ------------------------------------------------------------------


def _evaluation_docx_checks(document) -> list[list[str]]:
    assert document.paragraphs[0].text == EVALUATION_TITLE
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert len(cells) == len(EVALUATION_LABELS)
    for row, labels in zip(cells, EVALUATION_LABELS, strict=True):
        assert row[0] == labels[0]
        if len(labels) == 2:
            assert row[2] == labels[1]
    return cells


# DB1405 §6.5.1 §附录D
def test_evaluation_form_word_and_pdf_are_table_d1(client_for, drive, staff_a):
    need = drive(Status.AWAITING_ARCHIVE)  # evaluated 满意 on the usual path
    client = client_for(staff_a)
    document = _docx(
        _content(client.get(reverse("documents:evaluation_document", args=[need.pk, "docx"])))
    )
    cells = _evaluation_docx_checks(document)
    assert cells[0][1] == need.enterprise.name
    assert cells[5][1] == "□非常满意　■满意　□一般　□不满意"  # 满意 ticked
    text = _pdf_text(
        _content(client.get(reverse("documents:evaluation_document", args=[need.pk, "pdf"])))
    )
    for literal in [EVALUATION_TITLE, *(label for row in EVALUATION_LABELS for label in row)]:
        assert literal in text, literal
    assert "□非常满意■满意□一般□不满意" in text


# DB1405 §附录D
def test_blank_evaluation_form_is_table_d1_with_four_empty_boxes(client_for, staff_a):
    client = client_for(staff_a)
    document = _docx(_content(client.get(reverse("documents:blank_evaluation", args=["docx"]))))
    cells = _evaluation_docx_checks(document)
    assert cells[5][1] == "　".join(f"□{level}" for level in EVALUATION_LEVELS)
    text = _pdf_text(_content(client.get(reverse("documents:blank_evaluation", args=["pdf"]))))
    for literal in [EVALUATION_TITLE, *(label for row in EVALUATION_LABELS for label in row)]:
        assert literal in text, literal
    assert "■" not in text


# --- 附录A and §5.2.4: what the station prints and hangs up ---------------------------------------


# DB1405 §5.2.3 §附录A
def test_sign_reads_as_figure_a1(client, station_a):
    pdf = _pdf_text(_content(client.get(reverse("portal:sign", args=[station_a.pk, "pdf"]))))
    svg = _content(client.get(reverse("portal:sign", args=[station_a.pk, "svg"]))).decode()
    for literal in SIGN_TEXT:
        assert literal in pdf and literal in svg, literal


# DB1405 §5.2.4 §4 §6.1 §6.2
def test_poster_shows_what_5_2_4_lists(client, station_a):
    text = _pdf_text(_content(client.get(reverse("portal:poster", args=[station_a.pk]))))
    for literal in ["惠企直通服务站", *NOTICE_LABELS, *PRINCIPLES, *PROCESS, "客服电话"]:
        assert literal in text, literal
    assert "0356-2221234" in text  # the station's contact phone
    assert "0356-2225678" in text  # its supervision phone


# --- §6.6.2: archive books -----------------------------------------------------------------------


# DB1405 §6.6.2
@pytest.mark.parametrize("kind", ["enterprise", "chain", "town"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_archive_books_name_their_kind_and_the_enterprise_profile(
    client_for, drive, supervisor, enterprise_a, kind, fmt
):
    from hqzt.enterprises.tests.factories import ChainFactory, TownFactory

    need = drive(Status.ARCHIVED)
    chain = ChainFactory(chain_leader=enterprise_a)
    enterprise_a.chains.add(chain)
    enterprise_a.town = TownFactory()
    enterprise_a.save(update_fields=["town"])
    pk = {"enterprise": enterprise_a.pk, "chain": chain.pk, "town": enterprise_a.town.pk}[kind]
    data = _content(
        client_for(supervisor).get(reverse(f"records:{kind}_book_file", args=[pk, fmt]))
    )
    if fmt == "pdf":
        text = _pdf_text(data)
    else:
        document = _docx(data)
        text = "".join(p.text for p in document.paragraphs) + "".join(
            c.text for t in document.tables for row in t.rows for c in row.cells
        )
    for literal in [BOOK_KINDS[kind], *ENTERPRISE_PROFILE, enterprise_a.name, need.content]:
        assert literal in text, literal


# --- §5.5.1: the weekly report -------------------------------------------------------------------


# DB1405 §5.5.1
def test_weekly_report_word_has_the_work_done_and_the_plan(client_for, station_a, chief_a):
    from hqzt.operations.reports import weekly_report_draft, weekly_report_submit

    report = weekly_report_draft(station_a, datetime.date(2025, 6, 2))
    weekly_report_submit(
        actor=chief_a, report=report, work_done="走访企业3家", next_week_plan="召开例会"
    )
    document = _docx(
        _content(client_for(chief_a).get(reverse("operations:report_docx", args=[report.pk])))
    )
    text = "\n".join(p.text for p in document.paragraphs)
    for literal in WEEKLY_REPORT_PARTS:
        assert literal in text, literal
    assert text.index("工作完成情况") < text.index("走访企业3家") < text.index("工作计划")
    assert text.index("工作计划") < text.index("召开例会")
