"""The enterprise picker of the registration form (issue 15 item 4): staff type 1–2 characters
of the name or the start of the credit code and pick among the station's enterprises; the
enterprise's saved contacts fill the contact fields; a new enterprise is registered in a dialog
without leaving the form.

Why a search and not a <select>: a big station serves thousands of enterprises; listing them
all made the page 1.4 MB and 1.6 s (issue 18), and nobody scrolls such a list.
"""

import json
import re
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.core.phones import phone_display
from hqzt.core.search import text_filter
from hqzt.core.text import as_id, name_clean
from hqzt.enterprises.credit_code import credit_code_normalize
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.selectors import (
    REGISTERED_ELSEWHERE,
    enterprise_may_see_full_phone,
    enterprise_registered_elsewhere,
    enterprises_visible_to,
)
from hqzt.stations.models import Station

PICK_LIMIT = 20
# What a credit code's beginning looks like: ASCII letters and digits with at least one digit
# (a name is Chinese; "91" or "9114050" is a code being typed).
_CODE_START = re.compile(r"^(?=.*\d)[0-9A-Z]{2,18}$")


def enterprise_matches(user: User, station: Station, term: str) -> list[Enterprise]:
    """The station's enterprises `user` may see whose name contains `term` or whose credit
    code starts with it, by name, at most PICK_LIMIT."""
    enterprises = enterprises_visible_to(user).filter(stations=station)
    code = credit_code_normalize(term)
    if _CODE_START.match(code):
        enterprises = enterprises.filter(credit_code__startswith=code)
    else:
        enterprises = text_filter(enterprises, term, "name")
    return list(enterprises.prefetch_related("contacts").order_by("name", "pk")[:PICK_LIMIT])


def pick_refusal(station: Station, term: str) -> str:
    """What an empty result says when `term` is the exact name or the whole credit code of an
    enterprise registered but not served by `station` (ADR 0006), else "" — only for a full
    name or code, so the picker does not tell which partial names exist elsewhere."""
    code = credit_code_normalize(term)
    whole_code = code if len(code) == 18 and _CODE_START.match(code) else ""
    elsewhere = enterprise_registered_elsewhere(
        Station.objects.filter(pk=station.pk),
        name="" if whole_code else name_clean(term),
        credit_code=whole_code,
    )
    return REGISTERED_ELSEWHERE if elsewhere else ""


def contacts_json(user: User, enterprise: Enterprise) -> str:
    """The enterprise's saved contacts for filling the form; the number only for those who may
    see it in full (station staff), else the contact's name alone."""
    full = enterprise_may_see_full_phone(user)
    return json.dumps(
        [
            {"name": c.name, "phone": phone_display(c.phone) if full else ""}
            for c in enterprise.contacts.all()
        ],
        ensure_ascii=False,
    )


class EnterprisePicker(forms.Widget):
    """A search box, the chosen enterprise's name and a hidden input with its id. Renders one
    query at most (the chosen enterprise, looked up within the field's own queryset so a
    tampered id never shows the name of an enterprise the user may not see)."""

    template_name = "enterprises/picker_widget.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        chosen = None
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        pk = as_id(str(value or ""))
        if queryset is not None and pk is not None:
            chosen = queryset.filter(pk=pk).first()
        context["widget"].update(
            chosen=chosen,
            pick_url=reverse("enterprises:pick"),
            create_url=reverse("enterprises:create"),
        )
        return context

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> str:
        # The project's template directories, not the form renderer's own (Django's default
        # renderer looks only in django/forms and the apps).
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def value_from_datadict(self, data, files, name: str) -> Any:
        return data.get(name)
