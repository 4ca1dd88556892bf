"""An invalid filter value is left out on its own and the user is told (issue 13, finding 8):
before, `?station=<not mine>&status=registered` dropped every filter and listed — and exported —
the user's whole scope."""

import pytest
from django.urls import reverse

from hqzt.core.filters import ignored_notice
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_needs(drive):
    """A registered need and one in progress, both of station A."""
    return drive(Status.REGISTERED), drive(Status.IN_PROGRESS)


def test_the_ledger_applies_the_valid_filters_and_says_which_it_ignored(
    client_for, staff_a, station_b, two_needs
):
    registered, in_progress = two_needs
    response = client_for(staff_a).get(
        reverse("needs:ledger"), {"station": station_b.pk, "status": "registered"}
    )
    assert response.status_code == 200
    assert registered.sheet.tracking_number in response.text
    assert in_progress.sheet.tracking_number not in response.text
    assert ignored_notice(["服务站"]) in response.text


@pytest.mark.parametrize("export", ["documents:ledger_xlsx", "documents:ledger_pdf"])
def test_exports_refuse_an_invalid_filter(client_for, staff_a, station_b, two_needs, export):
    response = client_for(staff_a).get(
        reverse(export), {"station": station_b.pk, "status": "registered"}
    )
    assert response.status_code == 302 and "/needs/" in response.url
    assert "filename" not in response.get("Content-Disposition", "")
    page = client_for(staff_a).get(response.url)
    assert "以下筛选条件的值无效：服务站" in page.text


def test_the_api_refuses_an_invalid_filter(client_for, staff_a, station_b, two_needs):
    response = client_for(staff_a).get(
        reverse("api:needs"), {"station": station_b.pk, "status": "registered"}
    )
    assert response.status_code == 400
    assert "station" in response.json()


def test_the_enterprise_list_applies_the_valid_filters(client_for, staff_a, station_a, station_b):
    small = EnterpriseFactory(name="小型企业甲", size="small")
    large = EnterpriseFactory(name="大型企业乙", size="large")
    station_a.enterprises.add(small, large)
    response = client_for(staff_a).get(
        reverse("enterprises:list"), {"station": station_b.pk, "size": "small"}
    )
    assert small.name in response.text and large.name not in response.text
    assert ignored_notice(["服务站"]) in response.text
