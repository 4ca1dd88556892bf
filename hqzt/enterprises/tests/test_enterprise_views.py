import pytest
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.enterprises.models import Enterprise, EnterpriseContact
from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

VALID_CODE = "91350100M000100Y43"


def _post(station, **overrides):
    data = {
        "name": "晋城市新登记机械有限公司",
        "credit_code": VALID_CODE,
        "legal_representative": "张三",
        "address": "山西省晋城市城区",
        "industry": "机械制造",
        "size": "small",
        "main_products": "齿轮",
        "management_situation": "",
        "stations": [station.pk],
        "c-TOTAL_FORMS": "1",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "10",
        "c-0-name": "李四",
        "c-0-position": "经理",
        "c-0-phone": "138 1234 5678",
        "c-0-is_primary": "on",
    }
    data.update(overrides)
    return data


# --- visibility -------------------------------------------------------------------------------


def test_staff_see_only_their_stations_enterprises(client_for, staff_a, enterprise_a, enterprise_b):
    text = client_for(staff_a).get(reverse("enterprises:list")).text
    assert enterprise_a.name in text and enterprise_b.name not in text


@pytest.mark.parametrize("view", ["enterprises:detail", "enterprises:edit"])
def test_other_station_gets_404(client_for, staff_b, enterprise_a, view):
    assert client_for(staff_b).get(reverse(view, args=[enterprise_a.pk])).status_code == 404


def test_filtering_by_another_stations_id_reveals_nothing(
    client_for, staff_b, station_a, enterprise_a, enterprise_b
):
    response = client_for(staff_b).get(reverse("enterprises:list"), {"station": station_a.pk})
    assert response.status_code == 200
    assert enterprise_a.name not in response.text


def test_search_by_name_fragment_and_by_credit_code(client_for, staff_a, station_a):
    one = EnterpriseFactory(name="泽州县巴公铸造有限公司")
    two = EnterpriseFactory(name="高平市丝麻纺织有限公司")
    station_a.enterprises.add(one, two)
    client = client_for(staff_a)
    text = client.get(reverse("enterprises:list"), {"q": "巴公"}).text
    assert one.name in text and two.name not in text
    text = client.get(reverse("enterprises:list"), {"q": two.credit_code.lower()}).text
    assert two.name in text and one.name not in text


def test_phones_are_full_for_station_staff_and_masked_for_supervisors(
    client_for, staff_a, supervisor, enterprise_a
):
    EnterpriseContact.objects.create(enterprise=enterprise_a, name="王五", phone="13812345678")
    url = reverse("enterprises:detail", args=[enterprise_a.pk])
    assert "13812345678" in client_for(staff_a).get(url).text
    text = client_for(supervisor).get(url).text
    assert "138****5678" in text and "13812345678" not in text


# --- create and edit --------------------------------------------------------------------------


def test_staff_register_an_enterprise_with_contacts(client_for, staff_a, station_a):
    response = client_for(staff_a).post(reverse("enterprises:create"), _post(station_a))
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=VALID_CODE)
    assert list(enterprise.stations.all()) == [station_a]
    contact = enterprise.contacts.get()
    assert contact.phone == "13812345678" and contact.is_primary
    assert AuditEvent.objects.filter(
        object_type="enterprises.enterprise", object_id=str(enterprise.pk), action="create"
    ).exists()


def test_credit_code_is_normalised_on_save(client_for, staff_a, station_a):
    response = client_for(staff_a).post(
        reverse("enterprises:create"), _post(station_a, credit_code=" 91350100m000100y43 ")
    )
    assert response.status_code == 302
    assert Enterprise.objects.filter(credit_code=VALID_CODE).exists()


