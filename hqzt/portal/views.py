"""The public, mobile-first portal (no login): what a QR code or a mini-program web-view opens.

Every POST is rate-limited per client address and CSRF-protected; submissions are idempotent by
the form's one-time key; a progress lookup answers the same for a wrong proof and an unknown number.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hqzt.core import site
from hqzt.core.clientip import client_key
from hqzt.core.phones import phone_display, phone_mask
from hqzt.core.ratelimit import rate_limit
from hqzt.core.text import search_term_problem
from hqzt.needs.intake import KeyReused, Submission, submission_receive
from hqzt.needs.models import TrackingSheet
from hqzt.policies.selectors import policies_in_force, policy_search
from hqzt.portal import printing
from hqzt.portal.forms import FeedbackForm, StationSearchForm, SubmitForm, TrackForm
from hqzt.portal.selectors import (
    PUBLIC_STEPS,
    duty_staff,
    need_lookup,
    public_steps,
    station_public,
    stations_public,
)
from hqzt.records.models import PracticePhoto
from hqzt.records.practices import practices_published
from hqzt.records.showcase import showcases_published
from hqzt.supervision.models import Feedback
from hqzt.supervision.services import feedback_receive

RECEIPT_SESSION_KEY = "portal_receipt"
FORM_REUSED = "这份表单已经提交过。如需提交新的需求，请重新打开提交页面填写。"


def submit_url(station_pk: int) -> str:
    return site.absolute(reverse("portal:submit", args=[station_pk]))


def home(request: HttpRequest) -> HttpResponse:
    stations = stations_public()
    form = StationSearchForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            stations = stations.filter(name__icontains=data["q"].strip())
        if data["domain_kind"]:
            stations = stations.filter(domain_kind=data["domain_kind"])
        if data["town"]:
            stations = stations.filter(town=data["town"])
    return render(
        request, "portal/home.html", {"form": form, "stations": stations.order_by("name")[:100]}
    )


# DB1405 §5.2.4
def station(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's public notice board (§5.2.4)."""
    obj = station_public(pk)
    return render(
        request,
        "portal/station.html",
        {
            "station": obj,
            "duty": duty_staff(obj),
            "phones": [phone_display(n) for n in obj.contact_phones.split("、") if n],
            "supervision_phone": phone_display(obj.supervision_phone),
            "process": printing.PROCESS,
            "im_qr": printing.qr_data_uri(obj.im_link) if obj.im_link else "",
        },
    )


@rate_limit("PORTAL_SUBMIT_RATE", method="POST")
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = station_public(pk)
    form = SubmitForm(request.POST or None, request.FILES or None, initial={"key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sheet, _ = submission_receive(
                Submission(
                    station=obj,
                    enterprise_name=data["enterprise_name"],
                    credit_code=data["credit_code"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    need_type=data["need_type"],
                    content=data["content"],
                    channel_code="portal",
                ),
                key=f"portal:{data['key']}",
                uploads=data["attachments"],
            )
        except ValidationError as exc:
            form.add_error("attachments", exc)
        except KeyReused:
            form.add_error(None, FORM_REUSED)
        else:
            request.session[RECEIPT_SESSION_KEY] = sheet.pk
            return redirect("portal:receipt")
    return render(request, "portal/submit.html", {"station": obj, "form": form})


def receipt(request: HttpRequest) -> HttpResponse:
    """Shown to the submitter's own browser session only (no number in the URL to guess)."""
    sheet = (
        TrackingSheet.objects.filter(pk=request.session.get(RECEIPT_SESSION_KEY))
        .select_related("station")
        .first()
    )
    if sheet is None:
        return redirect("portal:home")
    need = sheet.needs.first()
    return render(
        request,
        "portal/receipt.html",
        {"sheet": sheet, "need": need, "phone": phone_mask(need.contact_phone)},
    )


@rate_limit("PORTAL_LOOKUP_RATE", method="POST")
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    results, searched = [], False
    if request.method == "POST" and form.is_valid():
        searched = True
        needs = need_lookup(
            form.cleaned_data["tracking_number"],
            form.cleaned_data["phone_last4"],
            client=client_key(request),
        )
        results = [
            {"need": n, "steps": public_steps(n), "outcome": n.get_outcome_display()} for n in needs
        ]
    return render(
        request,
        "portal/track.html",
        {"form": form, "results": results, "searched": searched, "labels": PUBLIC_STEPS},
    )


@rate_limit("PORTAL_SUBMIT_RATE", method="POST")
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None, initial={"station": request.GET.get("station")})
    if request.method == "POST" and form.is_valid():
        feedback_receive(channel=Feedback.Channel.PORTAL, **form.cleaned_data)
        return render(request, "portal/feedback_thanks.html")
    return render(request, "portal/feedback.html", {"form": form})


def _download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def poster(request: HttpRequest, pk: int) -> HttpResponse:
    obj = station_public(pk)
    pdf = printing.poster_pdf(obj, submit_url(obj.pk), duty_staff(obj))
    return _download(pdf, "application/pdf", f"station-{obj.pk}-poster.pdf")


def sign(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    obj = station_public(pk)
    if fmt not in ("svg", "pdf"):
        raise Http404("不支持的格式")
    if fmt == "svg":
        svg = printing.sign_svg(obj, settings.HQZT_CITY, submit_url(obj.pk))
        return _download(svg, "image/svg+xml", f"station-{obj.pk}-sign.svg")
    pdf = printing.sign_pdf(obj, settings.HQZT_CITY, submit_url(obj.pk))
    return _download(pdf, "application/pdf", f"station-{obj.pk}-sign.pdf")


def policies(request: HttpRequest) -> HttpResponse:
    """The policy library for enterprises: what is in force, with its interpretation."""
    term = request.GET.get("q", "")[:50]
    notice = search_term_problem(term)
    if notice:  # refused, and the library shown whole, as the staff lists ignore a bad filter
        term = ""
    found = policy_search(term).order_by("-issued_on")[:100]
    return render(request, "portal/policies.html", {"policies": found, "q": term, "notice": notice})


def policy(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "portal/policy.html", {"policy": get_object_or_404(policies_in_force(), pk=pk)}
    )


def cases(request: HttpRequest) -> HttpResponse:
    """Published typical cases (§6.6.3): stations' good practices and single well-handled needs,
    without the enterprise's personal data."""
    practices = practices_published().prefetch_related("photos", "needs__need_type")[:50]
    return render(
        request,
        "portal/cases.html",
        {"cases": showcases_published()[:100], "practices": practices},
    )


def practice_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of a published good practice; nothing of an unpublished one."""
    photo = get_object_or_404(
        PracticePhoto.objects.filter(practice__in=practices_published()), pk=pk
    )
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
