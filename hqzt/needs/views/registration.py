"""Registering the needs an enterprise raises together on one tracking sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.core import clock
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.intake import similar
from hqzt.needs import registration_forms
from hqzt.needs.models import TrackingSheet
from hqzt.needs.selectors import (
    needs_visible_to,
)
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.workflow import TransitionRefused
from hqzt.stations.selectors import stations_visible_to


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register the needs an enterprise raises together; they share one tracking sheet."""
    if not request.user.is_station_staff:
        messages.error(request, "只有服务站工作人员可以登记需求。")
        return redirect("needs:ledger")
    stations = stations_visible_to(request.user).filter(is_active=True)
    form = registration_forms.RegisterForm(
        request.POST or None,
        stations=stations,
        enterprises=enterprises_visible_to(request.user),
    )
    items = registration_forms.NeedItemFormSet(request.POST or None, prefix="items")
    choice = registration_forms.DuplicateChoiceForm(
        request.POST or None, sheets=TrackingSheet.objects.filter(station__in=stations)
    )
    duplicates = []
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        rows = [
            NeedItem(need_type=row["need_type"], content=row["content"])
            for row in items.cleaned_data
            if row
        ]
        if not choice.is_valid():  # a sheet that was not offered: another station's, or gone
            form.add_error(None, "所选的跟踪单不可用，请重新选择登记方式。")
        else:
            if not choice.cleaned_data["checked"]:
                duplicates = similar.duplicates_of(
                    enterprise_id=data["enterprise"].pk,
                    texts=[row.content for row in rows],
                    on=clock.today(),
                    visible=needs_visible_to(request.user),
                )
            if not duplicates:
                try:
                    sheet = need_register(
                        actor=request.user,
                        station=data["station"],
                        enterprise=data["enterprise"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        source=data["source"],
                        channel=data["channel"],
                        items=rows,
                        attach_to=choice.cleaned_data["attach_to"],
                    )
                except TransitionRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, f"已登记，跟踪单号 {sheet.tracking_number}。")
                    return redirect("needs:sheet", pk=sheet.pk)
    if duplicates:
        # Nothing is saved until the staff member has seen them and chosen how to register.
        choice = registration_forms.DuplicateChoiceForm(
            initial={"checked": True},
            sheets=TrackingSheet.objects.filter(pk__in={s.need.sheet_id for s in duplicates}),
        )
    return render(
        request,
        "needs/register.html",
        {"form": form, "items": items, "duplicates": duplicates, "choice": choice},
    )
