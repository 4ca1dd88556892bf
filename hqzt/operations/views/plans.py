"""Annual plans (§5.3): the chief or deputy sets the year's goals; progress is computed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.core import clock
from hqzt.operations import forms as f
from hqzt.operations import services
from hqzt.operations.models import AnnualPlan
from hqzt.operations.plans import plan_progress
from hqzt.operations.selectors import plans_visible_to, record_get_for_user
from hqzt.stations.selectors import stations_led_by


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "operations/plan_list.html",
        {
            "plans": plans_visible_to(request.user),
            "can_add": stations_led_by(request.user).exists(),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = record_get_for_user(request.user, AnnualPlan, pk)
    return render(
        request, "operations/plan_detail.html", {"plan": plan, "progress": plan_progress(plan)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    plan = (
        record_get_for_user(request.user, AnnualPlan, pk)
        if pk
        else AnnualPlan(year=clock.today().year)
    )
    leads = stations_led_by(request.user)
    if not leads.exists() or (plan.pk and not leads.filter(pk=plan.station_id).exists()):
        raise PermissionDenied("只有站长或副站长可以制定年度工作计划。")
    form = f.PlanForm(request.POST or None, instance=plan, stations=leads)
    goals = f.GoalsForm(request.POST or None, plan=plan, prefix="goal")
    if request.method == "POST" and form.is_valid() and goals.is_valid():
        plan = services.plan_save(
            actor=request.user, plan=plan, data=form.cleaned_data, goals=goals.cleaned_data
        )
        messages.success(request, "年度工作计划已保存。")
        return redirect("operations:plan_detail", pk=plan.pk)
    return render(request, "operations/plan_form.html", {"form": form, "goals": goals})
