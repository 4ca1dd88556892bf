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


# Outside probe 2, H1/H2: a sorted list's keyset cursor near the ends of the datetime range
# overflowed in SQLite's adapter (made aware, taken to UTC), and NUL in a text cursor was refused
# by PostgreSQL mid-query: 500s. Such a cursor is malformed: the list starts from the top.
SORTED_CURSORS = [
    ("records:archive", "archived", "0001-01-01_1"),
    ("records:archive", "-archived", "9999-12-31T23:59:59-14:00_1"),
    ("records:archive", "archived", "0001-01-01T00:00:00+14:00_1"),
    ("records:archive", "date", "0001-01-01_1"),
    ("supervision:order_list", "-issued", "9999-12-31T23:59:59-14:00_1"),
    ("supervision:order_list", "issued", "0001-01-01_1"),
    ("supervision:callback_list", "created", "0001-01-01_1"),
    ("supervision:callback_list", "-created", "9999-12-31T23:59:59-14:00_1"),
    ("enterprises:list", "name", "\x00_1"),
    ("enterprises:list", "-code", "a\x00b_1"),
    ("enterprises:list", "code", "\x1f_1"),
    ("stations:list", "name", "\x00_1"),
    ("stations:list", "-name", "a\x00_1"),
]


@pytest.mark.parametrize(("name", "sort", "cursor"), SORTED_CURSORS)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_hostile_sort_cursor_starts_the_list_from_the_top(
    client_for, admin_user, name, sort, cursor, direction
):
    response = client_for(admin_user).get(reverse(name), {"sort": sort, direction: cursor})
    assert response.status_code == 200, (name, sort, cursor)


def test_a_cursor_that_cannot_be_compared_is_malformed_and_a_real_one_is_read():
    import datetime

    from hqzt.core.pagination import sort_pair

    ascending, _ = sort_pair("t", "时间", "created_at", parse=datetime.datetime.fromisoformat)
    assert ascending.read_cursor("0001-01-01_1") is None
    assert ascending.read_cursor("9999-12-31T23:59:59-14:00_1") is None
    value, pk = ascending.read_cursor("2026-12-01T08:00:00_7")
    assert pk == 7 and value == datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    by_name, _ = sort_pair("name", "名称", "name", parse=str)
    assert by_name.read_cursor("晋城\x00_3") is None
    assert by_name.read_cursor("晋城_3") == ("晋城", 3)


# Outside probe 2, H3: the public policy search (web and API, no login) passed `q` straight to the
# search, and PostgreSQL refused NUL mid-query: 500s.
@pytest.mark.parametrize("term", ["\x00", "a\x00b", "\x1f政策"])
def test_the_public_policy_search_refuses_control_characters_in_chinese(client, term):
    from hqzt.policies.tests.factories import PolicyFactory

    PolicyFactory(title="现行的政策")
    page = client.get(reverse("portal:policies"), {"q": term})
    assert page.status_code == 200
    assert "搜索词含有不可见的控制字符" in page.text and "现行的政策" in page.text
    api = client.get(reverse("api:portal-policies"), {"q": term})
    assert api.status_code == 400
    assert api.json()["q"] == ["搜索词含有不可见的控制字符，请删除后再搜索"]


def test_a_search_for_nul_finds_nothing_on_every_database(chief_a, enterprise_a):
    from hqzt.core.search import text_search
    from hqzt.enterprises.models import Enterprise

    found = text_search(Enterprise.objects.all(), "a\x00", "name")
    assert list(found.rows) == [] and found.counted.count() == 0
