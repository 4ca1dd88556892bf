"""External supervision and rectification pages: feedback (from the portal or the supervision
phone), improvement plans and their tasks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import formset_factory
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.accounts.models import User
from hqzt.accounts.phone_access import phone_shown
from hqzt.audit.views import phone_reveal_response
from hqzt.core.pagination import sorted_paginate
from hqzt.core.text import as_id
from hqzt.stations.selectors import stations_visible_to
from hqzt.supervision import forms as f
from hqzt.supervision.access import (
    SupervisionRefused,
    callbacks_visible_to,
    feedback_phone_access,
    feedback_visible_to,
    orders_visible_to,
    plans_visible_to,
    task_owner_choices,
)
from hqzt.supervision.models import Feedback, ImprovementPlan, RectificationTask
from hqzt.supervision.rectification import (
    TaskSpec,
    plan_add_task,
    plan_close,
    plan_create,
    plan_may,
    task_submit,
    task_verify,
)
from hqzt.supervision.services import feedback_close, feedback_receive

TaskFormSet = formset_factory(f.TaskForm, extra=3)


def _errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


# --- Feedback -----------------------------------------------------------------------------------


@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_supervisor or request.user.is_admin):
        raise Http404("意见建议仅监督人员可见")
    feedback = feedback_visible_to(request.user).select_related("station")
    status = request.GET.get("status", "")
    if status in Feedback.Status.values:
        feedback = feedback.filter(status=status)
    if request.GET.get("open") == "1":
        feedback = feedback.exclude(status=Feedback.Status.CLOSED)
    return render(
        request,
        "supervision/feedback_list.html",
        {
            "page": sorted_paginate(feedback, request.GET),
            "status": status,
            "statuses": Feedback.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback_record(request: HttpRequest) -> HttpResponse:
    """A supervisor writes down a call to the supervision phone (works on a phone too)."""
    if not request.user.is_supervisor:
        raise Http404("只有监督人员可以登记监督电话")
    form = f.PhoneFeedbackForm(request.POST or None, stations=stations_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        feedback = feedback_receive(
            channel=Feedback.Channel.PHONE, recorded_by=request.user, **form.cleaned_data
        )
        messages.success(request, "来电已登记。")
        return redirect("supervision:feedback_detail", pk=feedback.pk)
    return render(request, "supervision/feedback_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(
        feedback_visible_to(request.user).select_related("station", "recorded_by"), pk=pk
    )
    may_act = request.user.is_supervisor and feedback.status != Feedback.Status.CLOSED
    form = f.FeedbackCloseForm(request.POST or None) if may_act else None
    if request.method == "POST":
        if form is not None and form.is_valid():
            try:
                feedback_close(
                    actor=request.user, feedback=feedback, reply=form.cleaned_data["reply"]
                )
            except SupervisionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已办结。")
                return redirect("supervision:feedback_detail", pk=feedback.pk)
        elif form is None:
            closed = feedback.status == Feedback.Status.CLOSED
            messages.error(
                request, "该意见已办结。" if closed else "只有监督人员可以办结意见建议。"
            )
            return redirect("supervision:feedback_detail", pk=feedback.pk)
    phone = feedback_phone_access(request.user)
    return render(
        request,
        "supervision/feedback_detail.html",
        {
            "feedback": feedback,
            "phone": phone_shown(phone, feedback.phone),
            "reveal_url": reverse("supervision:feedback_reveal_phone", args=[feedback.pk])
            if feedback.phone and phone.offers_reveal
            else "",
            "form": form,
            "plans": feedback.plans.select_related("station"),
            "may_plan": may_act,
        },
    )


@login_required
@require_POST
def feedback_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The full number, to call the person back, if the one rule allows it
    (feedback_phone_access); each reveal is audited."""
    feedback = get_object_or_404(feedback_visible_to(request.user), pk=pk)
    back = reverse("supervision:feedback_detail", args=[pk])
    return phone_reveal_response(
        request,
        obj=feedback,
        field="phone",
        back_url=back,
        access=feedback_phone_access(request.user),
    )


# --- Improvement plans and tasks ----------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = plans_visible_to(request.user).select_related("station", "created_by")
    status = request.GET.get("status", "")
    if status in ImprovementPlan.Status.values:
        plans = plans.filter(status=status)
    if request.GET.get("to_verify") == "1":
        waiting = RectificationTask.objects.filter(status=RectificationTask.Status.SUBMITTED)
        plans = plans.filter(pk__in=waiting.values("plan_id"))
    return render(
        request,
        "supervision/plan_list.html",
        {
            "page": sorted_paginate(plans, request.GET),
            "status": status,
            "statuses": ImprovementPlan.Status.choices,
            "can_create": request.user.is_supervisor,
        },
    )


