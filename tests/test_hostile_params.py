"""Outside probe P1: a forged API cursor (`p=abc`, `1e5`, NUL) and a 5,000-digit `station` on the
enterprise picker answered 500. Every list and API endpoint now answers hostile query values with
a page (the value ignored) or a client error, never a 5xx."""

import base64
from urllib.parse import urlencode

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

HOSTILE = ["abc", "1e5", "\x00", "9" * 5000, "²", "-1", "😀" * 50]
PARAMS = ("station", "page", "after", "before", "start", "per_page", "ids", "year", "status", "q")
LISTS = [
    "needs:ledger",
    "enterprises:list",
    "enterprises:chain_list",
    "enterprises:town_list",
    "enterprises:pick",
    "enterprises:create",
    "stations:list",
    "policies:list",
    "records:practice_list",
    "documents:export_list",
    "notifications:inbox",
    "operations:plan_list",
    "operations:report_list",
    "operations:meeting_list",
    "operations:training_list",
    "operations:visit_list",
    "operations:suggestion_list",
    "supervision:order_list",
    "supervision:callback_list",
    "supervision:feedback_list",
    "supervision:plan_list",
    "dashboard:stats",
    "api:needs",
]


def _cursor(position: str) -> str:
    return base64.b64encode(urlencode({"p": position}).encode()).decode()


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_lists_answer_hostile_query_values_without_a_server_error(
    client_for, chief_a, supervisor, value
):
    for user in (chief_a, supervisor):
        client = client_for(user)
        for name in LISTS if user == chief_a else [n for n in LISTS if "supervision" in n]:
            for param in PARAMS:
                response = client.get(
                    reverse(name), {param: value, "q": "x"} if param != "q" else {param: value}
                )
                assert response.status_code < 500, (name, param)
        response = client.get(
            reverse("enterprises:create"), {"station": value}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200


@pytest.mark.parametrize("position", ["abc", "1e5", "\x00", "1;DROP", "9" * 5000, "²", "-1"])
def test_a_forged_api_cursor_position_is_refused(client_for, chief_a, position):
    response = client_for(chief_a).get(reverse("api:needs"), {"cursor": _cursor(position)})
    assert response.status_code == 404
    assert response.json()["detail"] == "无效游标"


def test_a_real_api_cursor_still_pages(client_for, chief_a):
    client = client_for(chief_a)
    assert client.get(reverse("api:needs"), {"cursor": _cursor("12")}).status_code == 200


def test_the_picker_takes_a_real_station_and_ignores_a_huge_one(
    client_for, staff_a, station_a, enterprise_a
):
    client = client_for(staff_a)
    found = client.get(
        reverse("enterprises:pick"), {"station": station_a.pk, "q": enterprise_a.name[:4]}
    )
    assert enterprise_a.name in found.text
    huge = client.get(
        reverse("enterprises:pick"), {"station": "9" * 5000, "q": enterprise_a.name[:4]}
    )
    assert huge.status_code == 200 and enterprise_a.name not in huge.text
