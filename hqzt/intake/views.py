"""The type suggestion shown under a need's text while it is typed (HTMX), on the staff
registration form and the public portal's submit form."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hqzt.core.ratelimit import rate_limit
from hqzt.intake.services import suggest
from hqzt.needs.models import NeedType

MIN_CHARS = 4  # fewer characters say nothing about the type
MAX_CHARS = 2000  # the need text's own limit


@rate_limit("INTAKE_SUGGEST_RATE", method="GET")
@require_GET
def suggest_type(request: HttpRequest) -> HttpResponse:
    """The fragment under the text: the suggested type (selectable), why, and the next two.

    Public, because the portal's anonymous submit form uses it; it reveals nothing but the
    classifier's reading of the text it is sent. The text comes in the field's own name
    (`content`, `items-0-content` …)."""
    text = next((v for k, v in request.GET.items() if k.endswith("content")), "").strip()
    if len(text) < MIN_CHARS:
        return render(request, "intake/_type_suggestion.html", {"options": []})
    suggestion = suggest(text[:MAX_CHARS])
    types = {t.name: t for t in NeedType.objects.filter(is_active=True)}
    options = [(types[r.name], r.confidence) for r in suggestion.types if r.name in types][:3]
    return render(
        request,
        "intake/_type_suggestion.html",
        {"options": options, "words": suggestion.words},
    )
