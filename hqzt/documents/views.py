"""Downloads of the standard's documents: the ledger (B), the tracking sheet (C) and the evaluation
form (D). The imports' pages are in import_views.py."""

import tempfile
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hqzt.core import clock
from hqzt.core.filters import refused_notice
from hqzt.core.phones import phone_display, phone_mask
from hqzt.documents import appendix_docs as docs
from hqzt.documents.export_access import export_may_download, export_ready, export_refusal
from hqzt.documents.ledger_export import PDF_ROW_LIMIT, write_ledger_pdf, write_ledger_xlsx
from hqzt.documents.models import ExportJob
from hqzt.documents.tasks import run_ledger_export
from hqzt.needs.actions import need_phone_full
from hqzt.needs.ledger import TITLE, ledger_filter, ledger_table
from hqzt.needs.models import TrackingSheet
from hqzt.needs.selectors import need_get_for_user, needs_visible_to
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to

DIRECT_EXPORT_LIMIT = 5_000  # larger exports go to the queue
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _dated(name: str, ext: str) -> str:
    return f"{name}-{clock.today():%Y%m%d}.{ext}"


def _document(content: bytes, fmt: str, name: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404("不支持的格式")
    response = HttpResponse(content, content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{fmt}"
    return response


def _refuse_invalid_filters(request: HttpRequest, ignored: list[str]) -> HttpResponse:
    """An export carries what the page showed: with an invalid filter it is not made at all
    (ignoring the field would export more rows than the user asked for)."""
    messages.error(request, refused_notice(ignored))
    return redirect(f"{reverse('needs:ledger')}?{request.GET.urlencode()}")


@login_required
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """The ledger with the current filters: at once when small, else as a queued job."""
    needs, filters = ledger_filter(request.user, request.GET)
    if filters.ignored:
        return _refuse_invalid_filters(request, filters.ignored)
    if needs.order_by()[: DIRECT_EXPORT_LIMIT + 1].count() > DIRECT_EXPORT_LIMIT:
        job = ExportJob.objects.create(user=request.user, params={"query": request.GET.urlencode()})
        transaction.on_commit(lambda: run_ledger_export(job.pk))
        messages.info(request, "数据量较大，已转为后台导出；完成后会在“消息”中通知您下载。")
        return redirect("documents:export_list")
    # FileResponse closes (and so deletes) the temporary file once it has been sent.
    tmp = tempfile.TemporaryFile()  # noqa: SIM115
    write_ledger_xlsx(ledger_table(needs, request.user), tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=_dated(TITLE, "xlsx"), content_type=XLSX)


@login_required
def ledger_pdf(request: HttpRequest) -> HttpResponse:
    needs, filters = ledger_filter(request.user, request.GET)
    if filters.ignored:
        return _refuse_invalid_filters(request, filters.ignored)
    if needs.order_by()[: PDF_ROW_LIMIT + 1].count() > PDF_ROW_LIMIT:
        messages.error(request, f"PDF 最多 {PDF_ROW_LIMIT} 行，请缩小筛选范围，或导出 Excel。")
        return redirect(f"{reverse('needs:ledger')}?{request.GET.urlencode()}")
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    write_ledger_pdf(
        ledger_table(needs, request.user), tmp, subtitle=f"导出时间：{clock.stamp(clock.now())}"
    )
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=_dated(TITLE, "pdf"), content_type="application/pdf"
    )


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    jobs = list(ExportJob.objects.filter(user=request.user).order_by("-pk")[:50])
    for job in jobs:
        job.may_download = export_may_download(request.user, job)
        job.failed = job.status == ExportJob.Status.FAILED
    return render(request, "documents/export_list.html", {"jobs": jobs})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    if not export_ready(request.user, job):
        raise Http404("导出文件不存在、尚未生成或已过期删除")
    if refusal := export_refusal(request.user, job):
        raise PermissionDenied(refusal)
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=_dated(TITLE, "xlsx"), content_type=XLSX
    )


def _sheet_needs(user, sheet: TrackingSheet):
    needs = list(
        needs_visible_to(user)
        .filter(sheet=sheet)
        .select_related("lead_section", "department", "responsible_person", "first_contact")
        .order_by("row_number")
    )
    if not needs:
        raise Http404("跟踪单不存在或无权查看")
    return needs


@login_required
def sheet_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sheet = get_object_or_404(TrackingSheet.objects.select_related("enterprise"), pk=pk)
    data = docs.sheet_data(sheet, _sheet_needs(request.user, sheet))
    content = docs.sheet_docx(data) if fmt == "docx" else docs.sheet_pdf(data)
    return _document(content, fmt, f"跟踪单-{sheet.tracking_number}")


def _supervision_footer(station: Station | None) -> str:
    phone = phone_display(station.supervision_phone) if station else "＿＿＿＿＿＿＿＿"
    return f"{settings.HQZT_BUREAU}“惠企直通”服务工作监督电话：{phone}"


@login_required
def evaluation_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    need = need_get_for_user(request.user, pk)
    full = need_phone_full(request.user, need)
    phone = phone_display(need.contact_phone) if full else phone_mask(need.contact_phone)
    data = docs.evaluation_data(need, phone=phone, footer=_supervision_footer(need.station))
    content = docs.evaluation_docx(data) if fmt == "docx" else docs.evaluation_pdf(data)
    return _document(content, fmt, f"满意度评价表-{need.label}")


@login_required
def blank_sheet(request: HttpRequest, fmt: str) -> HttpResponse:
    data = docs.SheetData()
    content = docs.sheet_docx(data) if fmt == "docx" else docs.sheet_pdf(data)
    return _document(content, fmt, "惠企直通服务站需求处理跟踪单（空白）")


@login_required
def blank_evaluation(request: HttpRequest, fmt: str) -> HttpResponse:
    stations = stations_visible_to(request.user)
    data = docs.EvaluationData(footer=_supervision_footer(stations.first()))
    content = docs.evaluation_docx(data) if fmt == "docx" else docs.evaluation_pdf(data)
    return _document(content, fmt, "满意度评价表（空白）")
