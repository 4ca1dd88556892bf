"""Work suggestions to the superior unit (§5.3 a)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hqzt.operations import forms as f
from hqzt.operations.models import WorkSuggestion
from hqzt.operations.suggestions import (
    may_answer,
    suggestion_answer,
    suggestion_get_for_user,
    suggestion_mark_read,
    suggestion_stations,
    suggestion_submit,
    suggestions_visible_to,
)


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    suggestions = (
        suggestions_visible_to(request.user)
        .select_related("station", "submitted_by")
        .order_by("-submitted_at")
    )
    status = request.GET.get("status", "")
    if status in WorkSuggestion.Status.values:
        suggestions = suggestions.filter(status=status)
    return render(
        request,
        "operations/suggestion_list.html",
        {
            "suggestions": suggestions[:300],
            "status": status,
            "statuses": WorkSuggestion.Status.choices,
            "can_add": suggestion_stations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_create(request: HttpRequest) -> HttpResponse:
    stations = suggestion_stations(request.user)
    if not stations.exists():
        raise PermissionDenied("只有服务站工作人员可以提出工作建议。")
    form = f.SuggestionForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = suggestion_submit(
                actor=request.user,
                station=data["station"],
                title=data["title"],
                content=data["content"],
                source=data["source"],
                visit=data["visit"],
                needs=data["needs"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "工作建议已报送上级单位。")
            return redirect("operations:suggestion_detail", pk=suggestion.pk)
    return render(
        request,
        "enterprises/register_form.html",
        {"form": form, "title": "提出工作建议", "cancel_url": "operations:suggestion_list"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get_for_user(request.user, pk)
    answers = may_answer(request.user, suggestion)
    form = f.SuggestionAnswerForm(
        request.POST or None, initial={"reply": suggestion.reply} if suggestion.reply else None
    )
    if request.method == "POST":
        if not answers:
            raise PermissionDenied("只有该服务站的上级单位可以答复工作建议。")
        if form.is_valid():
            try:
                suggestion_answer(
                    actor=request.user, suggestion=suggestion, reply=form.cleaned_data["reply"]
                )
            except ValidationError as exc:
                form.add_error("reply", exc)
            else:
                messages.success(request, "答复已保存，提出人会收到通知。")
                return redirect("operations:suggestion_detail", pk=suggestion.pk)
    else:
        suggestion_mark_read(actor=request.user, suggestion=suggestion)
    return render(
        request,
        "operations/suggestion_detail.html",
        {
            "suggestion": suggestion,
            "needs": suggestion.needs.select_related("sheet"),
            "form": form if answers else None,
        },
    )
