"""督办 pages: list, issue (on a need or a station), respond, review."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.core import clock
from hqzt.core.pagination import NEWEST, sort_choice, sort_pair, sort_table, sorted_paginate
from hqzt.core.text import as_id
from hqzt.needs.selectors import need_get_for_user
from hqzt.stations.selectors import leads_station, stations_visible_to
from hqzt.supervision import forms as f
from hqzt.supervision.access import SupervisionRefused, orders_visible_to, oversees
from hqzt.supervision.models import SupervisionOrder
from hqzt.supervision.orders import order_issue, order_respond, order_review

# 督办 are few (a handful per station and year): sorted by time or deadline without an index.
ORDER_SORTS = sort_table(
    NEWEST,
    sort_pair("issued", "督办时间", "issued_at", parse=datetime.datetime.fromisoformat),
    sort_pair("due", "回复期限", "due_on", parse=datetime.date.fromisoformat),
)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = orders_visible_to(request.user).select_related("station", "need__sheet", "issued_by")
    status = request.GET.get("status", "")
    if status in SupervisionOrder.Status.values:
        orders = orders.filter(status=status)
    if request.GET.get("overdue") == "1":
        orders = orders.filter(status=SupervisionOrder.Status.ISSUED, due_on__lt=clock.today())
    sort = sort_choice(request.GET, ORDER_SORTS, NEWEST.key)
    return render(
        request,
        "supervision/order_list.html",
        {
            "page": sorted_paginate(orders, request.GET, sort),
            "sort": sort,
            "status": status,
            "statuses": SupervisionOrder.Status.choices,
            "can_issue": request.user.is_supervisor,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    """`?need=<pk>` issues the order on a need (its station is fixed); otherwise on a station."""
    if not request.user.is_supervisor:
        raise Http404("只有监督人员可以督办")
    need = None
    need_pk = as_id(request.GET.get("need", ""))
    if need_pk is not None:
        need = need_get_for_user(request.user, need_pk)
    form = f.OrderForm(
        request.POST or None,
        stations=stations_visible_to(request.user),
        initial={"station": request.GET.get("station")},
    )
    if need is not None:
        form.fix_station(need.station)
    if request.method == "POST" and form.is_valid():
        try:
            order = order_issue(
                actor=request.user,
                station=form.cleaned_data["station"],
                need=need,
                instruction=form.cleaned_data["instruction"],
                due_on=form.cleaned_data["due_on"],
            )
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "督办已下达，服务站站长、副站长已收到通知。")
            return redirect("supervision:order_detail", pk=order.pk)
    return render(request, "supervision/order_form.html", {"form": form, "need": need})


def _order_for(request: HttpRequest, pk: int) -> SupervisionOrder:
    return get_object_or_404(
        orders_visible_to(request.user).select_related(
            "station", "need__sheet", "need__enterprise", "issued_by", "responded_by"
        ),
        pk=pk,
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_for(request, pk)
    may_respond = order.status == SupervisionOrder.Status.ISSUED and leads_station(
        request.user, order.station_id
    )
    may_review = order.status == SupervisionOrder.Status.RESPONDED and oversees(
        request.user, order.station
    )
    return render(
        request,
        "supervision/order_detail.html",
        {
            "order": order,
            "respond_form": f.OrderResponseForm() if may_respond else None,
            "review_form": f.OrderReviewForm() if may_review else None,
            "plans": order.plans.all(),
            "may_plan": oversees(request.user, order.station),
        },
    )


@login_required
@require_POST
def order_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_for(request, pk)
    form = f.OrderResponseForm(request.POST)
    if form.is_valid():
        try:
            order_respond(actor=request.user, order=order, response=form.cleaned_data["response"])
        except SupervisionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已回复督办。")
    else:
        messages.error(request, "请填写回复内容。")
    return redirect("supervision:order_detail", pk=order.pk)


@login_required
@require_POST
def order_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_for(request, pk)
    form = f.OrderReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("supervision:order_detail", pk=order.pk)
    data = form.cleaned_data
    accept = data["decision"] == "accept"
    try:
        order_review(
            actor=request.user,
            order=order,
            accept=accept,
            note=data["note"],
            due_on=data["due_on"],
        )
    except SupervisionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "督办已办结。" if accept else "已退回服务站重新回复。")
    return redirect("supervision:order_detail", pk=order.pk)