def _plan_origin(request: HttpRequest) -> dict:
    """What the new plan is opened from: ?feedback=, ?order= or ?callback= (each in scope)."""
    user, params = request.user, request.GET
    for key, queryset in (
        ("feedback", feedback_visible_to(user)),
        ("order", orders_visible_to(user)),
        ("callback", callbacks_visible_to(user)),
    ):
        pk = as_id(params.get(key, ""))
        if pk is not None:
            return {key: get_object_or_404(queryset, pk=pk)}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_supervisor:
        raise Http404("只有监督人员可以制定整改计划")
    origin = _plan_origin(request)
    source = next(iter(origin.values()), None)
    station = getattr(source, "station", None)
    station_pk = as_id(request.GET.get("station", ""))
    if station is None and station_pk is not None:
        station = get_object_or_404(stations_visible_to(request.user), pk=station_pk)
    station_form = f.StationForm(request.POST or None, stations=stations_visible_to(request.user))
    if station is not None:
        station_form.fix_station(station)
    chosen = station
    if chosen is None and station_form.is_bound and station_form.is_valid():
        chosen = station_form.cleaned_data["station"]
    owners = task_owner_choices(chosen) if chosen else User.objects.none()
    # A 督办's instruction may be copied as it is; what a complainant or an enterprise said is
    # shown beside the form for the supervisor to restate without personal details, since the
    # station reads the plan.
    form = f.PlanForm(request.POST or None, initial={"problem": getattr(source, "instruction", "")})
    tasks = TaskFormSet(request.POST or None, form_kwargs={"owners": owners}, prefix="tasks")
    valid = station_form.is_valid() and form.is_valid() and tasks.is_valid()
    if request.method == "POST" and valid:
        specs = [TaskSpec(**t) for t in tasks.cleaned_data if t]
        try:
            plan = plan_create(
                actor=request.user,
                station=station_form.cleaned_data["station"],
                tasks=specs,
                **form.cleaned_data,
                **origin,
            )
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "整改计划已制定，任务责任人已收到通知。")
            return redirect("supervision:plan_detail", pk=plan.pk)
    return render(
        request,
        "supervision/plan_form.html",
        {
            "station_form": station_form,
            "form": form,
            "tasks": tasks,
            "source": source,
            "owners_known": chosen is not None,
        },
    )


def _plan_for(request: HttpRequest, pk: int) -> ImprovementPlan:
    return get_object_or_404(
        plans_visible_to(request.user).select_related(
            "station", "created_by", "feedback", "order", "callback__need__sheet"
        ),
        pk=pk,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    tasks = list(plan.tasks.select_related("owner", "verified_by").order_by("due_on", "pk"))
    may = plan_may(request.user, plan, tasks)
    for task in tasks:  # one form per task, with ids of its own
        auto_id = f"id_task{task.pk}_%s"
        task.submit_form = f.TaskSubmitForm(auto_id=auto_id) if task.may_submit else None
        task.review_form = f.ReviewForm(auto_id=auto_id) if task.may_verify else None
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "may_oversee": may.oversee,
            "task_form": f.TaskForm(owners=task_owner_choices(plan.station), prefix="new")
            if may.add_task
            else None,
            "close_form": f.PlanCloseForm() if may.close else None,
        },
    )


@login_required
@require_POST
def plan_add_task_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    form = f.TaskForm(request.POST, owners=task_owner_choices(plan.station), prefix="new")
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            plan_add_task(actor=request.user, plan=plan, task=TaskSpec(**form.cleaned_data))
        except SupervisionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "整改任务已增加。")
    return redirect("supervision:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    form = f.PlanCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            plan_close(actor=request.user, plan=plan, conclusion=form.cleaned_data["conclusion"])
        except SupervisionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "整改计划已完成。")
    return redirect("supervision:plan_detail", pk=plan.pk)


def _task_for(request: HttpRequest, pk: int) -> RectificationTask:
    task = get_object_or_404(RectificationTask.objects.select_related("plan"), pk=pk)
    if not plans_visible_to(request.user).filter(pk=task.plan_id).exists():
        raise Http404("任务不存在或无权查看")
    return task


@login_required
@require_POST
def task_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    form = f.TaskSubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            task_submit(
                actor=request.user,
                task=task,
                evidence=form.cleaned_data["evidence"],
                upload=form.cleaned_data["file"],
            )
        except SupervisionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "整改情况已提交，等待验收。")
    return redirect("supervision:plan_detail", pk=task.plan_id)


@login_required
@require_POST
def task_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    form = f.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("supervision:plan_detail", pk=task.plan_id)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        task_verify(actor=request.user, task=task, accept=accept, note=form.cleaned_data["note"])
    except SupervisionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已验收。" if accept else "已退回责任人继续整改。")
    return redirect("supervision:plan_detail", pk=task.plan_id)


@login_required
def task_evidence(request: HttpRequest, pk: int) -> FileResponse:
    task = _task_for(request, pk)
    if not task.evidence_file:
        raise Http404("没有佐证材料")
    response = FileResponse(
        task.evidence_file.open("rb"),
        as_attachment=True,
        filename=task.evidence_name,
        content_type=task.evidence_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
