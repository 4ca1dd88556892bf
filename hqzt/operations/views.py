"""Station operations pages (§5): plans, weekly reports, meetings, trainings, visits, staff and
duty rota. Records belong to a station; the user's stations decide what they see and change."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.forms import NeedItemFormSet, RegisterForm
from hqzt.needs.services.registration import NeedItem
from hqzt.needs.workflow import TransitionRefused
from hqzt.operations import forms as f
from hqzt.operations.meetings import meeting_record
from hqzt.operations.models import (
    ActionItem,
    AnnualPlan,
    DutyShift,
    Meeting,
    PlanGoal,
    Training,
    Visit,
    WeeklyReport,
    WorkSuggestion,
)
from hqzt.operations.plans import plan_progress
from hqzt.operations.report_docx import weekly_report_docx
from hqzt.operations.reports import (
    week_of,
    weekly_report_comment,
    weekly_report_draft,
    weekly_report_save_draft,
    weekly_report_submit,
)
from hqzt.operations.rota import rota_generate, rota_set, trained_staff
from hqzt.operations.suggestions import (
    may_answer,
    suggestion_answer,
    suggestion_get_for_user,
    suggestion_mark_read,
    suggestion_stations,
    suggestion_submit,
    suggestions_visible_to,
)
from hqzt.operations.visits import visit_register_needs
from hqzt.stations.models import Station
from hqzt.stations.selectors import leads_station, stations_led_by, stations_visible_to
from hqzt.stations.services import station_member_save


def _visible(user: User):
    return stations_visible_to(user)


def _own(user: User):
    """Stations whose records the user writes: their own, as station staff."""
    return stations_visible_to(user) if user.is_station_staff else Station.objects.none()


def _scoped(user: User, model, pk: int):
    obj = get_object_or_404(model.objects.select_related("station"), pk=pk)
    if not _visible(user).filter(pk=obj.station_id).exists():
        raise Http404("记录不存在或无权查看")
    return obj


def _writer_stations(user: User, refusal: str):
    """The stations the user records for, or 403 with `refusal` if none."""
    stations = _own(user)
    if not stations.exists():
        raise PermissionDenied(refusal)
    return stations


def _require_writer(user: User, station: Station) -> None:
    if not _own(user).filter(pk=station.pk).exists():
        raise PermissionDenied("只有本站工作人员可以登记或修改。")


def _require_lead(user: User, station: Station) -> None:
    if not leads_station(user, station.pk):
        raise PermissionDenied("只有本站站长或副站长可以执行此操作。")


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """站务: this week's state of each visible station at a glance."""
    this_week = week_of(clock.today())
    last_week = this_week - datetime.timedelta(days=7)
    stations = _visible(request.user).filter(is_active=True).order_by("name")
    reports = {
        r.station_id: r
        for r in WeeklyReport.objects.filter(week_start=last_week, station__in=stations)
    }
    today = clock.today()
    duty = {
        s.station_id: s.user
        for s in DutyShift.objects.filter(station__in=stations, date=today).select_related("user")
    }
    rows = [
        {"station": s, "report": reports.get(s.pk), "duty": duty.get(s.pk)} for s in stations[:200]
    ]
    return render(request, "operations/hub.html", {"rows": rows, "last_week": last_week})


