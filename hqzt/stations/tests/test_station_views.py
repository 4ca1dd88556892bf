import pytest
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.stations.models import DomainKind, SiteKind, Station

pytestmark = pytest.mark.django_db


def _valid_post(unit, **overrides):
    data = {
        "name": "新设服务站",
        "domain_kind": DomainKind.objects.get(code="key_enterprise").pk,
        "domain_name": "煤化工行业重点企业",
        "site_kind": SiteKind.objects.get(code="leading_enterprise").pk,
        "host_organization": "某煤化工集团",
        "address": "山西省晋城市城区凤台街100号",
        "route_guidance": "",
        "service_content": "质量技术服务",
        "contact_phones": "0356-2221234、138 1234 1234",
        "supervision_phone": "0356-2225678",
        "superior_unit": unit.pk,
        "established_on": "2025-03-01",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- visibility -------------------------------------------------------------------------------


def test_station_staff_see_only_their_station(client_for, staff_a, station_a, station_b):
    response = client_for(staff_a).get(reverse("stations:list"))
    assert station_a.name in response.text
    assert station_b.name not in response.text


@pytest.mark.parametrize("view", ["stations:detail", "stations:edit"])
def test_other_station_staff_get_404(client_for, staff_b, station_a, view):
    response = client_for(staff_b).get(reverse(view, args=[station_a.pk]))
    assert response.status_code == 404


def test_supervisor_sees_the_subtree_of_their_unit(
    client_for, county_supervisor, supervisor, station_a, station_b
):
    text = client_for(county_supervisor).get(reverse("stations:list")).text
    assert station_b.name in text and station_a.name not in text
    assert (
        client_for(county_supervisor)
        .get(reverse("stations:detail", args=[station_a.pk]))
        .status_code
        == 404
    )
    text = client_for(supervisor).get(reverse("stations:list")).text
    assert station_a.name in text and station_b.name in text


def test_handler_sees_stations_under_their_sections_unit(client_for, handler, station_a, station_b):
    text = client_for(handler).get(reverse("stations:list")).text
    assert station_a.name in text and station_b.name in text


def test_list_filters_and_search(client_for, supervisor, station_a, station_b, county):
    client = client_for(supervisor)
    text = client.get(reverse("stations:list"), {"q": "甲"}).text
    assert station_a.name in text and station_b.name not in text
    text = client.get(reverse("stations:list"), {"superior_unit": county.pk}).text
    assert station_b.name in text and station_a.name not in text
    # A malformed filter is ignored rather than failing.
    assert client.get(reverse("stations:list"), {"superior_unit": "x"}).status_code == 200


def test_detail_shows_register_fields_and_staff(client_for, chief_a, staff_a, station_a):
    text = client_for(staff_a).get(reverse("stations:detail", args=[station_a.pk])).text
    assert "0356-2221234" in text  # grouped for reading
    assert chief_a.full_name in text and "站长" in text


# --- create -----------------------------------------------------------------------------------


def test_admin_creates_a_station_and_the_change_is_audited(client_for, admin_user, city):
    response = client_for(admin_user).post(reverse("stations:create"), _valid_post(city))
    station = Station.objects.get(name="新设服务站")
    assert response.status_code == 302
    assert station.contact_phones == "03562221234、13812341234"
    event = AuditEvent.objects.get(object_type="stations.station", object_id=str(station.pk))
    assert event.action == "create" and event.actor == admin_user
    assert {"label": "站点名称", "field": "name", "before": "", "after": "新设服务站"} in (
        event.changes["fields"]
    )


@pytest.mark.parametrize("persona", ["chief_a", "staff_a", "handler"])
def test_station_people_and_handlers_cannot_create(client_for, request, persona, city):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(reverse("stations:create")).status_code == 403
    assert client.post(reverse("stations:create"), _valid_post(city)).status_code == 403
    assert not Station.objects.filter(name="新设服务站").exists()


def test_county_supervisor_cannot_place_a_station_outside_their_county(
    client_for, county_supervisor, county, other_county
):
    client = client_for(county_supervisor)
    response = client.post(reverse("stations:create"), _valid_post(other_county))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text
    assert not Station.objects.filter(name="新设服务站").exists()
    assert client.post(reverse("stations:create"), _valid_post(county)).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "必填项"),
        ({"name": "甲服务站"}, "name", "已有同名服务站"),
        ({"contact_phones": "12345678"}, "contact_phones", "不是有效的电话号码"),
        ({"supervision_phone": "0356"}, "supervision_phone", "不是有效的电话号码"),
        ({"domain_name": ""}, "domain_name", "请填写所服务的行业或企业"),
        ({"established_on": "2025-02-30"}, "established_on", "输入一个有效的日期"),
        ({"address": "x" * 201}, "address", "不超过 200 字符"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(
    client_for, admin_user, city, station_a, overrides, field, message
):
    before = Station.objects.count()
    response = client_for(admin_user).post(
        reverse("stations:create"), _valid_post(city, **overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    assert f'data-field="{field}"' in response.text
    assert Station.objects.count() == before
    assert not AuditEvent.objects.filter(object_type="stations.station").exists()


# DB1405 §5.1
def test_chain_domain_requires_a_chain(client_for, admin_user, city):
    chain_kind = DomainKind.objects.get(code="chain").pk
    response = client_for(admin_user).post(
        reverse("stations:create"), _valid_post(city, domain_kind=chain_kind)
    )
    assert "请选择所服务的产业链" in response.text
    assert not Station.objects.filter(name="新设服务站").exists()


# --- edit -------------------------------------------------------------------------------------


def test_chief_edits_public_information_only(client_for, chief_a, station_a):
    client = client_for(chief_a)
    response = client.post(
        reverse("stations:edit", args=[station_a.pk]),
        {
            "address": "山西省晋城市城区新地址8号",
            "route_guidance": "3路公交",
            "service_content": "新的服务内容",
            "contact_phones": "0356-2220000",
            "name": "被改的名字",
            "superior_unit": "",
        },
    )
    assert response.status_code == 302
    station_a.refresh_from_db()
    assert station_a.address == "山西省晋城市城区新地址8号"
    assert station_a.name == "甲服务站"
    event = AuditEvent.objects.get(object_type="stations.station", action="update")
    changed = {c["field"]: (c["before"], c["after"]) for c in event.changes["fields"]}
    assert changed["address"] == ("山西省晋城市城区凤台街1号", "山西省晋城市城区新地址8号")
    assert "name" not in changed


def test_resident_staff_cannot_edit(client_for, staff_a, station_a):
    client = client_for(staff_a)
    assert client.get(reverse("stations:edit", args=[station_a.pk])).status_code == 403
    response = client.post(reverse("stations:edit", args=[station_a.pk]), {"address": "改"})
    assert response.status_code == 403
    station_a.refresh_from_db()
    assert station_a.address == "山西省晋城市城区凤台街1号"


def test_edit_history_is_shown_on_the_detail_page(client_for, admin_user, station_a):
    client = client_for(admin_user)
    data = _valid_post(station_a.superior_unit, name="甲服务站（更名）")
    response = client.post(reverse("stations:edit", args=[station_a.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("stations:detail", args=[station_a.pk])
    station_a.refresh_from_db()
    assert station_a.name == "甲服务站（更名）"
    text = client.get(reverse("stations:detail", args=[station_a.pk])).text
    assert "变更记录" in text and "甲服务站（更名）" in text and "修改" in text


def test_station_pages_reject_unexpected_methods(client_for, admin_user, station_a):
    client = client_for(admin_user)
    assert client.delete(reverse("stations:edit", args=[station_a.pk])).status_code == 405
    assert client.put(reverse("stations:create")).status_code == 405


def test_chief_publishes_the_instant_messaging_contact(client_for, chief_a, station_a):
    """§6.2: the 即时通讯 contact is public information the station keeps; its link must be
    https (it is printed as a QR code that enterprises scan)."""
    data = {
        "address": station_a.address,
        "service_content": station_a.service_content,
        "contact_phones": "0356-2220000",
        "im_contact": "微信群“甲站惠企直通”",
        "im_link": "http://weixin.qq.com/g/abc",
    }
    client = client_for(chief_a)
    response = client.post(reverse("stations:edit", args=[station_a.pk]), data)
    assert response.status_code == 200 and "即时通讯加入链接须以 https:// 开头" in response.text
    data["im_link"] = "https://weixin.qq.com/g/abc"
    response = client.post(reverse("stations:edit", args=[station_a.pk]), data)
    assert response.status_code == 302
    station_a.refresh_from_db()
    assert station_a.im_contact == "微信群“甲站惠企直通”"


# DB1405 §5.2.1
def test_site_kinds_are_the_standards_places():
    """§5.2.1 names where a station may be set up; each is a site kind a station can choose."""
    places = {"产业园区", "商贸集聚区", "便民服务中心", "产品展销中心", "市场监管所"}
    places |= {"行业协会（商会）", "龙头企业", "检测机构"}
    assert places <= set(SiteKind.objects.values_list("name", flat=True))


def test_overview_counts_staff_and_enterprises_without_multiplying_them(
    station_a, station_b, staff_a, chief_a
):
    """Counted per station by subquery, not by joining members × enterprises: 2 staff and 3
    enterprises are 2 and 3, not 6; an inactive member and another station's rows do not count,
    a station without any counts 0."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hqzt.accounts.tests.factories import UserFactory
    from hqzt.enterprises.tests.factories import EnterpriseFactory
    from hqzt.stations.models import StationMember
    from hqzt.stations.selectors import station_list_annotated

    station_a.enterprises.add(*[EnterpriseFactory() for _ in range(3)])
    station_b.enterprises.add(EnterpriseFactory())
    StationMember.objects.filter(user=staff_a).update(is_active=False)
    StationMember.objects.create(station=station_a, user=UserFactory(), role="resident_staff")
    with CaptureQueriesContext(connection) as captured:
        counts = {
            s.pk: (s.staff_count, s.enterprise_count)
            for s in station_list_annotated(
                Station.objects.filter(pk__in=[station_a.pk, station_b.pk])
            )
        }
    assert counts == {station_a.pk: (2, 3), station_b.pk: (0, 1)}
    assert len(captured) == 1 and "DISTINCT" not in captured[0]["sql"].upper()
