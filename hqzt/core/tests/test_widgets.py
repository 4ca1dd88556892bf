"""Inputs that fit what they hold: phone keypads on phones, checkboxes drawn as checkboxes."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _input(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[html.rindex("<input", 0, start) : html.index(">", start)]


def test_phone_fields_bring_up_the_number_keypad(client, client_for, staff_a, station_a):
    submit = client.get(reverse("portal:submit", args=[station_a.pk])).text
    assert 'inputmode="tel"' in _input(submit, "contact_phone")
    track = client.get(reverse("portal:track")).text
    assert 'inputmode="numeric"' in _input(track, "phone_last4")
    register = client_for(staff_a).get(reverse("needs:register")).text
    field = _input(register, "contact_phone")
    assert 'type="tel"' in field and 'inputmode="tel"' in field


def test_a_checkbox_filter_is_drawn_as_a_checkbox(client_for, staff_a):
    ledger = client_for(staff_a).get(reverse("needs:ledger")).text
    overdue = _input(ledger, "overdue")
    assert 'type="checkbox"' in overdue and "form-check-input" in overdue
    assert "form-control" not in overdue


def test_date_fields_work_without_script_and_carry_the_calendar_hook(client_for, staff_a):
    """Without JavaScript a date field is the browser's own (yyyy-mm-dd whatever the locale); the
    page loads the vendored Chinese calendar, which takes every field marked data-datepicker."""
    ledger = client_for(staff_a).get(reverse("needs:ledger"), {"date_from": "2026-03-01"}).text
    field = _input(ledger, "date_from")
    assert 'type="date"' in field and "data-datepicker" in field
    assert 'value="2026-03-01"' in field
    for asset in (
        "vendor/flatpickr/flatpickr.min.js",
        "vendor/flatpickr/zh.js",
        "js/datepicker.js",
    ):
        assert asset in ledger
    assert "//cdn" not in ledger and "https://" not in ledger.split("<body", 1)[0]
