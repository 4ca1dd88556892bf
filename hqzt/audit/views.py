"""The response to 显示完整号码, shared by every page that masks a phone number."""

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hqzt.accounts.phone_access import PhoneAccess
from hqzt.audit.services import phone_reveal


def phone_reveal_response(
    request: HttpRequest, *, obj: models.Model, field: str, back_url: str, access: PhoneAccess
) -> HttpResponse:
    """The full number for HTMX to swap in place of the masked one, or (without JavaScript) a
    small page with a way back. The caller has checked that the user may see `obj` (else 404)
    and passes what the one rule says of the number (`access`): a user it does not allow gets
    403 with the reason in Chinese (PhoneRevealRefused), the attempt audited."""
    phone = phone_reveal(actor=request.user, obj=obj, field=field, access=access)
    template = "includes/phone_revealed.html"
    if not request.headers.get("HX-Request"):
        template = "core/phone_revealed.html"
    return render(request, template, {"phone": phone, "back_url": back_url})
