"""The registration form's enterprise picker (issue 15 item 4): a search within the station's
enterprises, 1–2 characters or a credit code's start; the saved contacts for filling the form;
a new enterprise registered in the dialog without leaving the form."""

import json

import pytest
from django.urls import reverse

from hqzt.enterprises.models import Enterprise, EnterpriseContact
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(station_a, enterprise_a):
    """Station A's enterprises: 甲站服务的企业有限公司 and a 光学 company with two contacts."""
    optics = EnterpriseFactory(name="晋城市光学仪器有限公司", credit_code="91140500MA0K3BQX1N")
    station_a.enterprises.add(optics)
    EnterpriseContact.objects.create(
        enterprise=optics, name="李主任", phone="13903561234", is_primary=True
    )
    EnterpriseContact.objects.create(enterprise=optics, name="王会计", phone="03562021234")
    return optics


def _pick(client, station, q):
    return client.get(reverse("enterprises:pick"), {"station": station.pk, "q": q})


@pytest.mark.parametrize("q", ["光", "光学", "91140500", "9114 0500ma", "仪器有限"])
def test_one_or_two_characters_or_the_start_of_the_code_find_it(
    client_for, staff_a, station_a, served, q
):
    page = _pick(client_for(staff_a), station_a, q).text
    assert "晋城市光学仪器有限公司" in page and "甲站服务" not in page


def test_the_saved_contacts_come_with_the_match_for_staff(client_for, staff_a, station_a, served):
    page = _pick(client_for(staff_a), station_a, "光学").text
    assert page.index("李主任") < page.index("王会计")  # the primary contact first
    assert "13903561234" in page and "0356-2021234" in page


def test_another_stations_enterprises_are_never_listed(
    client_for, staff_a, staff_b, station_a, station_b, served, enterprise_b
):
    # staff_a asks for station B's list: not their station, nothing.
    assert "data-pick-enterprise" not in _pick(client_for(staff_a), station_b, "乙站").text
    assert "data-pick-enterprise" not in _pick(client_for(staff_b), station_a, "光学").text
    assert "乙站服务" in _pick(client_for(staff_b), station_b, "乙站").text


def test_nothing_matching_says_so_and_offers_a_new_enterprise(client_for, staff_a, station_a):
    page = _pick(client_for(staff_a), station_a, "火箭").text
    assert "没有与「火箭」匹配的" in page and "新建企业" in page


def test_bad_parameters_answer_an_empty_list(client_for, staff_a, station_a, served):
    client = client_for(staff_a)
    for params in ({"station": "x", "q": "光"}, {"q": "光"}, {"station": station_a.pk}):
        response = client.get(reverse("enterprises:pick"), params)
        assert response.status_code == 200 and "data-pick-enterprise" not in response.text


def test_the_picker_needs_a_login(client, station_a):
    response = client.get(reverse("enterprises:pick"), {"station": station_a.pk, "q": "光"})
    assert response.status_code == 302


def test_the_query_count_does_not_grow_with_matches(
    client_for, staff_a, station_a, django_assert_max_num_queries
):
    station_a.enterprises.add(*(EnterpriseFactory(name=f"晋城测试{i}有限公司") for i in range(20)))
    client = client_for(staff_a)
    with django_assert_max_num_queries(12):
        assert _pick(client, station_a, "测试").text.count("data-pick-enterprise") == 20


# --- the registration form ------------------------------------------------------------------


def test_the_form_renders_the_chosen_enterprise_only(client_for, staff_a, station_a, served):
    page = client_for(staff_a).get(reverse("needs:register")).text
    assert "data-enterprise-picker" in page and "晋城市光学仪器有限公司" not in page
    assert '<select name="enterprise"' not in page


def test_a_tampered_enterprise_id_shows_no_name_and_saves_nothing(
    client_for, staff_a, station_a, enterprise_b
):
    from hqzt.needs.models import Need
    from hqzt.needs.tests.test_views import _register_post

    data = _register_post(station_a, enterprise_b)
    response = client_for(staff_a).post(reverse("needs:register"), data)
    assert response.status_code == 200
    assert "请从查找结果中选择企业" in response.text and "乙站服务" not in response.text
    assert not Need.objects.exists()


# --- a new enterprise in the dialog ---------------------------------------------------------

HX = {"HTTP_HX_REQUEST": "true"}


def _new(station, **overrides):
    data = {
        "name": "晋城市新建光电有限公司",
        "credit_code": "",
        "size": "small",
        "stations": [station.pk],
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-0-name": "赵六",
        "c-0-phone": "139 0356 9999",
        "c-0-is_primary": "on",
    }
    data.update(overrides)
    return data


def test_the_dialog_opens_on_the_registration_station(client_for, staff_a, station_a):
    page = client_for(staff_a).get(reverse("enterprises:create"), {"station": station_a.pk}, **HX)
    assert "<html" not in page.text and 'hx-post="/enterprises/new/"' in page.text
    assert f'value="{station_a.pk}"' in page.text and "checked" in page.text


