"""Every time a person reads is in Asia/Shanghai, never the UTC the database stores (issue 12
flow defect 1). Each page and document is rendered with a known moment: 11:05 UTC is 19:05 in
Jincheng, and 17:30 UTC on 30 November is already 1 December there."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.documents.appendix_docs import evaluation_data, sheet_data
from hqzt.needs.states import Status
from hqzt.operations.reports import weekly_report_draft, weekly_report_submit

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
EVENING = datetime.datetime(2026, 11, 30, 11, 5, tzinfo=UTC)  # 19:05 in Asia/Shanghai
LATE = datetime.datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 2026-12-01 01:30 there


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_stamp_writes_local_time():
    assert clock.stamp(EVENING) == "2026-11-30 19:05"
    assert clock.stamp(LATE, "%Y-%m-%d") == "2026-12-01"
    assert clock.stamp(None) == ""


def test_portal_progress_page_and_api_show_local_time(client, drive):
    with clock.travel(EVENING):
        need = drive(Status.PENDING_ACCEPTANCE)
    form = {"tracking_number": need.sheet.tracking_number, "phone_last4": "5678"}
    page = client.post(reverse("portal:track"), form).content.decode()
    assert "2026-11-30 19:05" in page and "11:05" not in page
    api = client.post("/api/v1/portal/track/", form, content_type="application/json").json()
    assert api[0]["steps"][0]["at"] == "2026-11-30 19:05"


def test_need_page_timeline_shows_local_time(client_for, drive, staff_a):
    with clock.travel(EVENING):
        need = drive(Status.REGISTERED)
    page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "19:05" in page and "11:05" not in page


def test_ledger_pdf_export_time_is_local(client_for, drive, staff_a):
    drive(Status.REGISTERED)
    with clock.travel(EVENING):
        response = client_for(staff_a).get(reverse("documents:ledger_pdf"))
    text = _pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert "导出时间：2026-11-30 19:05" in text


def test_weekly_report_submission_time_is_local(client_for, station_a, chief_a):
    report = weekly_report_draft(station_a, datetime.date(2026, 11, 23))
    with clock.travel(EVENING):
        weekly_report_submit(actor=chief_a, report=report, work_done="走访", next_week_plan="例会")
    response = client_for(chief_a).get(reverse("operations:report_docx", args=[report.pk]))
    assert "2026-11-30 19:05" in _docx_text(response.content)
    page = client_for(chief_a).get(reverse("operations:report_detail", args=[report.pk]))
    assert "11:05" not in page.content.decode()


def test_appendix_c_and_d_dates_are_local(drive, metrology_section):
    with clock.travel(LATE):
        need = drive(Status.AWAITING_EVALUATION, path="simple")
    sheet = sheet_data(need.sheet, [need])
    assert sheet.rows[0][4].startswith("2026-12-01")
    evaluation = evaluation_data(need, phone="", footer="")
    assert evaluation.start == evaluation.end == "2026-12-01"


def test_history_rows_name_local_time(staff_a):
    event = AuditEvent(at=EVENING, actor=staff_a, action="update", object_repr="x")
    assert str(event).startswith("2026-11-30 19:05")
