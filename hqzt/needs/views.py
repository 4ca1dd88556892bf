"""Needs screens: the ledger, registration, the need page with its actions, the tracking sheet,
the to-do list, attachments and the enterprise's evaluation link. Views validate and call one
service; the state rules live in states.py/workflow.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hqzt.audit.views import phone_reveal_response
from hqzt.core import clock
from hqzt.core.filters import ignored_notice
from hqzt.core.pagination import sorted_paginate
from hqzt.core.phones import phone_display, phone_mask
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.intake import similar
from hqzt.intake.policy_match import policy_suggestions
from hqzt.needs import batch
from hqzt.needs import forms as f
from hqzt.needs.actions import (
    ACTIONS,
    REFUSING,
    action_form,
    available_actions,
    may_see_full_phone,
    workbench_actions,
)
from hqzt.needs.deadlines import warn_date
from hqzt.needs.enterprise_sms import number_of
from hqzt.needs.forms import PERIODS, SELECTED_MAX
from hqzt.needs.history import handling_rounds, handling_text
from hqzt.needs.ledger import (
    DEFAULT_SORT,
    RELATED,
    SORTS,
    ledger_filter,
    ledger_sort,
    ledger_values,
    sees_full_phones,
    spans_stations,
)
from hqzt.needs.models import Attachment, EvaluationLevel, Need, TrackingSheet
from hqzt.needs.selectors import (
    deadline_flag,
    need_get_for_user,
    needs_visible_to,
    standing_for,
    todo_for,
)
from hqzt.needs.services.evaluation import invitation_for_token, need_evaluate
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.workflow import TransitionRefused
from hqzt.org.models import Section
from hqzt.stations.selectors import stations_led_by, stations_visible_to

# The ledger's filters shown in its bar; the rest fold under 展开 (issue 15 item 2).
LEDGER_MAIN_FILTERS = ("q", "status", "need_type", "date_from", "date_to")
LEDGER_FOLDED_FILTERS = (
    "station",
    "source",
    "channel",
    "lead_section",
    "chain",
    "town",
    "archive_category",
    "evaluation",
    "measure",
)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """企业需求记录台账 (Appendix B) with filters, in the user's scope: sortable by a whitelisted
    index-backed order, 20/50/100 to a page, numbered pages as far as a bounded OFFSET reaches and
    keyset 上一页/下一页 beyond, row selection for the batch actions (batch.py)."""
    needs, filters = ledger_filter(request.user, request.GET)
    if filters.ignored:
        messages.warning(request, ignored_notice(filters.ignored))
    paging = filters.search.paging if filters.search else {}
    sort = ledger_sort(request.GET)
    page = sorted_paginate(needs.select_related(*RELATED), request.GET, sort, **paging)
    user = request.user
    full, with_station = sees_full_phones(user), spans_stations(user)
    warn_on = warn_date(clock.today())
    standing = standing_for(user, page.items)
    rows = []
    for n in page.items:
        primary, _ = workbench_actions(available_actions(user, n, standing))
        rows.append(
            {
                "need": n,
                "cells": ledger_values(n, full_phone=full, with_station=with_station),
                "flag": deadline_flag(n, warn_on=warn_on),
                "next": {"name": primary[0], "title": ACTIONS[primary[0]].title}
                if primary
                else None,
            }
        )
    leads = user.is_station_staff and stations_led_by(user).exists()
    folded = [filters[name] for name in LEDGER_FOLDED_FILTERS]
    return render(
        request,
        "needs/ledger.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "main_filters": [filters[name] for name in LEDGER_MAIN_FILTERS],
            "folded_filters": folded,
            # 展开 stays open in a shared link (?more=1) and whenever a folded filter is in use.
            "filters_open": request.GET.get("more") == "1"
            or any(request.GET.get(f.name) for f in folded),
            "periods": PERIODS,
            "period": request.GET.get("period", ""),
            "sorts": SORTS,
            "sort": sort,
            "date_toggle": "date" if sort.key == "-date" else "-date",
            "number_toggle": "id" if sort.key == "-id" else "-id",
            "due_toggle": DEFAULT_SORT if sort.key == "due" else "due",
            "can_register": user.is_station_staff,
            "export_query": request.GET.urlencode(),
            "may_dispatch": leads,
            "may_remind": leads or user.is_supervisor,
            "sections": Section.objects.filter(
                kind=Section.Kind.BUREAU_SECTION, is_active=True
            ).order_by("pk")
            if leads
            else [],
            "selected_max": SELECTED_MAX,
        },
    )


@login_required
@require_POST
def ledger_batch(request: HttpRequest) -> HttpResponse:
    """批量分发 / 批量催办 / 导出所选 on the ticked rows; back to the same ledger view with the
    outcome per need (batch.py does the work, each need through its own service)."""
    back = QueryDict(request.POST.get("back", "")).copy()
    back_url = f"{reverse('needs:ledger')}?{back.urlencode()}"
    action = request.POST.get("action", "")
    try:
        ids = batch.parse_ids(request.POST.getlist("ids"))
        if action == "export":
            query = batch.export_query(request.user, ids)
            return redirect(f"{reverse('documents:ledger_xlsx')}?{query}")
        note = request.POST.get("note", "").strip()[:500]
        if action == "dispatch":
            section = batch.dispatch_section(request.POST.get("lead_section", ""))
            result = batch.batch_dispatch(
                actor=request.user, ids=ids, lead_section=section, note=note
            )
        elif action == "remind":
            result = batch.batch_remind(actor=request.user, ids=ids, note=note)
        else:
            raise batch.BatchRefused("没有这个批量操作。")
    except batch.BatchRefused as exc:
        messages.error(request, str(exc))
        return redirect(back_url)
    level = messages.success if not result.refused else messages.warning
    level(request, result.message)
    return redirect(back_url)


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
    choice = f.DuplicateChoiceForm(
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
        choice = f.DuplicateChoiceForm(
            initial={"checked": True},
            sheets=TrackingSheet.objects.filter(pk__in={s.need.sheet_id for s in duplicates}),
        )
    return render(
        request,
        "needs/register.html",
        {"form": form, "items": items, "duplicates": duplicates, "choice": choice},
    )


def _timeline(need: Need, public_only: bool = False) -> list[Any]:
    events = need.events.select_related("actor")
    if public_only:
        events = events.filter(public=True)
    return list(events)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_get_for_user(request.user, pk)
    return render(request, "needs/detail.html", _detail_context(request, need))


def _detail_context(
    request: HttpRequest, need: Need, failed: tuple[str, Any] | None = None
) -> dict[str, Any]:
    """The need page as a workbench. `failed` is (action, bound form) after a submission that
    was refused: that action's dialog opens again with the person's input and the errors."""
    available = available_actions(request.user, need)
    primary, secondary = workbench_actions(available)
    full_phone = may_see_full_phone(request.user, need)

    def panel(name: str) -> dict[str, Any]:
        bound = failed[1] if failed and failed[0] == name else None
        return {
            "name": name,
            "title": ACTIONS[name].title,
            "form": bound or action_form(name, need, user=request.user),
            "failed": bound is not None,
            "refusing": name in REFUSING,
        }

    panels = {name: panel(name) for name in available}
    return {
        "need": need,
        "phone": phone_display(need.contact_phone)
        if full_phone
        else phone_mask(need.contact_phone),
        "phone_reveal_url": "" if full_phone else reverse("needs:reveal_phone", args=[need.pk]),
        "flag": deadline_flag(need),
        "timeline": _timeline(need),
        # Earlier rounds after a 不满意 (§6.5.2): the current round shows above as the need's
        # own handling; the ones before stay readable here.
        "past_rounds": handling_rounds(need)[:-1] if need.round > 1 else [],
        "steps": need.steps.select_related("actor").prefetch_related("attachments"),
        "evaluations": need.evaluations.select_related("collected_by"),
        "attachments": need.attachments.all(),
        "extensions": need.extensions.select_related("requested_by", "decided_by"),
        "co_sections": need.co_sections.all(),
        "orders": need.supervision_orders.select_related("issued_by").order_by("-pk"),
        "may_supervise": request.user.is_supervisor,
        "duplicates": similar.probable_duplicates(need, needs_visible_to(request.user)),
        "policy_matches": policy_suggestions(need),
        "similar_archived": similar.similar_archived(need.content, request.user, exclude=need.pk),
        "primary": [panels[n] for n in primary],
        "secondary": [panels[n] for n in secondary],
        "panels": list(panels.values()),
    }


@login_required
@require_POST
def reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整号码 for anyone who may see the need; each reveal is audited."""
    need = need_get_for_user(request.user, pk)
    return phone_reveal_response(
        request, obj=need, field="contact_phone", back_url=reverse("needs:detail", args=[pk])
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action from its dialog. Refused input re-opens the dialog on the need page with
    the errors beside the fields and nothing saved; an action the page does not offer this user
    is refused with a message."""
    need = need_get_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404("没有这个操作")
    title = ACTIONS[action].title
    form = action_form(action, need, request.POST, request.FILES)
    offered = action in available_actions(request.user, need)
    if form.is_valid():
        try:
            ACTIONS[action].run(request, need, form.cleaned_data)
        except (TransitionRefused, ValidationError) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            form.add_error(None, f"{title}未完成：{text}")
        else:
            messages.success(request, f"{title}：已完成。")
            return redirect("needs:detail", pk=need.pk)
    elif not form.non_field_errors():
        form.add_error(None, f"{title}未完成：请按提示更正标出的内容。")
    if not offered:
        messages.error(request, "；".join(form.non_field_errors()))
        return redirect("needs:detail", pk=need.pk)
    need.refresh_from_db()
    context = _detail_context(request, need, failed=(action, form))
    return render(request, "needs/detail.html", context, status=400)


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
    rows = [{"need": n, "handling": handling_text(n)} for n in needs]
    return render(request, "needs/sheet.html", {"sheet": tracking_sheet, "rows": rows})


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    needs = list(todo_for(request.user).select_related(*RELATED)[:300])
    warn_on = warn_date(clock.today())
    return render(
        request,
        "needs/todo.html",
        {"rows": [{"need": n, "flag": deadline_flag(n, warn_on=warn_on)} for n in needs]},
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
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "needs/evaluate_invalid.html", status=404)
    need = invitation.need
    form = f.PublicEvaluateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need_evaluate(
                need=need,
                actor=None,
                level=form.cleaned_data["level"],
                comments=form.cleaned_data["comments"],
                invitation=invitation,
            )
        except TransitionRefused:
            return render(request, "needs/evaluate_invalid.html", status=404)
        dissatisfied = form.cleaned_data["level"] == EvaluationLevel.DISSATISFIED
        return render(
            request,
            "needs/evaluate_thanks.html",
            {
                "dissatisfied": dissatisfied,
                "reason": form.cleaned_data["comments"],
                "station": need.station.name,
                "number": number_of(need.sheet),
            },
        )
    return render(
        request,
        "needs/evaluate_public.html",
        {"need": need, "form": form, "phone": phone_mask(need.contact_phone)},
    )
