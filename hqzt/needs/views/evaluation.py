"""The enterprise's one-time evaluation link (Appendix D), outside any sign-in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hqzt.core.phones import phone_mask
from hqzt.needs import action_forms
from hqzt.needs.enterprise_sms import number_of
from hqzt.needs.models import EvaluationLevel
from hqzt.needs.services.evaluation import invitation_for_token, need_evaluate
from hqzt.needs.workflow import TransitionRefused


@require_http_methods(["GET", "POST"])
def evaluate_public(request: HttpRequest, token: str) -> HttpResponse:
    """The enterprise's one-time evaluation page (Appendix D). Invalid, used and expired links
    all get the same answer."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "needs/evaluate_invalid.html", status=404)
    need = invitation.need
    form = action_forms.PublicEvaluateForm(request.POST or None)
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