# --- Annual plans -------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        AnnualPlan.objects.filter(station__in=_visible(request.user))
        .select_related("station")
        .order_by("-year", "station__name")[:300]
    )
    return render(
        request,
        "operations/plan_list.html",
        {"plans": plans, "can_add": stations_led_by(request.user).exists()},
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _scoped(request.user, AnnualPlan, pk)
    return render(
        request, "operations/plan_detail.html", {"plan": plan, "progress": plan_progress(plan)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = _scoped(request.user, AnnualPlan, pk) if pk else AnnualPlan(year=clock.today().year)
    leads = stations_led_by(request.user)
    if not leads.exists() or (plan.pk and not leads.filter(pk=plan.station_id).exists()):
        raise PermissionDenied("只有站长或副站长可以制定年度工作计划。")
    form = f.PlanForm(request.POST or None, instance=plan, stations=leads)
    goals = f.GoalsForm(request.POST or None, plan=plan, prefix="goal")
    if request.method == "POST" and form.is_valid() and goals.is_valid():
        with transaction.atomic():
            plan = form.save()
            plan.goals.all().delete()
            PlanGoal.objects.bulk_create(
                PlanGoal(plan=plan, metric=m, target=t)
                for m, t in goals.cleaned_data.items()
                if t is not None
            )
        messages.success(request, "年度工作计划已保存。")
        return redirect("operations:plan_detail", pk=plan.pk)
    return render(request, "operations/plan_form.html", {"form": form, "goals": goals})


# --- Weekly reports -----------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        WeeklyReport.objects.filter(station__in=_visible(request.user))
        .select_related("station", "submitted_by")
        .order_by("-week_start", "station__name")[:300]
    )
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
        report = weekly_report_draft(station, week)
    return redirect("operations:report_detail", pk=report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _scoped(request.user, WeeklyReport, pk)
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
    report = _scoped(request.user, WeeklyReport, pk)
    response = HttpResponse(
        weekly_report_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="weekly-report-{report.station_id}-{report.week_start:%Y%m%d}.docx"'
    )
    return response


# --- Meetings -----------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = (
        Meeting.objects.filter(station__in=_visible(request.user))
        .select_related("station")
        .annotate(open_items=Count("action_items", filter=Q(action_items__done_at__isnull=True)))
        .order_by("-held_on")[:300]
    )
    return render(
        request,
        "operations/meeting_list.html",
        {"meetings": meetings, "can_add": request.user.is_station_staff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    stations = _writer_stations(request.user, "只有服务站工作人员可以记录会议。")
    owners = User.objects.filter(station_memberships__station__in=stations).distinct()
    ItemFormSet = formset_factory(f.ActionItemForm, extra=3)
    form = f.MeetingForm(
        request.POST or None, stations=stations, initial={"held_on": clock.today()}
    )
    items = ItemFormSet(
        request.POST or None,
        prefix="items",
        form_kwargs={"owners": owners, "station_ids": list(stations.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            meeting = meeting_record(data=dict(form.cleaned_data), items=items.cleaned_data)
        except ValidationError as exc:
            form.add_error("convened_by", exc)
        else:
            messages.success(request, "会议纪要已保存。")
            return redirect("operations:meeting_detail", pk=meeting.pk)
    return render(request, "operations/meeting_form.html", {"form": form, "items": items})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _scoped(request.user, Meeting, pk)
    return render(
        request,
        "operations/meeting_detail.html",
        {
            "meeting": meeting,
            "items": meeting.action_items.select_related("owner", "need__sheet"),
            "can_edit": _own(request.user).filter(pk=meeting.station_id).exists(),
        },
    )


@login_required
@require_POST
def action_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting__station"),
        pk=pk,
        meeting__station__in=_visible(request.user),  # another station's item: 404, not 403
    )
    _require_writer(request.user, item.meeting.station)
    ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=clock.now())
    return redirect("operations:meeting_detail", pk=item.meeting_id)


# --- Trainings ----------------------------------------------------------------------------------


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    trainings = (
        Training.objects.filter(station__in=_visible(request.user))
        .select_related("station")
        .annotate(enterprise_count=Count("enterprises"))
        .order_by("-held_on")[:300]
    )
    return render(
        request,
        "operations/training_list.html",
        {"trainings": trainings, "can_add": request.user.is_station_staff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    stations = _writer_stations(request.user, "只有服务站工作人员可以登记培训。")
    form = f.TrainingForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "培训活动已登记。")
        return redirect("operations:training_list")
    return render(
        request,
        "enterprises/register_form.html",
        {"form": form, "title": "登记培训活动", "cancel_url": "operations:training_list"},
    )


# --- Visits -------------------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = (
        Visit.objects.filter(station__in=_visible(request.user))
        .select_related("station", "enterprise", "sheet")
        .order_by("-planned_on")[:300]
    )
    return render(
        request,
        "operations/visit_list.html",
        {"visits": visits, "can_add": request.user.is_station_staff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    stations = _writer_stations(request.user, "只有服务站工作人员可以安排走访。")
    form = f.VisitForm(
        request.POST or None,
        stations=stations,
        initial={"planned_on": clock.today(), "staff": [request.user]},
    )
    if request.method == "POST" and form.is_valid():
        visit = form.save()
        messages.success(request, "走访已安排。")
        return redirect("operations:visit_detail", pk=visit.pk)
    return render(
        request,
        "enterprises/register_form.html",
        {"form": form, "title": "安排走访（进企业）", "cancel_url": "operations:visit_list"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _scoped(request.user, Visit, pk)
    writer = _own(request.user).filter(pk=visit.station_id).exists()
    record = f.VisitRecordForm(
        request.POST if request.POST.get("action") == "record" else None,
        instance=visit,
        initial={"visited_on": visit.visited_on or clock.today()},
    )
    contact = visit.enterprise.contacts.first()
    needs_form = RegisterForm(
        request.POST if request.POST.get("action") == "needs" else None,
        stations=Station.objects.filter(pk=visit.station_id),
        enterprises=visit.station.enterprises.all(),
        initial={
            "station": visit.station_id,
            "enterprise": visit.enterprise_id,
            "source": "visit",
            "contact_name": contact.name if contact else "",
            "contact_phone": contact.phone if contact else "",
        },
    )
    items = NeedItemFormSet(
        request.POST if request.POST.get("action") == "needs" else None, prefix="items"
    )
    if request.method == "POST":
        if not writer:
            raise PermissionDenied("只有本站工作人员可以记录走访。")
        if request.POST.get("action") == "record" and record.is_valid():
            record.save()
            messages.success(request, "走访情况已记录。")
            return redirect("operations:visit_detail", pk=visit.pk)
        if request.POST.get("action") == "needs" and needs_form.is_valid() and items.is_valid():
            try:
                sheet = visit_register_needs(
                    actor=request.user,
                    visit=visit,
                    contact_name=needs_form.cleaned_data["contact_name"],
                    contact_phone=needs_form.cleaned_data["contact_phone"],
                    items=[
                        NeedItem(need_type=r["need_type"], content=r["content"])
                        for r in items.cleaned_data
                        if r
                    ],
                )
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, f"已登记走访中提出的需求，跟踪单号 {sheet.tracking_number}。"
                )
                return redirect("needs:sheet", pk=sheet.pk)
    return render(
        request,
        "operations/visit_detail.html",
        {
            "visit": visit,
            "record": record,
            "needs_form": needs_form,
            "items": items,
            "writer": writer,
        },
    )


# --- Staff and duty rota ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(_visible(request.user), pk=pk)
    user = request.user
    manages = user.is_admin or user.is_supervisor
    leads = leads_station(user, station.pk)
    member_form = f.MemberForm(request.POST if request.POST.get("action") == "member" else None)
    rota_form = f.RotaForm(
        request.POST if request.POST.get("action") == "rota" else None,
        initial={"start": week_of(clock.today())},
    )
    shift_form = f.ShiftForm(
        request.POST if request.POST.get("action") == "shift" else None, station=station
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "member" and member_form.is_valid():
                if not (manages or leads):
                    raise PermissionDenied("只有系统管理员、上级单位或本站站长可以调整人员。")
                data = member_form.cleaned_data
                station_member_save(
                    actor=user,
                    station=station,
                    user=data["user"],
                    role=data["role"],
                    is_active=data["is_active"],
                    trained_on=data["trained_on"],
                )
                messages.success(request, "人员信息已保存。")
                return redirect("operations:staff", pk=station.pk)
            if action in ("rota", "shift"):
                if not leads:
                    raise PermissionDenied("只有本站站长或副站长可以排班。")
                if action == "rota" and rota_form.is_valid():
                    count = rota_generate(station=station, **rota_form.cleaned_data)
                    messages.success(request, f"已排班 {count} 个工作日。")
                    return redirect("operations:staff", pk=station.pk)
                if action == "shift" and shift_form.is_valid():
                    rota_set(station=station, **shift_form.cleaned_data)
                    messages.success(request, "值班已调整。")
                    return redirect("operations:staff", pk=station.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    today = clock.today()
    shifts = (
        DutyShift.objects.filter(
            station=station, date__gte=today, date__lt=today + datetime.timedelta(days=28)
        )
        .select_related("user")
        .order_by("date")
    )
    members = station.members.select_related("user").order_by("-is_active", "role")
    return render(
        request,
        "operations/staff.html",
        {
            "station": station,
            "members": members,
            "shifts": shifts,
            "trained": trained_staff(station),
            "member_form": member_form,
            "rota_form": rota_form,
            "shift_form": shift_form,
            "manages": manages or leads,
            "leads": leads,
        },
    )


# --- Work suggestions (§5.3 a) ------------------------------------------------------------------


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    suggestions = (
        suggestions_visible_to(request.user)
        .select_related("station", "submitted_by")
        .order_by("-submitted_at")
    )
    status = request.GET.get("status", "")
    if status in WorkSuggestion.Status.values:
        suggestions = suggestions.filter(status=status)
    return render(
        request,
        "operations/suggestion_list.html",
        {
            "suggestions": suggestions[:300],
            "status": status,
            "statuses": WorkSuggestion.Status.choices,
            "can_add": suggestion_stations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    stations = suggestion_stations(request.user)
    if not stations.exists():
        raise PermissionDenied("只有服务站工作人员可以提出工作建议。")
    form = f.SuggestionForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = suggestion_submit(
                actor=request.user,
                station=data["station"],
                title=data["title"],
                content=data["content"],
                source=data["source"],
                visit=data["visit"],
                needs=data["needs"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "工作建议已报送上级单位。")
            return redirect("operations:suggestion_detail", pk=suggestion.pk)
    return render(
        request,
        "enterprises/register_form.html",
        {"form": form, "title": "提出工作建议", "cancel_url": "operations:suggestion_list"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get_for_user(request.user, pk)
    answers = may_answer(request.user, suggestion)
    form = f.SuggestionAnswerForm(
        request.POST or None, initial={"reply": suggestion.reply} if suggestion.reply else None
    )
    if request.method == "POST":
        if not answers:
            raise PermissionDenied("只有该服务站的上级单位可以答复工作建议。")
        if form.is_valid():
            try:
                suggestion_answer(
                    actor=request.user, suggestion=suggestion, reply=form.cleaned_data["reply"]
                )
            except ValidationError as exc:
                form.add_error("reply", exc)
            else:
                messages.success(request, "答复已保存，提出人会收到通知。")
                return redirect("operations:suggestion_detail", pk=suggestion.pk)
    else:
        suggestion_mark_read(actor=request.user, suggestion=suggestion)
    return render(
        request,
        "operations/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "needs": suggestion.needs.select_related("sheet"),
            "form": form if answers else None,
        },
    )
