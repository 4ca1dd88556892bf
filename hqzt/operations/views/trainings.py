"""Trainings (§5.5.5)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.operations import forms as f
from hqzt.operations import services
from hqzt.operations.selectors import (
    trainings_visible_to,
    writer_stations_or_403,
)


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    trainings = trainings_visible_to(request.user)
    return render(
        request,
        "operations/training_list.html",
        {"trainings": trainings, "can_add": request.user.is_station_staff},
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    stations = writer_stations_or_403(request.user, "只有服务站工作人员可以登记培训。")
    form = f.TrainingForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        services.training_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, "培训活动已登记。")
        return redirect("operations:training_list")
    return render(
        request,
        "enterprises/register_form.html",
        {"form": form, "title": "登记培训活动", "cancel_url": "operations:training_list"},
    )