def test_blank_credit_code_is_stored_as_null_and_does_not_collide(client_for, staff_a, station_a):
    client = client_for(staff_a)
    first = client.post(reverse("enterprises:create"), _post(station_a, credit_code=""))
    assert first.status_code == 302
    second = client.post(
        reverse("enterprises:create"), _post(station_a, credit_code="", name="另一家公司")
    )
    assert second.status_code == 302 and second.url != first.url  # a second enterprise
    assert Enterprise.objects.filter(credit_code__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credit_code": "91350100M000100Y44"}, "校验位错误"),
        ({"credit_code": "91350100M000100Y4"}, "应为18位"),
        ({"name": ""}, "必填项"),
        ({"name": "甲"}, "企业名称至少2个字"),
        ({"c-0-phone": "1381234"}, "不是有效的电话号码"),
        ({"stations": []}, "请至少选择一个服务站"),
        ({"size": "huge"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(
    client_for, staff_a, station_a, overrides, message
):
    response = client_for(staff_a).post(
        reverse("enterprises:create"), _post(station_a, **overrides)
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Enterprise.objects.exists()
    assert not EnterpriseContact.objects.exists()
    assert not AuditEvent.objects.exclude(action__in=["login", "logout"]).exists()


def test_duplicate_credit_code_is_refused(client_for, staff_a, station_a, enterprise_b):
    response = client_for(staff_a).post(
        reverse("enterprises:create"), _post(station_a, credit_code=enterprise_b.credit_code)
    )
    # Served by station B only: said without its name or station (ADR 0006).
    assert response.status_code == 200
    assert "该企业已由其他服务站登记，如需由本站服务，请联系上级单位添加服务关系" in response.text
    assert enterprise_b.name not in response.text
    assert Enterprise.objects.count() == 1


def test_staff_cannot_link_an_enterprise_to_another_station(
    client_for, staff_a, station_a, station_b
):
    response = client_for(staff_a).post(
        reverse("enterprises:create"), _post(station_a, stations=[station_b.pk])
    )
    assert response.status_code == 200
    assert not Enterprise.objects.exists()


def test_editing_keeps_links_the_editor_cannot_see(
    client_for, staff_a, station_a, station_b, enterprise_a
):
    station_b.enterprises.add(enterprise_a)
    data = _post(station_a, name="甲站服务的企业（更名）", credit_code=enterprise_a.credit_code)
    data.update({"c-TOTAL_FORMS": "0"})
    response = client_for(staff_a).post(reverse("enterprises:edit", args=[enterprise_a.pk]), data)
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.name == "甲站服务的企业（更名）"
    assert set(enterprise_a.stations.all()) == {station_a, station_b}


def test_contacts_can_be_removed(client_for, staff_a, station_a, enterprise_a):
    contact = EnterpriseContact.objects.create(
        enterprise=enterprise_a, name="旧", phone="13800000000"
    )
    data = _post(station_a, credit_code=enterprise_a.credit_code)
    data.update(
        {
            "c-TOTAL_FORMS": "1",
            "c-INITIAL_FORMS": "1",
            "c-0-id": contact.pk,
            "c-0-name": "旧",
            "c-0-phone": "13800000000",
            "c-0-DELETE": "on",
        }
    )
    response = client_for(staff_a).post(reverse("enterprises:edit", args=[enterprise_a.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("enterprises:detail", args=[enterprise_a.pk])
    assert not EnterpriseContact.objects.filter(pk=contact.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="enterprises.enterprisecontact", action="delete"
    ).exists()


@pytest.mark.parametrize("view", ["enterprises:create", "enterprises:edit"])
def test_handlers_only_read(client_for, handler, enterprise_a, view):
    args = [enterprise_a.pk] if view.endswith("edit") else []
    client = client_for(handler)
    assert client.get(reverse("enterprises:detail", args=[enterprise_a.pk])).status_code == 200
    assert client.get(reverse(view, args=args)).status_code == 403
    assert client.post(reverse(view, args=args), {"name": "x"}).status_code == 403


def test_admin_may_register_without_a_station(client_for, admin_user, station_a):
    response = client_for(admin_user).post(
        reverse("enterprises:create"), _post(station_a, stations=[])
    )
    assert response.status_code == 302
    assert Enterprise.objects.get().stations.count() == 0


def test_the_same_name_twice_at_one_station_is_refused(client_for, staff_a, station_a):
    """Outside probe F3: 新建企业 twice with one name (no credit code) made two enterprises."""
    client = client_for(staff_a)
    client.post(reverse("enterprises:create"), _post(station_a, credit_code=""))
    again = client.post(
        reverse("enterprises:create"),
        _post(station_a, credit_code="", name=" 晋城市新登记机械有限公司 "),
    )
    assert again.status_code == 200
    assert "所选服务站已登记同名企业" in again.text
    assert Enterprise.objects.filter(name="晋城市新登记机械有限公司").count() == 1


def test_a_name_used_at_another_station_is_neither_refused_nor_named(
    client_for, staff_b, station_b, enterprise_a
):
    """Station A's enterprise is not station B's business (ADR 0006): B may register its own."""
    response = client_for(staff_b).post(
        reverse("enterprises:create"), _post(station_b, credit_code="", name=enterprise_a.name)
    )
    assert response.status_code == 302
    assert Enterprise.objects.filter(name=enterprise_a.name).count() == 2


def test_editing_an_enterprise_keeps_its_own_name(client_for, staff_a, station_a, enterprise_a):
    response = client_for(staff_a).post(
        reverse("enterprises:edit", args=[enterprise_a.pk]),
        _post(station_a, credit_code="", name=enterprise_a.name, address="新地址"),
    )
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.address == "新地址"