def test_a_new_enterprise_in_the_dialog_is_chosen_in_the_form(client_for, staff_a, station_a):
    response = client_for(staff_a).post(reverse("enterprises:create"), _new(station_a), **HX)
    assert response.status_code == 200
    created = Enterprise.objects.get(name="晋城市新建光电有限公司")
    event = json.loads(response["HX-Trigger"])["enterpriseCreated"]
    assert event == {
        "id": created.pk,
        "name": "晋城市新建光电有限公司",
        "contacts": [{"name": "赵六", "phone": "13903569999"}],
    }
    assert list(created.stations.all()) == [station_a]
    assert "已在需求登记表中选用" in response.text


def test_errors_stay_in_the_dialog_and_nothing_is_saved(client_for, staff_a, station_a):
    data = _new(station_a, credit_code="91140500MA0K3BQX1X")
    response = client_for(staff_a).post(reverse("enterprises:create"), data, **HX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert "<html" not in response.text and "校验位错误" in response.text
    assert not Enterprise.objects.filter(name="晋城市新建光电有限公司").exists()


def test_who_may_not_create_enterprises_gets_no_dialog(client_for, handler, station_a):
    response = client_for(handler).post(reverse("enterprises:create"), _new(station_a), **HX)
    assert response.status_code == 403
    assert not Enterprise.objects.filter(name="晋城市新建光电有限公司").exists()


@pytest.mark.parametrize("value", ["²", "1²"])
def test_digits_that_are_not_ascii_are_no_id(client_for, staff_a, station_a, served, value):
    # str.isdigit() accepts "²", which the database cannot read as an id (outside probe).
    client = client_for(staff_a)
    page = client.get(reverse("enterprises:pick"), {"station": value, "q": "光"})
    assert page.status_code == 200 and "data-pick-enterprise" not in page.text
    dialog = client.get(reverse("enterprises:create"), {"station": value}, **HX)
    assert dialog.status_code == 200
    from hqzt.needs.tests.test_views import _register_post

    data = {**_register_post(station_a, served), "enterprise": value}
    form = client.post(reverse("needs:register"), data)
    assert form.status_code == 200 and "请从查找结果中选择企业" in form.text


# --- an enterprise only another station serves (ADR 0006) ------------------------------------

ELSEWHERE = "该企业已由其他服务站登记，如需由本站服务，请联系上级单位添加服务关系"


def test_another_stations_enterprise_by_its_full_name_or_code_says_what_to_do(
    client_for, staff_b, station_b, enterprise_a
):
    client = client_for(staff_b)
    spaced_code = " ".join([enterprise_a.credit_code[:8], enterprise_a.credit_code[8:].lower()])
    for q in (enterprise_a.name, enterprise_a.credit_code, spaced_code):
        page = _pick(client, station_b, q).text
        assert ELSEWHERE in page and "data-pick-enterprise" not in page
        assert "甲服务站" not in page
    # Part of a name or code tells nothing about what other stations serve.
    for q in ("甲站服务", enterprise_a.credit_code[:10]):
        page = _pick(client, station_b, q).text
        assert ELSEWHERE not in page and "可点击“新建企业”登记" in page


def test_the_station_that_serves_it_finds_it_and_no_refusal(
    client_for, staff_a, station_a, enterprise_a
):
    page = _pick(client_for(staff_a), station_a, enterprise_a.credit_code).text
    assert "data-pick-enterprise" in page and ELSEWHERE not in page


def test_a_new_enterprise_with_another_stations_code_is_refused_without_its_details(
    client_for, staff_b, station_b, enterprise_a
):
    data = _new(station_b, name="乙站员工输入的名称有限公司", credit_code=enterprise_a.credit_code)
    response = client_for(staff_b).post(reverse("enterprises:create"), data, **HX)
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert ELSEWHERE in response.text
    assert enterprise_a.name not in response.text and "甲服务站" not in response.text
    assert not Enterprise.objects.filter(name="乙站员工输入的名称有限公司").exists()
    assert not station_b.enterprises.exists()


def test_a_new_enterprise_with_the_stations_own_code_is_a_plain_duplicate(
    client_for, staff_a, station_a, enterprise_a
):
    data = _new(station_a, credit_code=enterprise_a.credit_code)
    response = client_for(staff_a).post(reverse("enterprises:create"), data)
    assert "该统一社会信用代码已登记，不能重复添加" in response.text
    assert ELSEWHERE not in response.text
    assert Enterprise.objects.count() == 1


def test_editing_an_enterprise_keeps_its_own_code(client_for, staff_a, station_a, enterprise_a):
    data = _new(station_a, name=enterprise_a.name, credit_code=enterprise_a.credit_code)
    response = client_for(staff_a).post(reverse("enterprises:edit", args=[enterprise_a.pk]), data)
    assert response.status_code == 302
