"""An unverified claim — an anonymous submission on the portal or the API, a platform's push — that
names another station's enterprise never widens what a station may see or change (ADR 0006)."""

import uuid

import pytest
from django.urls import reverse

from hqzt.enterprises.models import Enterprise, EnterpriseContact
from hqzt.enterprises.services import enterprise_for_claim
from hqzt.needs.models import Need

pytestmark = pytest.mark.django_db

CODE_A = "91350100M000100Y43"


@pytest.fixture
def served_a(enterprise_a):
    """Station A's enterprise with a credit code and a contact only station A may see."""
    enterprise_a.credit_code = CODE_A
    enterprise_a.save()
    EnterpriseContact.objects.create(
        enterprise=enterprise_a, name="甲站联系人", position="总经理", phone="13811112222"
    )
    return enterprise_a


def _portal(client, station, *, name, code=""):
    return client.post(
        reverse("portal:submit", args=[station.pk]),
        {
            "enterprise_name": name,
            "credit_code": code,
            "contact_name": "冒名者",
            "contact_phone": "13900001111",
            "need_type": 1,
            "content": "想看看这家企业的电话",
            "key": str(uuid.uuid4()),
        },
    )


def _api(client, station, *, name, code=""):
    return client.post(
        reverse("api:portal-submit"),
        {
            "station": station.pk,
            "enterprise_name": name,
            "credit_code": code,
            "contact_name": "冒名者",
            "contact_phone": "13900001111",
            "need_type": "metrology",
            "content": "想看看这家企业的电话",
            "idempotency_key": str(uuid.uuid4()),
        },
        content_type="application/json",
    )


def _assert_station_b_sees_only_its_need(client_for, staff_b, served_a):
    client = client_for(staff_b)
    assert served_a.name not in client.get(reverse("enterprises:list")).text
    assert client.get(reverse("enterprises:detail", args=[served_a.pk])).status_code == 404
    assert client.get(reverse("enterprises:edit", args=[served_a.pk])).status_code == 404
    contact = served_a.contacts.get()
    reveal = client.post(reverse("enterprises:contact_reveal_phone", args=[contact.pk]))
    assert reveal.status_code == 404
    # The need is station B's own: it shows, with the contact the submitter gave.
    need = Need.objects.get(station__members__user=staff_b)
    assert need.enterprise_id == served_a.pk
    assert (need.contact_name, need.contact_phone) == ("冒名者", "13900001111")
    page = client.get(reverse("needs:detail", args=[need.pk])).text
    assert "13900001111"[-4:] in page and "13811112222"[-4:] not in page


@pytest.mark.parametrize("channel", [_portal, _api], ids=["portal", "api"])
@pytest.mark.parametrize("claim", ["exact name", "credit code with a made-up name"])
def test_a_claim_naming_another_stations_enterprise_widens_nothing(
    client, client_for, station_b, staff_b, served_a, channel, claim
):
    if claim == "exact name":
        response = channel(client, station_b, name=served_a.name)
    else:
        response = channel(client, station_b, name="随便编的名字有限公司", code=CODE_A)
    assert response.status_code in (201, 302)
    served_a.refresh_from_db()
    # The register is not rewritten by anonymous input.
    assert served_a.name == "甲站服务的企业有限公司"
    assert list(served_a.stations.all()) == list(served_a.stations.filter(name="甲服务站"))
    assert served_a.contacts.get().name == "甲站联系人"
    assert Enterprise.objects.count() == 1
    _assert_station_b_sees_only_its_need(client_for, staff_b, served_a)


def test_a_claim_registering_a_new_enterprise_links_it_to_the_station(client, station_b, staff_b):
    _portal(client, station_b, name="从未登记的新企业有限公司")
    enterprise = Enterprise.objects.get(name="从未登记的新企业有限公司")
    assert list(enterprise.stations.all()) == [station_b]
    assert not enterprise.contacts.exists()  # the contact stays on the need


def test_the_service_links_only_what_it_created(station_a, station_b, served_a):
    assert enterprise_for_claim(station=station_b, name=served_a.name) == served_a
    assert enterprise_for_claim(station=station_b, name="乱写", credit_code=CODE_A) == served_a
    assert not served_a.stations.filter(pk=station_b.pk).exists()
    new = enterprise_for_claim(station=station_b, name="新企业")
    assert new.stations.get() == station_b
