import datetime

import pytest
from django.urls import reverse

from hqzt.enterprises.tests.factories import ChainFactory, EnterpriseFactory, TownFactory
from hqzt.needs.states import Status
from hqzt.policies.models import Policy
from hqzt.policies.selectors import policies_for_enterprise, policy_search

pytestmark = pytest.mark.django_db


def _policy(title, **kwargs):
    return Policy.objects.create(
        title=title,
        issuer="晋城市人民政府",
        issued_on=datetime.date(2025, 1, 1),
        summary="摘要",
        **kwargs,
    )


def test_applicability_follows_chain_town_and_industry():
    chain, town, other_chain = ChainFactory(), TownFactory(), ChainFactory()
    firm = EnterpriseFactory(industry="机械铸造", town=town)
    firm.chains.add(chain)
    general = _policy("普惠政策")
    by_chain = _policy("链上政策")
    by_chain.chains.add(chain)
    by_town = _policy("镇上政策")
    by_town.towns.add(town)
    by_industry = _policy("铸造行业政策", industries="铸造、锻造")
    elsewhere = _policy("别的链政策")
    elsewhere.chains.add(other_chain)
    wrong_industry = _policy("纺织政策", industries="纺织")
    expired = _policy("已失效政策", valid_until=datetime.date(2020, 1, 1))
    found = set(policies_for_enterprise(firm))
    assert found == {general, by_chain, by_town, by_industry}
    assert not found & {elsewhere, wrong_industry, expired}


def test_search_by_title_fragment_and_document_number():
    _policy("关于支持专精特新企业发展的若干措施", document_number="晋市政发〔2025〕3号")
    _policy("质量提升奖励办法")
    assert [p.title for p in policy_search("专精")] == ["关于支持专精特新企业发展的若干措施"]
    assert [p.title for p in policy_search("3号")] == ["关于支持专精特新企业发展的若干措施"]


def test_a_policy_is_linked_to_a_need_from_the_need_page(client_for, drive, staff_a, staff_b):
    policy = _policy("计量器具检定费用减免")
    need = drive(Status.REGISTERED)
    response = client_for(staff_b).post(
        reverse("needs:act", args=[need.pk, "link_policy"]), {"link_policy-policy": policy.pk}
    )
    assert response.status_code == 404  # station B does not see the need
    assert not policy.needs.exists()
    response = client_for(staff_a).post(
        reverse("needs:act", args=[need.pk, "link_policy"]), {"link_policy-policy": policy.pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[need.pk])
    assert list(policy.needs.all()) == [need]
    assert need.events.filter(action="link_policy").exists()


def test_policy_pages(client_for, staff_a, handler, station_a):
    client = client_for(staff_a)
    response = client.post(
        reverse("policies:create"),
        {
            "title": "新政策",
            "issuer": "市局",
            "issued_on": "2025-02-01",
            "valid_until": "2024-01-01",
            "summary": "摘要",
        },
    )
    assert "有效期不能早于发布日期" in response.text and not Policy.objects.exists()
    response = client.post(
        reverse("policies:create"),
        {
            "title": "新政策",
            "issuer": "市局",
            "issued_on": "2025-02-01",
            "summary": "摘要",
            "station": station_a.pk,
        },
    )
    policy = Policy.objects.get()
    assert response.status_code == 302 and policy.station == station_a
    assert "新政策" in client_for(handler).get(reverse("policies:list"), {"q": "新"}).text
    assert client_for(handler).get(reverse("policies:create")).status_code == 403


def test_enterprises_read_policies_in_force_on_the_portal_and_api(client):
    current = _policy("现行政策", interpretation="一图读懂")
    _policy("过期政策", valid_until=datetime.date(2020, 1, 1))
    text = client.get(reverse("portal:policies")).text
    assert "现行政策" in text and "过期政策" not in text
    assert "一图读懂" in client.get(reverse("portal:policy", args=[current.pk])).text
    data = client.get(reverse("api:portal-policies"), {"q": "现行"}).json()
    assert [p["title"] for p in data] == ["现行政策"]
