"""Visits (主动“进企业”, §6.2) and the needs raised on them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.core import clock
from hqzt.enterprises.selectors import enterprise_may_see_full_phone
from hqzt.needs.registration_forms import NeedItemFormSet, RegisterForm
from hqzt.needs.services.registration import NeedItem
from hqzt.needs.workflow import TransitionRefused
from hqzt.operations import forms as f
from hqzt.operations import services
from hqzt.operations.models import Visit
from hqzt.operations.selectors import (
    record_get_for_user,
    visits_visible_to,
    writer_stations_or_403,
    writes_for,
)
from hqzt.operations.visits import visit_register_needs
from hqzt.stations.models import Station


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = visits_visible_to(request.user)
    return render(
        request,
        "operations/visit_list.html",
        {"visits": visits, "can_add": request.user.is_station_staff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    stations = writer_stations_or_403(request.user, "只有服务站工作人员可以安排走访。")
    form = f.VisitForm(
        request.POST or None,
        stations=stations,
        initial={"planned_on": clock.today(), "staff": [request.user]},
    )
    if request.method == "POST" and form.is_valid():
        visit = services.visit_create(actor=request.user, data=form.cleaned_data)
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
    visit = record_get_for_user(request.user, Visit, pk)
    writer = writes_for(request.user, visit.station_id)
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
            # Only the station's writers see this form; the number still goes through the rule.
            "contact_phone": contact.phone
            if contact and enterprise_may_see_full_phone(request.user)
            else "",
        },
    )
    items = NeedItemFormSet(
        request.POST if request.POST.get("action") == "needs" else None, prefix="items"
    )
    if request.method == "POST":
        if not writer:
            raise PermissionDenied("只有本站工作人员可以记录走访。")
        if request.POST.get("action") == "record" and record.is_valid():
            services.visit_record(actor=request.user, visit=visit, data=record.cleaned_data)
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
