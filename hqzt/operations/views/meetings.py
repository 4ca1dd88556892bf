"""Meetings (§5.5.2–5.5.3) and their action items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.core import clock
from hqzt.operations import forms as f
from hqzt.operations import services
from hqzt.operations.meetings import meeting_record
from hqzt.operations.models import ActionItem, Meeting
from hqzt.operations.selectors import (
    action_item_owners,
    meetings_visible_to,
    record_get_for_user,
    writer_stations_or_403,
    writes_for,
)
from hqzt.stations.selectors import stations_visible_to

WRITER_ONLY = "只有本站工作人员可以登记或修改。"


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = meetings_visible_to(request.user)
    return render(
        request,
        "operations/meeting_list.html",
        {"meetings": meetings, "can_add": request.user.is_station_staff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    stations = writer_stations_or_403(request.user, "只有服务站工作人员可以记录会议。")
    owners = action_item_owners(stations)
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
            meeting = meeting_record(
                actor=request.user, data=dict(form.cleaned_data), items=items.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("convened_by", exc)
        else:
            messages.success(request, "会议纪要已保存。")
            return redirect("operations:meeting_detail", pk=meeting.pk)
    return render(request, "operations/meeting_form.html", {"form": form, "items": items})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = record_get_for_user(request.user, Meeting, pk)
    return render(
        request,
        "operations/meeting_detail.html",
        {
            "meeting": meeting,
            "items": meeting.action_items.select_related("owner", "need__sheet"),
            "can_edit": writes_for(request.user, meeting.station_id),
        },
    )


@login_required
@require_POST
def action_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting__station"),
        pk=pk,
        meeting__station__in=stations_visible_to(
            request.user
        ),  # another station's item: 404, not 403
    )
    if not writes_for(request.user, item.meeting.station_id):
        raise PermissionDenied(WRITER_ONLY)
    services.action_item_done(actor=request.user, item=item)
    return redirect("operations:meeting_detail", pk=item.meeting_id)
