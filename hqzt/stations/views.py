from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.audit.selectors import audit_history_for
from hqzt.core.choices import ListedModelChoiceField, QuickSelect
from hqzt.core.filters import filter_values, ignored_notice
from hqzt.core.pagination import NEWEST, sort_choice, sort_pair, sort_table, sorted_paginate
from hqzt.org.models import OrgUnit
from hqzt.stations.forms import StationForm, StationPublicInfoForm
from hqzt.stations.models import DomainKind, SiteKind, Station, StationMember
from hqzt.stations.selectors import (
    station_can_create,
    station_get_for_user,
    station_list_annotated,
    stations_visible_to,
)
from hqzt.stations.services import station_save


class StationFilterForm(forms.Form):
    q = forms.CharField(label="站点名称", required=False, max_length=50)
    domain_kind = ListedModelChoiceField(
        label="服务领域类别", queryset=DomainKind.objects.all(), required=False, empty_label="全部"
    )
    site_kind = ListedModelChoiceField(
        label="选址类型", queryset=SiteKind.objects.all(), required=False, empty_label="全部"
    )
    superior_unit = ListedModelChoiceField(
        label="上级单位", queryset=OrgUnit.objects.all(), required=False, empty_label="全部"
    )
    is_active = forms.TypedChoiceField(
        widget=QuickSelect(),
        label="状态",
        choices=[("", "全部"), ("1", "启用"), ("0", "停用")],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
    )


# A city has tens of stations: sorting them by name needs no index.
STATION_SORTS = sort_table(NEWEST, sort_pair("name", "站点名称", "name", parse=str))


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    stations = stations_visible_to(request.user)
    filters = StationFilterForm(request.GET)
    data, ignored = filter_values(filters)
    if ignored:
        messages.warning(request, ignored_notice(ignored))
    if data["q"]:
        stations = stations.filter(name__icontains=data["q"].strip())
    for field in ("domain_kind", "site_kind", "is_active"):
        if data[field] is not None:
            stations = stations.filter(**{field: data[field]})
    if data["superior_unit"]:
        stations = stations.filter(superior_unit__path__startswith=data["superior_unit"].path)
    sort = sort_choice(request.GET, STATION_SORTS, NEWEST.key)
    page = sorted_paginate(station_list_annotated(stations), request.GET, sort)
    return render(
        request,
        "stations/list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            "can_create": station_can_create(request.user),
        },
    )


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station, can_change = station_get_for_user(request.user, pk)
    members = (
        StationMember.objects.filter(station=station)
        .select_related("user")
        .order_by("-is_active", "role", "user__full_name")
    )
    return render(
        request,
        "stations/detail.html",
        {
            "station": station,
            "can_change": can_change,
            "members": members,
            "enterprise_count": station.enterprise_count,
            "history": audit_history_for(station),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def station_create(request: HttpRequest) -> HttpResponse:
    if not station_can_create(request.user):
        raise PermissionDenied("只有系统管理员和上级单位可以新建服务站。")
    form = StationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        station = station_save(actor=request.user, station=Station(), data=form.cleaned_data)
        messages.success(request, f"已新建服务站「{station.name}」。")
        return redirect("stations:detail", pk=station.pk)
    return render(request, "stations/form.html", {"form": form, "station": None})


@login_required
@require_http_methods(["GET", "POST"])
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station, can_change = station_get_for_user(request.user, pk)
    if not can_change:
        raise PermissionDenied("您没有修改该服务站的权限。")
    if request.user.is_station_staff:
        form = StationPublicInfoForm(request.POST or None, instance=station)
    else:
        form = StationForm(request.POST or None, instance=station, user=request.user)
    if request.method == "POST" and form.is_valid():
        station_save(actor=request.user, station=station, data=form.cleaned_data)
        messages.success(request, "服务站信息已保存。")
        return redirect("stations:detail", pk=station.pk)
    return render(request, "stations/form.html", {"form": form, "station": station})
