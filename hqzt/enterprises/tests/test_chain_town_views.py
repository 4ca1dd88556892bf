import pytest
from django.urls import reverse

from hqzt.enterprises.models import Chain, Town
from hqzt.enterprises.tests.factories import ChainFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_supervisor_creates_a_chain_then_names_its_leader(client_for, supervisor):
    client = client_for(supervisor)
    response = client.post(
        reverse("enterprises:chain_create"), {"name": "光机电产业链", "is_active": "on"}
    )
    chain = Chain.objects.get(name="光机电产业链")
    assert response.status_code == 302
    leader, backbone = EnterpriseFactory(), EnterpriseFactory()
    leader.chains.add(chain)
    backbone.chains.add(chain)
    response = client.post(
        reverse("enterprises:chain_edit", args=[chain.pk]),
        {
            "name": "光机电产业链",
            "chain_leader": leader.pk,
            "backbone_enterprises": [backbone.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    chain.refresh_from_db()
    assert chain.chain_leader == leader
    assert list(chain.backbone_enterprises.all()) == [backbone]


def test_chain_leader_must_belong_to_the_chain(client_for, supervisor):
    chain = ChainFactory()
    outsider = EnterpriseFactory()
    response = client_for(supervisor).post(
        reverse("enterprises:chain_edit", args=[chain.pk]),
        {"name": chain.name, "chain_leader": outsider.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text
    chain.refresh_from_db()
    assert chain.chain_leader is None


def test_leader_is_not_also_a_backbone(client_for, supervisor):
    chain = ChainFactory()
    firm = EnterpriseFactory()
    firm.chains.add(chain)
    response = client_for(supervisor).post(
        reverse("enterprises:chain_edit", args=[chain.pk]),
        {"name": chain.name, "chain_leader": firm.pk, "backbone_enterprises": [firm.pk]},
    )
    assert "链主企业无需再列为骨干企业" in response.text
    chain.refresh_from_db()
    assert chain.chain_leader is None


def test_duplicate_names_are_refused(client_for, admin_user):
    ChainFactory(name="煤层气产业链")
    TownFactory(name="巴公装备制造专业镇")
    client = client_for(admin_user)
    response = client.post(reverse("enterprises:chain_create"), {"name": "煤层气产业链"})
    assert "已有同名产业链" in response.text
    response = client.post(
        reverse("enterprises:town_create"),
        {"name": "巴公装备制造专业镇", "county": "泽州县", "leading_industry": "装备制造"},
    )
    assert "已有同名专业镇" in response.text
    assert Chain.objects.count() == 1 and Town.objects.count() == 1


def test_town_requires_county_and_industry(client_for, admin_user):
    response = client_for(admin_user).post(reverse("enterprises:town_create"), {"name": "某镇"})
    assert response.status_code == 200
    assert 'data-field="county"' in response.text
    assert 'data-field="leading_industry"' in response.text
    assert not Town.objects.exists()


@pytest.mark.parametrize("persona", ["chief_a", "staff_a", "handler"])
def test_only_admins_and_supervisors_keep_chains_and_towns(client_for, request, persona):
    chain, town = ChainFactory(), TownFactory()
    client = client_for(request.getfixturevalue(persona))
    for url in [
        reverse("enterprises:chain_create"),
        reverse("enterprises:chain_edit", args=[chain.pk]),
        reverse("enterprises:town_create"),
        reverse("enterprises:town_edit", args=[town.pk]),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get(reverse("enterprises:chain_detail", args=[chain.pk])).status_code == 200
    chain.refresh_from_db()
    assert chain.name != "改名"


def test_chain_page_lists_only_visible_members(client_for, staff_a, enterprise_a, enterprise_b):
    chain = ChainFactory()
    enterprise_a.chains.add(chain)
    enterprise_b.chains.add(chain)
    text = client_for(staff_a).get(reverse("enterprises:chain_detail", args=[chain.pk])).text
    assert enterprise_a.name in text and enterprise_b.name not in text
    text = client_for(staff_a).get(reverse("enterprises:chain_list")).text
    assert chain.name in text


def test_town_page_lists_only_visible_members(client_for, staff_b, enterprise_a, enterprise_b):
    town = TownFactory()
    enterprise_a.town = enterprise_b.town = town
    enterprise_a.save()
    enterprise_b.save()
    text = client_for(staff_b).get(reverse("enterprises:town_detail", args=[town.pk])).text
    assert enterprise_b.name in text and enterprise_a.name not in text
