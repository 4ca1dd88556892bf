"""Weekly reports (§5.5.1): drafted from the data, submitted by the chief, commented above."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.core import clock
from hqzt.operations import forms as f
from hqzt.operations.models import WeeklyReport
from hqzt.operations.report_docx import weekly_report_docx
from hqzt.operations.reports import (
    week_of,
    weekly_report_comment,
    weekly_report_draft,
    weekly_report_save_draft,
    weekly_report_submit,
)
from hqzt.operations.selectors import (
    record_get_for_user,
    reports_visible_to,
)
from hqzt.stations.selectors import leads_station, stations_led_by


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = reports_visible_to(request.user)
    return render(
        request,
        "operations/report_list.html",
        {"reports": reports, "can_draft": stations_led_by(request.user).exists()},
    )


@login_required
@require_POST
def report_draft(request: HttpRequest) -> HttpResponse:
    """Draft (or refresh) last week's report now, without waiting for Monday's job."""
    leads = stations_led_by(request.user)
    if not leads.exists():
        raise PermissionDenied("只有站长或副站长可以起草周报。")
    week = week_of(clock.today()) - datetime.timedelta(days=7)
    if request.POST.get("week") == "this":
        week = week_of(clock.today())
    report = None
    for station in leads:
        report = weekly_report_draft(station, week, actor=request.user)
    return redirect("operations:report_detail", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = record_get_for_user(request.user, WeeklyReport, pk)
    is_lead = leads_station(request.user, report.station_id)
    form = f.ReportForm(
        request.POST or None,
        initial={"work_done": report.work_done, "next_week_plan": report.next_week_plan},
    )
    comment = f.CommentForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "submit") and form.is_valid():
                run = weekly_report_submit if action == "submit" else weekly_report_save_draft
                run(actor=request.user, report=report, **form.cleaned_data)
                messages.success(request, "周报已报送。" if action == "submit" else "草稿已保存。")
                return redirect("operations:report_detail", pk=report.pk)
            if action == "comment" and comment.is_valid():
                weekly_report_comment(actor=request.user, report=report, **comment.cleaned_data)
                messages.success(request, "批阅意见已保存。")
                return redirect("operations:report_detail", pk=report.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(
        request,
        "operations/report_detail.html",
        {
            "report": report,
            "form": form,
            "comment_form": comment,
            "can_edit": is_lead and report.status == WeeklyReport.Status.DRAFT,
            "can_comment": request.user.is_supervisor
            and report.status == WeeklyReport.Status.SUBMITTED,
        },
    )


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = record_get_for_user(request.user, WeeklyReport, pk)
    response = HttpResponse(
        weekly_report_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="weekly-report-{report.station_id}-{report.week_start:%Y%m%d}.docx"'
    )
    return response
