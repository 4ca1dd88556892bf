from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.core.pagination import sorted_paginate
from hqzt.policies.forms import PolicyForm, PolicySearchForm
from hqzt.policies.models import Policy
from hqzt.policies.selectors import policy_search
from hqzt.policies.services import policy_save
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to


def _may_edit(user, policy: Policy | None = None) -> bool:
    """Admins and supervisors keep the library; station staff add policies they collected and
    edit those of their own station."""
    if user.is_admin or user.is_supervisor:
        return True
    if not user.is_station_staff:
        return False
    return (
        policy is None
        or policy.station_id is None
        or stations_visible_to(user).filter(pk=policy.station_id).exists()
    )


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    form = PolicySearchForm(request.GET)
    policies = Policy.objects.none()
    if form.is_valid():
        policies = policy_search(
            form.cleaned_data["q"], include_expired=form.cleaned_data["expired"]
        )
    page = sorted_paginate(policies, request.GET)
    return render(
        request,
        "policies/list.html",
        {"page": page, "filters": form, "can_add": _may_edit(request.user)},
    )


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("station"), pk=pk)
    return render(
        request,
        "policies/detail.html",
        {"policy": policy, "can_edit": _may_edit(request.user, policy)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk) if pk else Policy()
    if not _may_edit(request.user, policy if pk else None):
        raise PermissionDenied("您没有维护该政策的权限。")
    stations = (
        stations_visible_to(request.user)
        if request.user.is_station_staff
        else Station.objects.all()
    )
    form = PolicyForm(
        request.POST or None, request.FILES or None, instance=policy, stations=stations
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            policy = policy_save(actor=request.user, policy=policy, data=data, upload=upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, "政策已保存。")
            return redirect("policies:detail", pk=policy.pk)
    title = f"编辑政策：{policy.title}" if pk else "收录政策"
    return render(
        request,
        "enterprises/register_form.html",
        {"form": form, "title": title, "cancel_url": "policies:list", "multipart": True},
    )


@login_required
def policy_file(request: HttpRequest, pk: int) -> FileResponse:
    policy = get_object_or_404(Policy, pk=pk)
    if not policy.attachment:
        raise Http404("没有附件")
    return FileResponse(
        policy.attachment.open("rb"), as_attachment=True, filename=policy.attachment_name
    )
