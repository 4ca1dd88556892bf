import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from hqzt.documents import views
from hqzt.documents.models import ExportJob
from hqzt.needs.states import Status
from tests.standard_text import LEDGER_COLUMNS, LEDGER_TITLE, SHEET_COLUMNS, SHEET_TITLE

pytestmark = pytest.mark.django_db


def _xlsx(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def _embedded_fonts(reader: PdfReader) -> set[str]:
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and "/FontFile2" in descriptor.get_object():
                    fonts.add(str(descendant.get_object()["/BaseFont"]))
    return fonts


# DB1405 §附录B
def test_xlsx_has_the_title_the_exact_columns_and_every_cell(client_for, drive, staff_a):
    needs = [drive(Status.REGISTERED), drive(Status.ARCHIVED)]
    rows = _xlsx(client_for(staff_a).get(reverse("documents:ledger_xlsx")))
    assert rows[0][0] == LEDGER_TITLE
    assert rows[1] == LEDGER_COLUMNS
    assert len(rows) == 2 + len(needs)
    for index, (row, need) in enumerate(zip(rows[2:], needs, strict=True), start=1):
        assert row == [
            index,  # a number, and 日期 an Excel date, so that the station can sort and sum
            datetime.datetime.combine(need.registered_on, datetime.time()),
            need.enterprise.name,
            "王经理",
            "13812345678",
            "计量",
            need.content,
            need.first_contact.full_name if need.first_contact else None,  # blank, no placeholder
            need.sheet.tracking_number,
        ]


def test_xlsx_prints_landscape_with_titles_and_filters(client_for, drive, staff_a):
    drive(Status.REGISTERED)
    data = b"".join(client_for(staff_a).get(reverse("documents:ledger_xlsx")).streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.auto_filter.ref == "A2:I3"
    assert sheet["B3"].number_format == "yyyy-mm-dd"


def test_xlsx_across_stations_names_each_rows_station(
    client_for, drive, staff_b, station_b, enterprise_a, supervisor
):
    from hqzt.needs.tests.factories import TrackingSheetFactory

    drive(Status.REGISTERED)
    TrackingSheetFactory(station=station_b, enterprise=enterprise_a, actor=staff_b)
    rows = _xlsx(client_for(supervisor).get(reverse("documents:ledger_xlsx")))
    assert rows[1] == [*LEDGER_COLUMNS, "服务站"]
    assert sorted(r[9] for r in rows[2:]) == sorted(["甲服务站", station_b.name])
    one_station = _xlsx(client_for(staff_b).get(reverse("documents:ledger_xlsx")))
    assert one_station[1] == LEDGER_COLUMNS  # one station: the ledger exactly as Appendix B


def test_xlsx_honours_scope_filters_and_masks_phones(client_for, drive, staff_b, supervisor):
    registered, archived = drive(Status.REGISTERED), drive(Status.ARCHIVED)
    assert len(_xlsx(client_for(staff_b).get(reverse("documents:ledger_xlsx")))) == 2
    rows = _xlsx(
        client_for(supervisor).get(reverse("documents:ledger_xlsx"), {"status": "archived"})
    )
    assert [r[8] for r in rows[2:]] == [archived.sheet.tracking_number]
    assert rows[2][4] == "138****5678"
    assert registered.sheet.tracking_number not in str(rows)


def test_formula_like_text_stays_text(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    type(need).objects.filter(pk=need.pk).update(content='=HYPERLINK("http://x","点我")')
    rows = _xlsx(client_for(staff_a).get(reverse("documents:ledger_xlsx")))
    assert rows[2][6] == '=HYPERLINK("http://x","点我")'


def test_big_exports_run_in_the_background_for_their_owner_only(
    client_for, drive, staff_a, chief_a, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(views, "DIRECT_EXPORT_LIMIT", 1)
    drive(Status.REGISTERED)
    drive(Status.REGISTERED)
    client = client_for(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("documents:ledger_xlsx"))
    assert response.url == reverse("documents:export_list")
    job = ExportJob.objects.get()
    assert job.status == "done" and job.row_count == 2
    assert staff_a.notifications.filter(kind="export").exists()
    rows = _xlsx(client.get(reverse("documents:export_download", args=[job.pk])))
    assert len(rows) == 4
    other = client_for(chief_a).get(reverse("documents:export_download", args=[job.pk]))
    assert other.status_code == 404


def test_ledger_pdf_is_landscape_chinese_with_embedded_fonts(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    response = client_for(staff_a).get(reverse("documents:ledger_pdf"))
    text, reader = _pdf_text(b"".join(response.streaming_content))
    assert LEDGER_TITLE in text
    for column in LEDGER_COLUMNS:
        assert column in text
    assert need.enterprise.name in text and need.sheet.tracking_number in text
    box = reader.pages[0].mediabox
    assert box.width > box.height
    assert any("NotoSansSC" in font for font in _embedded_fonts(reader))


# DB1405 §6.4.3 §附录C
def test_tracking_sheet_word_and_pdf_follow_appendix_c(client_for, register, staff_a, staff_b):
    from docx import Document

    needs = register(2)
    sheet = needs[0].sheet
    client = client_for(staff_a)
    docx = client.get(reverse("documents:sheet_document", args=[sheet.pk, "docx"]))
    document = Document(io.BytesIO(docx.content))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == SHEET_COLUMNS
    assert table.rows[1].cells[1].text == needs[0].content
    assert len(table.rows) == 6  # the appendix's five rows
    assert SHEET_TITLE in document.paragraphs[0].text
    assert sheet.tracking_number in document.paragraphs[1].text
    text, reader = _pdf_text(
        client.get(reverse("documents:sheet_document", args=[sheet.pk, "pdf"])).content
    )
    assert SHEET_TITLE in text and needs[1].content in text
    assert _embedded_fonts(reader)
    assert (
        client_for(staff_b)
        .get(reverse("documents:sheet_document", args=[sheet.pk, "pdf"]))
        .status_code
        == 404
    )


# DB1405 §附录D
def test_evaluation_form_word_and_pdf_follow_appendix_d(client_for, drive, staff_a):
    from docx import Document

    need = drive(Status.AWAITING_ARCHIVE)
    client = client_for(staff_a)
    document = Document(
        io.BytesIO(
            client.get(reverse("documents:evaluation_document", args=[need.pk, "docx"])).content
        )
    )
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[0][0] == "企业名称" and cells[0][1] == need.enterprise.name
    assert cells[1] == ["企业联系人", "王经理", "联系电话", "13812345678"]
    assert cells[5][0] == "评价结果" and "■满意" in cells[5][1] and "□不满意" in cells[5][1]
    assert "监督电话" in document.paragraphs[-1].text
    text, _ = _pdf_text(
        client.get(reverse("documents:evaluation_document", args=[need.pk, "pdf"])).content
    )
    for label in [
        "满意度评价表",
        "企业名称",
        "提供服务的项目名称",
        "处理结果",
        "意见建议",
        "■满意",
    ]:
        assert label in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_blank_forms_print(client_for, staff_a, fmt):
    for name in ("documents:blank_sheet", "documents:blank_evaluation"):
        response = client_for(staff_a).get(reverse(name, args=[fmt]))
        assert response.status_code == 200 and len(response.content) > 1000
    assert (
        client_for(staff_a).get(reverse("documents:blank_sheet", args=["exe"])).status_code == 404
    )
