"""The pages of both imports: the ledger's and the enterprise register's upload (the dry run or
preview), their confirm, and a queued import's job page."""

import zipfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.core.files import zip_check
from hqzt.documents.enterprise_commit import enterprise_batch_confirm
from hqzt.documents.enterprise_import import enterprise_batch_create, row_counts
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
from hqzt.documents.ledger_import import import_batch_create
from hqzt.documents.models import ImportBatch
from hqzt.documents.spreadsheet import OLD_EXCEL, OLE2
from hqzt.documents.tasks import run_import_job
from hqzt.needs.models import NeedType
from hqzt.org.models import Section
from hqzt.stations.models import Station

UPLOAD_LIMIT = 10 * 1024 * 1024


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
