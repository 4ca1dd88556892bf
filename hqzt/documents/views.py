"""Downloads and uploads of the standard's documents: the ledger (B), the tracking sheet (C), the
evaluation form (D), the ledger import and the enterprise register import."""

import tempfile
import zipfile
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hqzt.core import clock
from hqzt.core.files import zip_check
from hqzt.core.filters import refused_notice
from hqzt.core.phones import phone_display, phone_mask
from hqzt.documents import appendix_docs as docs
from hqzt.documents.enterprise_import import (
    enterprise_batch_confirm,
    enterprise_batch_create,
    row_counts,
)
from hqzt.documents.export_access import export_may_download, export_ready, export_refusal
from hqzt.documents.import_access import import_stations
from hqzt.documents.import_errors import (
    AlreadyImported,
    ImportConflict,
    ImportFileError,
    ImportPermissionError,
)
from hqzt.documents.import_jobs import enterprise_job_queue, is_job, ledger_job_queue
from hqzt.documents.ledger_choices import import_choices
from hqzt.documents.ledger_commit import import_batch_confirm
from hqzt.documents.ledger_export import PDF_ROW_LIMIT, write_ledger_pdf, write_ledger_xlsx
from hqzt.documents.ledger_import import import_batch_create
from hqzt.documents.models import ExportJob, ImportBatch
from hqzt.documents.spreadsheet import OLD_EXCEL, OLE2
from hqzt.documents.tasks import run_import_job, run_ledger_export
from hqzt.needs.actions import need_phone_full
from hqzt.needs.ledger import TITLE, ledger_filter, ledger_table
from hqzt.needs.models import NeedType, TrackingSheet
from hqzt.needs.selectors import need_get_for_user, needs_visible_to
from hqzt.org.models import Section
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to

DIRECT_EXPORT_LIMIT = 5_000  # larger exports go to the queue
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPLOAD_LIMIT = 10 * 1024 * 1024


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


# --- Import -------------------------------------------------------------------------------------


