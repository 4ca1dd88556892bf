"""Outside probe (2026-12-01): an id, cursor, page size or row number that str.isdigit()
accepts but int() or the database does not ("²", 5,000 nines, a number past 64 bits) answered
500 on the ledger, every keyset list, the batch actions, the exports and several forms. Each is
now no id: the page starts at the top, the default applies, or the request is refused in Chinese.
"""

import pytest
from django.urls import reverse

from hqzt.core.text import ID_DIGITS, as_id
from hqzt.needs.selectors import station_need_by_label

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

NOT_IDS = ["²", "9" * 5000, "99999999999999999999999", "１２", "-1", "", "1 2"]


def test_as_id_takes_plain_short_ascii_digits_only():
    assert as_id("42") == 42 and as_id("9" * ID_DIGITS) == int("9" * ID_DIGITS)
    for text in [*NOT_IDS, "9" * (ID_DIGITS + 1)]:
        assert as_id(text) is None, text


@pytest.mark.parametrize("value", NOT_IDS)
def test_the_ledger_and_lists_ignore_what_is_no_id(client_for, chief_a, supervisor, value):
    chief, watcher = client_for(chief_a), client_for(supervisor)
    for param in ("per_page", "start", "after", "before"):
        assert chief.get(reverse("needs:ledger"), {param: value}).status_code == 200, param
    for cursor in (f"_{value}", f"2026-01-01_{value}"):
        response = chief.get(reverse("needs:ledger"), {"sort": "due", "after": cursor})
        assert response.status_code == 200
    for name in ("enterprises:list", "stations:list"):
        assert chief.get(reverse(name), {"after": value}).status_code == 200, name
    for name, param in (
        ("supervision:order_create", "need"),
        ("supervision:plan_create", "feedback"),
        ("supervision:plan_create", "station"),
    ):
        assert watcher.get(reverse(name), {param: value}).status_code in (200, 404), name


@pytest.mark.parametrize("value", ["²", "9" * 5000, "99999999999999999999999"])
def test_batch_and_exports_refuse_what_is_no_id(client_for, chief_a, value):
    chief = client_for(chief_a)
    for action in ("remind", "export", "dispatch"):
        response = chief.post(reverse("needs:batch"), {"action": action, "ids": value}, follow=True)
        assert response.status_code == 200
        assert "编号无效" in response.text
    for name in ("needs:ledger", "documents:ledger_xlsx", "documents:ledger_pdf"):
        response = chief.get(reverse(name), {"ids": value})
        assert response.status_code in (200, 302), name


def test_a_need_label_with_a_row_that_is_no_row_is_no_need(drive, station_a):
    from hqzt.needs.states import Status

    need = drive(Status.ARCHIVED)
    number = need.sheet.tracking_number
    assert station_need_by_label(f"{number}-{need.row_number}", station_a) == need
    for row in ("²", "9" * 5000, "99999"):
        assert station_need_by_label(f"{number}-{row}", station_a) is None
