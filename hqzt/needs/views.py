"""Needs screens: the ledger, registration, the need page with its actions, the tracking sheet,
the to-do list, attachments and the enterprise's evaluation link. Views validate and call one
service; the state rules live in states.py/workflow.py."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.accounts.models import User
from hqzt.core.pagination import keyset_paginate
from hqzt.core.phones import phone_display, phone_mask
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.needs import forms as f
from hqzt.needs import services
from hqzt.needs.attachments import attachment_add, need_attach, need_may_attach
from hqzt.needs.ledger import RELATED, ledger_filter, ledger_values, sees_full_phones
from hqzt.needs.models import Attachment, ExtensionRequest, Need, Scope, TrackingSheet
from hqzt.needs.selectors import (
    actions_for,
    actor_roles,
    deadline_flag,
    need_get_for_user,
    needs_visible_to,
    todo_for,
)
from hqzt.needs.states import HANDLING_STATES, Actor, Status
from hqzt.needs.workflow import TransitionRefused
from hqzt.stations.selectors import stations_visible_to


def may_see_full_phone(user: User, need: Need) -> bool:
    """Those who contact the enterprise see the number; supervisors see it masked (R-9)."""
    if user.is_admin:
        return True
    roles = actor_roles(user, need)
    return bool(roles & {Actor.STATION_STAFF, Actor.LEAD_SECTION}) or (
        user.is_handler and need.co_sections.filter(members=user).exists()
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """企业需求记录台账 (Appendix B) with filters, in the user's scope."""
    needs, filters = ledger_filter(request.user, request.GET)
    page = keyset_paginate(needs.select_related(*RELATED), request.GET)
    start = int(request.GET["start"]) if request.GET.get("start", "").isdigit() else 0
    full = sees_full_phones(request.user)
    return render(
        request,
        "needs/ledger.html",
        {
            "page": page,
            "rows": [
                {"need": n, "cells": ledger_values(n, full_phone=full), "flag": deadline_flag(n)}
                for n in page.items
            ],
            "filters": filters,
            "start": start,
            "next_start": start + len(page.items),
            "can_register": request.user.is_station_staff,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register the needs an enterprise raises together; they share one tracking sheet."""
    if not request.user.is_station_staff:
        messages.error(request, "只有服务站工作人员可以登记需求。")
        return redirect("needs:ledger")
    stations = stations_visible_to(request.user).filter(is_active=True)
    form = f.RegisterForm(
        request.POST or None,
        stations=stations,
        enterprises=enterprises_visible_to(request.user),
    )
    items = f.NeedItemFormSet(request.POST or None, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        data = form.cleaned_data
        try:
            sheet = services.need_register(
                actor=request.user,
                station=data["station"],
                enterprise=data["enterprise"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                source=data["source"],
                channel=data["channel"],
                items=[
                    services.NeedItem(need_type=row["need_type"], content=row["content"])
                    for row in items.cleaned_data
                    if row
                ],
            )
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记，跟踪单号 {sheet.tracking_number}。")
            return redirect("needs:sheet", pk=sheet.pk)
    return render(request, "needs/register.html", {"form": form, "items": items})


@dataclass(frozen=True)
class ActionSpec:
    title: str
    form: type[forms.Form]
    run: Callable[[HttpRequest, Need, dict[str, Any]], Any]
    needs_need: bool = False  # the form's __init__ takes the need


def _step(request: HttpRequest, need: Need, data: dict[str, Any]) -> None:
    with transaction.atomic():
        step = services.need_add_step(
            need=need,
            actor=request.user,
            description=data["description"],
            answered_enterprise=data["answered_enterprise"],
        )
        if data["attachment"]:
            attachment_add(need=need, actor=request.user, upload=data["attachment"], step=step)


def _decide_extension(request: HttpRequest, need: Need, data: dict[str, Any]) -> None:
    pending = need.extensions.filter(decision=ExtensionRequest.Decision.PENDING).first()
    if pending is None:
        raise TransitionRefused("没有待审批的延期申请。")
    services.extension_decide(
        request=pending, actor=request.user, approve=data["approve"], note=data["note"]
    )


ACTIONS: dict[str, ActionSpec] = {
    "accept_intake": ActionSpec(
        "受理登记",
        forms.Form,
        lambda r, n, d: services.need_accept_intake(need=n, actor=r.user),
    ),
    "reject_intake": ActionSpec(
        "不予受理",
        f.RejectForm,
        lambda r, n, d: services.need_reject_intake(need=n, actor=r.user, reason=d["reason"]),
    ),
    "identify": ActionSpec(
        "需求识别",
        f.IdentifyForm,
        lambda r, n, d: services.need_identify(
            need=n, actor=r.user, scope=d["scope"], complexity=d["complexity"]
        ),
    ),
    "dispatch": ActionSpec(
        "分发任务",
        f.DispatchForm,
        lambda r, n, d: services.need_dispatch(
            need=n,
            actor=r.user,
            handling_mode=d["handling_mode"],
            lead_section=d["lead_section"],
            co_sections=list(d["co_sections"]),
            note=d["note"],
        ),
        needs_need=True,
    ),
    "liaise": ActionSpec(
        "联络相关部门",
        f.LiaiseForm,
        lambda r, n, d: services.need_liaise(need=n, actor=r.user, **d),
    ),
    "accept_task": ActionSpec(
        "签收",
        f.AcceptTaskForm,
        lambda r, n, d: services.need_accept_task(
            need=n, actor=r.user, responsible_person=d["responsible_person"]
        ),
        needs_need=True,
    ),
    "return_task": ActionSpec(
        "回退",
        f.ReturnForm,
        lambda r, n, d: services.need_return_task(need=n, actor=r.user, reason=d["reason"]),
    ),
    "step": ActionSpec("记录处理过程", f.StepForm, _step),
    "attach": ActionSpec(
        "上传附件",
        f.AttachForm,
        lambda r, n, d: need_attach(need=n, actor=r.user, upload=d["file"]),
    ),
    "complete": ActionSpec(
        "办理完毕",
        f.CompleteForm,
        lambda r, n, d: services.need_complete(need=n, actor=r.user, **d),
    ),
    "evaluate": ActionSpec(
        "录入满意度评价",
        f.EvaluateForm,
        lambda r, n, d: services.need_evaluate(need=n, actor=r.user, **d),
    ),
    "invite": ActionSpec(
        "重新发送评价邀请",
        forms.Form,
        lambda r, n, d: services.need_invite_evaluation(need=n, actor=r.user),
    ),
    "verify": ActionSpec(
        "核实",
        f.VerifyForm,
        lambda r, n, d: services.need_verify(
            need=n, actor=r.user, rehandle=d["decision"] == "rehandle", note=d["note"]
        ),
    ),
    "archive": ActionSpec(
        "归档",
        f.ArchiveForm,
        lambda r, n, d: services.need_archive(need=n, actor=r.user, category=d["category"]),
        needs_need=True,
    ),
    "remind": ActionSpec(
        "催办",
        f.RemindForm,
        lambda r, n, d: services.need_remind(need=n, actor=r.user, note=d["note"]),
    ),
    "extension": ActionSpec(
        "申请延期",
        f.ExtensionForm,
        lambda r, n, d: services.extension_request(need=n, actor=r.user, **d),
    ),
    "decide_extension": ActionSpec("审批延期", f.ExtensionDecisionForm, _decide_extension),
}


# Table actions that share one panel on the need page.
PANEL_FOR_ACTION = {
    "identify_simple": "identify",
    "identify_coordinated": "identify",
    "identify_other_department": "identify",
    "evaluate_positive": "evaluate",
    "evaluate_dissatisfied": "evaluate",
    "rehandle": "verify",
    "close_after_verification": "verify",
}
OPEN_FOR_REMINDER = {
    Status.PENDING_ACCEPTANCE,
    Status.AWAITING_DISPATCH,
    Status.DISPATCHED,
    *HANDLING_STATES,
    Status.AWAITING_VERIFICATION,
}


def _available(user: User, need: Need) -> list[str]:
    """The action panels to show this user; the services check again when one is used."""
    panels = list(dict.fromkeys(PANEL_FOR_ACTION.get(a, a) for a in actions_for(user, need)))
    if need.status == Status.AWAITING_DISPATCH:
        wrong = "liaise" if need.scope == Scope.MARKET_REGULATION else "dispatch"
        panels = [p for p in panels if p != wrong]
    roles = actor_roles(user, need)
    if need.status in HANDLING_STATES and services.handling_actor_ok(user, need):
        panels += ["step", "extension"]
    if "evaluate" in panels:
        panels.append("invite")
    lead = Actor.STATION_LEAD in roles
    if (lead or user.is_supervisor) and need.status in OPEN_FOR_REMINDER:
        panels.append("remind")
    if lead and need.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        panels.append("decide_extension")
    if need_may_attach(user, need):
        panels.append("attach")
    return panels


def _action_form(name: str, need: Need, data=None, files=None) -> forms.Form:
    spec = ACTIONS[name]
    kwargs = {"need": need} if spec.needs_need else {}
    return spec.form(data, files, prefix=name, **kwargs)


def _timeline(need: Need, public_only: bool = False) -> list[Any]:
    events = need.events.select_related("actor")
    if public_only:
        events = events.filter(public=True)
    return list(events)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_get_for_user(request.user, pk)
    available = _available(request.user, need)
    return render(
        request,
        "needs/detail.html",
        {
            "need": need,
            "phone": phone_display(need.contact_phone)
            if may_see_full_phone(request.user, need)
            else phone_mask(need.contact_phone),
            "flag": deadline_flag(need),
            "timeline": _timeline(need),
            "steps": need.steps.select_related("actor").prefetch_related("attachments"),
            "evaluations": need.evaluations.select_related("collected_by"),
            "attachments": need.attachments.all(),
            "extensions": need.extensions.select_related("requested_by", "decided_by"),
            "co_sections": need.co_sections.all(),
            "panels": [
                {"name": n, "title": ACTIONS[n].title, "form": _action_form(n, need)}
                for n in available
            ],
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    need = need_get_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404("没有这个操作")
    form = _action_form(action, need, request.POST, request.FILES)
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}"
            f"{'，'.join(v)}"
            for k, v in form.errors.items()
        )
        messages.error(request, f"{ACTIONS[action].title}未完成：{errors}")
        return redirect("needs:detail", pk=need.pk)
    try:
        ACTIONS[action].run(request, need, form.cleaned_data)
    except (TransitionRefused, ValidationError) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"{ACTIONS[action].title}未完成：{text}")
    else:
        messages.success(request, f"{ACTIONS[action].title}：已完成。")
    return redirect("needs:detail", pk=need.pk)


@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """需求处理跟踪单 (Appendix C): the needs of one sheet the user may see."""
    tracking_sheet = get_object_or_404(TrackingSheet.objects.select_related("enterprise"), pk=pk)
    needs = list(
        needs_visible_to(request.user)
        .filter(sheet=tracking_sheet)
        .select_related("lead_section", "responsible_person", "department", "first_contact")
        .order_by("row_number")
    )
    if not needs:
        raise Http404("跟踪单不存在或无权查看")
    return render(request, "needs/sheet.html", {"sheet": tracking_sheet, "needs": needs})


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    needs = list(todo_for(request.user).select_related(*RELATED)[:300])
    return render(
        request,
        "needs/todo.html",
        {"rows": [{"need": n, "flag": deadline_flag(n)} for n in needs]},
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(Attachment, pk=pk)
    need_get_for_user(request.user, attachment.need_id)  # 404 outside the user's scope
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def evaluate_public(request: HttpRequest, token: str) -> HttpResponse:
    """The enterprise's one-time evaluation page (Appendix D). Invalid, used and expired links
    all get the same answer."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "needs/evaluate_invalid.html", status=404)
    need = invitation.need
    form = f.PublicEvaluateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_evaluate(
                need=need,
                actor=None,
                level=form.cleaned_data["level"],
                comments=form.cleaned_data["comments"],
                invitation=invitation,
            )
        except TransitionRefused:
            return render(request, "needs/evaluate_invalid.html", status=404)
        return render(request, "needs/evaluate_thanks.html")
    return render(
        request,
        "needs/evaluate_public.html",
        {"need": need, "form": form, "phone": phone_mask(need.contact_phone)},
    )