class ImportForm(forms.Form):
    station = forms.ModelChoiceField(
        label="导入到服务站",
        queryset=Station.objects.none(),
        empty_label="请选择服务站",
        error_messages={"invalid_choice": "所选服务站不在您的权限范围内。"},
    )
    file = forms.FileField(label="台账文件（.xlsx 或 .csv）")
    archive = forms.BooleanField(
        label="这些是已办结的历史记录（导入后直接归档）", required=False, initial=True
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stations = import_stations(user)
        self.fields["station"].queryset = stations
        only = stations[:2]
        if len(only) == 1:  # nothing to choose: the user's one station is the one
            self.fields["station"].initial = only[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError("文件不能超过 10 MB。")
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 .xlsx 和 .csv 文件。")
        if upload.name.lower().endswith(".xlsx"):
            head = upload.read(len(OLE2))
            upload.seek(0)
            if head == OLE2:
                raise forms.ValidationError(OLD_EXCEL)
            try:
                zip_check(upload, upload.size)  # before the reader decompresses anything
            except zipfile.BadZipFile:
                raise forms.ValidationError("文件不是有效的 .xlsx 文件。") from None
        return upload


def _review(batch: ImportBatch, analysis) -> dict:
    return {
        "batch": batch,
        "analysis": analysis,
        "need_types": NeedType.objects.filter(is_active=True),
        "departments": Section.objects.filter(kind=Section.Kind.OTHER_DEPARTMENT, is_active=True),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step one: upload and see the dry run; nothing is imported yet."""
    if not request.user.is_station_staff:
        raise PermissionDenied("只有服务站工作人员可以导入台账。")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, analysis = import_batch_create(
                user=request.user,
                station=form.cleaned_data["station"],
                upload=upload,
                name=upload.name,
                archive=form.cleaned_data["archive"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return render(request, "documents/import_review.html", _review(batch, analysis))
    context = {"form": form, "jobs": _recent_jobs(request, ImportBatch.Kind.LEDGER)}
    return render(request, "documents/import_upload.html", context)


def _recent_jobs(request: HttpRequest, kind: str) -> list[ImportBatch]:
    """The user's last queued imports of this kind, so they can come back to one."""
    running = (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING)
    jobs = list(
        ImportBatch.objects.filter(
            uploaded_by=request.user,
            kind=kind,
            queued=True,
            station__in=import_stations(request.user),
        )
        .select_related("station")
        .only("original_name", "status", "rows_done", "rows_total", "created_at", "station__name")
        .order_by("-pk")[:5]
    )
    for job in jobs:
        job.running = job.status in running
    return jobs


def _own_batch(request: HttpRequest, pk: int, kind: str | None = None) -> ImportBatch:
    """The user's own batch (of this kind), at a station they may still import for; else 404."""
    kinds = {"kind": kind} if kind else {}
    batch = get_object_or_404(ImportBatch, pk=pk, uploaded_by=request.user, **kinds)
    if not import_stations(request.user).filter(pk=batch.station_id).exists():
        raise Http404("导入批次不存在")
    return batch


QUEUED_NOTICE = "行数较多，已转为后台分批导入。可以离开此页，完成后会在“消息”中通知您。"


def _queued(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    transaction.on_commit(lambda: run_import_job(batch.pk))
    messages.info(request, QUEUED_NOTICE)
    return redirect("documents:import_job", batch.pk)


def _already(request: HttpRequest, batch: ImportBatch, done_page: str) -> HttpResponse:
    """A second confirm: nothing is imported twice; a queued job's page shows where it is."""
    batch.refresh_from_db()
    if is_job(batch):
        messages.info(request, "该文件已确认导入，没有重复导入。导入进度和结果见本页。")
        return redirect("documents:import_job", batch.pk)
    messages.info(request, "该文件已导入，没有重复导入。")
    return redirect(done_page)


def _confirm_by_link(request: HttpRequest, upload_page: str) -> HttpResponse:
    """A confirm URL opened rather than posted (a bookmark, the address bar, a reload): nothing
    is imported; the user is sent to the upload page and told how confirming works."""
    messages.info(request, "请在预检结果页点击“确认导入”。如需再次查看预检结果，请重新上传文件。")
    return redirect(upload_page)


@login_required
@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step two: import the accepted rows of the reviewed file: all or nothing at once, or, for a
    big file, checked here and imported by the queue in chunks (import_jobs.py)."""
    batch = _own_batch(request, pk, ImportBatch.Kind.LEDGER)
    if request.method == "GET":
        return _confirm_by_link(request, "documents:import_upload")
    choices = import_choices(request.POST)
    try:
        if ledger_job_queue(batch=batch, actor=request.user, choices=choices):
            return _queued(request, batch)
        count = import_batch_confirm(batch=batch, actor=request.user, choices=choices)
    except AlreadyImported:
        return _already(request, batch, "needs:ledger")
    except (ImportFileError, ImportConflict) as exc:
        messages.error(request, str(exc))
        return redirect("documents:import_upload")
    messages.success(request, f"已导入 {count} 条需求；重复、有误和跳过的行未导入。")
    return redirect("needs:ledger")


class EnterpriseImportForm(ImportForm):
    file = forms.FileField(label="企业名册文件（.xlsx 或 .csv）")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["archive"]


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request: HttpRequest) -> HttpResponse:
    """Step one for the enterprise register: upload and see each row's fate; nothing is written
    to the register yet. Who may: whoever may import the ledger for that station."""
    if not request.user.is_station_staff:
        raise PermissionDenied("只有服务站工作人员可以导入企业名册。")
    form = EnterpriseImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch, rows = enterprise_batch_create(
                user=request.user,
                station=form.cleaned_data["station"],
                upload=upload,
                name=upload.name,
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            context = {"batch": batch, "rows": rows, "counts": row_counts(rows)}
            return render(request, "documents/enterprise_import_review.html", context)
    context = {"form": form, "jobs": _recent_jobs(request, ImportBatch.Kind.ENTERPRISES)}
    return render(request, "documents/enterprise_import_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step two: import exactly what the preview showed, once; a big file by the queue."""
    batch = _own_batch(request, pk, ImportBatch.Kind.ENTERPRISES)
    if request.method == "GET":
        return _confirm_by_link(request, "documents:enterprise_import")
    try:
        if enterprise_job_queue(batch=batch, actor=request.user):
            return _queued(request, batch)
        count = enterprise_batch_confirm(batch=batch, actor=request.user)
    except AlreadyImported:
        return _already(request, batch, "enterprises:list")
    except (ImportFileError, ImportConflict, ImportPermissionError) as exc:
        messages.error(request, str(exc))
        return redirect("documents:enterprise_import")
    messages.success(
        request, f"企业名册已导入：新增或更新 {count} 家企业；有误、跳过和无变化的行未改动。"
    )
    return redirect("enterprises:list")


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmed import's progress (rows done of the total, polled by HTMX while it runs) and
    then its result: how many imported, which rows were not and why. Its uploader's only, while
    they may import for its station."""
    batch = _own_batch(request, pk)
    if not is_job(batch):
        raise Http404("导入任务不存在")
    ledger = batch.kind == ImportBatch.Kind.LEDGER
    context = {
        "batch": batch,
        "ledger": ledger,
        "running": batch.status in (ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING),
        "done": batch.status == ImportBatch.Status.DONE,
        "failed": batch.status == ImportBatch.Status.FAILED,
        "percent": batch.rows_done * 100 // batch.rows_total if batch.rows_total else 100,
        "refused": sorted(batch.refused, key=lambda r: r["row"]),
        "upload_page": "documents:import_upload" if ledger else "documents:enterprise_import",
    }
    partial = request.headers.get("HX-Request") == "true"
    page = "documents/_import_job_status.html" if partial else "documents/import_job.html"
    return render(request, page, context)
