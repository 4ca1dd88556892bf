"""A station's staff (§5.4) and duty rota (§5.5.4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.core import clock
from hqzt.operations import forms as f
from hqzt.operations.reports import (
    week_of,
)
from hqzt.operations.rota import rota_generate, rota_set
from hqzt.operations.selectors import (
    shifts_ahead,
)
from hqzt.stations.selectors import leads_station, stations_visible_to, trained_staff
from hqzt.stations.services import station_member_save


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(stations_visible_to(request.user), pk=pk)
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
                    count = rota_generate(actor=user, station=station, **rota_form.cleaned_data)
                    messages.success(request, f"已排班 {count} 个工作日。")
                    return redirect("operations:staff", pk=station.pk)
                if action == "shift" and shift_form.is_valid():
                    rota_set(actor=user, station=station, **shift_form.cleaned_data)
                    messages.success(request, "值班已调整。")
                    return redirect("operations:staff", pk=station.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    shifts = shifts_ahead(station)
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
