"""The need page as a workbench with its action dialogs, the phone reveal, attachments and the
tracking sheet (Appendix C)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hqzt.accounts.phone_access import phone_shown
from hqzt.audit.views import phone_reveal_response
from hqzt.intake import similar
from hqzt.intake.policy_match import policy_suggestions
from hqzt.needs.actions import (
    ACTIONS,
    REFUSING,
    action_form,
    available_actions,
    need_phone_access,
    workbench_actions,
)
from hqzt.needs.history import handling_rounds, handling_text
from hqzt.needs.models import Attachment, Need, TrackingSheet
from hqzt.needs.selectors import (
    deadline_flag,
    need_get_for_user,
    needs_visible_to,
    standing_for,
    visible_station_ids,
)
from hqzt.needs.states import Stage, Status
from hqzt.needs.workflow import TransitionRefused


def _timeline(need: Need, public_only: bool = False) -> list[Any]:
    events = need.events.select_related("actor")
    if public_only:
        events = events.filter(public=True)
    return list(events)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    station_ids = visible_station_ids(request.user)
    visible = needs_visible_to(request.user, station_ids=station_ids)
    need = need_get_for_user(request.user, pk, visible=visible)
    context = _detail_context(request, need, visible=visible, station_ids=station_ids)
    return render(request, "needs/detail.html", context)


def _detail_context(
    request: HttpRequest,
    need: Need,
    failed: tuple[str, Any] | None = None,
    *,
    visible: QuerySet[Need] | None = None,
    station_ids: list[int] | None = None,
) -> dict[str, Any]:
    """The need page as a workbench. `failed` is (action, bound form) after a submission that
    was refused: that action's dialog opens again with the person's input and the errors.
    Where the user stands to the need (actions, phone, the dialogs) is read once, and so are
    the stations they see (`visible`, `station_ids`: the need, its duplicates, similar cases)."""
    user = request.user
    if visible is None:
        station_ids = visible_station_ids(user)
        visible = needs_visible_to(user, station_ids=station_ids)
    standing = standing_for(user, [need])
    available = available_actions(user, need, standing)
    primary, secondary = workbench_actions(available)
    phone = need_phone_access(user, need, standing)

    def panel(name: str) -> dict[str, Any]:
        bound = failed[1] if failed and failed[0] == name else None
        return {
            "name": name,
            "title": ACTIONS[name].title,
            "form": bound or action_form(name, need, user=user, standing=standing),
            "failed": bound is not None,
            "refusing": name in REFUSING,
        }

    panels = {name: panel(name) for name in available}
    return {
        "need": need,
        "phone": phone_shown(phone, need.contact_phone),
        "phone_reveal_url": reverse("needs:reveal_phone", args=[need.pk])
        if phone.offers_reveal
        else "",
        "flag": deadline_flag(need),
        # The completion deadline beside the current one, while the need is still being handled.
        "complete_due": need.complete_due_on
        if need.due_stage != Stage.COMPLETE and need.status != Status.AWAITING_EVALUATION
        else None,
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
        "duplicates": similar.probable_duplicates(need, visible),
        "policy_matches": policy_suggestions(need),
        "similar_archived": similar.similar_archived(
            need.content, user, exclude=need.pk, visible=visible, station_ids=station_ids
        ),
        "primary": [panels[n] for n in primary],
        "secondary": [panels[n] for n in secondary],
        "panels": list(panels.values()),
    }


@login_required
@require_POST
def reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整号码 for those the one rule allows (need_phone_access), each reveal audited;
    outside the user's scope 404, others 403."""
    need = need_get_for_user(request.user, pk)
    return phone_reveal_response(
        request,
        obj=need,
        field="contact_phone",
        back_url=reverse("needs:detail", args=[pk]),
        access=need_phone_access(request.user, need),
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
