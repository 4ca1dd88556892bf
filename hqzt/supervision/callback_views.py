"""回访 pages: the list with sampling, and recording a callback's result."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.accounts.phone_access import phone_shown
from hqzt.core import clock
from hqzt.core.pagination import NEWEST, sort_choice, sort_pair, sort_table, sorted_paginate
from hqzt.needs.actions import need_phone_access
from hqzt.stations.selectors import stations_visible_to
from hqzt.supervision import forms as f
from hqzt.supervision.access import SupervisionRefused, callbacks_visible_to, oversees
from hqzt.supervision.callbacks import callback_record, callbacks_sample
from hqzt.supervision.models import Callback


def _require_supervision_reader(request: HttpRequest) -> None:
    if not (request.user.is_supervisor or request.user.is_admin):
        raise Http404("回访记录仅监督人员可见")


# Callbacks are the 不满意 evaluations and a sample of the rest, thousands a year: sorted by their
# deadline or creation without an index of their own.
CALLBACK_SORTS = sort_table(
    NEWEST,
    sort_pair("due", "回访期限", "due_on", parse=datetime.date.fromisoformat),
    sort_pair("created", "生成时间", "created_at", parse=datetime.datetime.fromisoformat),
)


@login_required
def callback_list(request: HttpRequest) -> HttpResponse:
    _require_supervision_reader(request)
    callbacks = callbacks_visible_to(request.user).select_related(
        "need__sheet", "need__enterprise", "station", "evaluation"
    )
    status = request.GET.get("status", "")
    if status in Callback.Status.values:
        callbacks = callbacks.filter(status=status)
    if request.GET.get("mismatch") == "1":
        callbacks = callbacks.filter(mismatch=True)
    sort = sort_choice(request.GET, CALLBACK_SORTS, NEWEST.key)
    today = clock.today()
    sample_form = f.SampleForm(
        stations=stations_visible_to(request.user),
        initial={"date_from": today.replace(day=1), "date_to": today},
    )
    return render(
        request,
        "supervision/callback_list.html",
        {
            "page": sorted_paginate(callbacks, request.GET, sort),
            "sort": sort,
            "status": status,
            "statuses": Callback.Status.choices,
            "sample_form": sample_form if request.user.is_supervisor else None,
        },
    )


@login_required
@require_POST
def callback_sample_view(request: HttpRequest) -> HttpResponse:
    form = f.SampleForm(request.POST, stations=stations_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("supervision:callback_list")
    data = form.cleaned_data
    try:
        created = callbacks_sample(
            actor=request.user,
            start=data["date_from"],
            end=data["date_to"],
            size=data["size"],
            station_id=data["station"].pk if data["station"] else None,
        )
    except SupervisionRefused as exc:
        messages.error(request, str(exc))
    else:
        if created:
            messages.success(request, f"已抽取 {len(created)} 条评价待回访。")
        else:
            messages.warning(request, "该期间没有尚未回访的评价。")
    return redirect("supervision:callback_list")


@login_required
@require_http_methods(["GET", "POST"])
def callback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_supervision_reader(request)
    callback = get_object_or_404(
        callbacks_visible_to(request.user).select_related(
            "need__sheet", "need__enterprise", "station", "evaluation", "recorded_by"
        ),
        pk=pk,
    )
    may_record = callback.status == Callback.Status.PENDING and oversees(
        request.user, callback.station
    )
    form = f.CallbackResultForm(request.POST or None) if may_record else None
    if request.method == "POST":
        if form is None:
            done = callback.status != Callback.Status.PENDING
            messages.error(
                request,
                "该回访已记录结果。" if done else "只有负责该服务站的监督人员可以记录回访。",
            )
            return redirect("supervision:callback_detail", pk=callback.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                callback = callback_record(
                    actor=request.user,
                    callback=callback,
                    reached=data["reached"] == "yes",
                    method=data["method"],
                    confirmed_level=data["confirmed_level"],
                    notes=data["notes"],
                )
            except SupervisionRefused as exc:
                form.add_error(None, str(exc))
            else:
                if callback.mismatch:
                    messages.warning(request, "回访结果与原评价不符，已标记。可制定整改计划。")
                else:
                    messages.success(request, "回访结果已记录。")
                return redirect("supervision:callback_detail", pk=callback.pk)
    phone = need_phone_access(request.user, callback.need)
    return render(
        request,
        "supervision/callback_detail.html",
        {
            "callback": callback,
            "form": form,
            "phone": phone_shown(phone, callback.need.contact_phone),
            # The need's own reveal: the one rule lets the supervisors of its 回访 use it.
            "reveal_url": reverse("needs:reveal_phone", args=[callback.need_id])
            if phone.offers_reveal
            else "",
            "may_plan": oversees(request.user, callback.station),
        },
    )
