"""Issue 16 item 4: registering what the enterprise already asked for in the last 90 days shows
the probable duplicate before anything is saved, and offers to add the need to that sheet."""

import pytest
from django.urls import reverse

from hqzt.needs.models import Channel, Need, NeedType, Source, TrackingSheet
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.tests.test_views import _register_post
from hqzt.needs.workflow import TransitionRefused

pytestmark = pytest.mark.django_db
TEXT = "厂里地磅检定到期了，请安排上门检定"


@pytest.fixture
def earlier(staff_a, station_a, enterprise_a):
    """The enterprise's first sheet: the 地磅 need."""
    return need_register(
        actor=staff_a,
        station=station_a,
        enterprise=enterprise_a,
        contact_name="王经理",
        contact_phone="13812345678",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=NeedType.objects.get(code="metrology"), content=TEXT)],
    )


def _post(station, enterprise, **overrides):
    data = _register_post(station, enterprise)
    data.update(
        {"items-TOTAL_FORMS": "1", "items-0-content": "厂里的地镑检订到期了，请安排上门检定。"}
    )
    data.update(overrides)
    return data


def test_a_probable_duplicate_is_shown_and_nothing_is_saved(
    client_for, staff_a, station_a, enterprise_a, earlier
):
    response = client_for(staff_a).post(reverse("needs:register"), _post(station_a, enterprise_a))
    assert response.status_code == 200
    page = response.text
    assert 'data-testid="registration-duplicates"' in page
    assert str(earlier.needs.get()) in page and "可能是重复登记" in page
    assert f"加入已有跟踪单 {earlier.tracking_number}" in page and "登记为新的跟踪单" in page
    assert Need.objects.count() == 1  # nothing saved yet


def test_seen_and_registered_as_a_new_sheet(client_for, staff_a, station_a, enterprise_a, earlier):
    data = _post(station_a, enterprise_a, **{"dup-checked": "True", "dup-attach_to": ""})
    response = client_for(staff_a).post(reverse("needs:register"), data)
    assert response.status_code == 302
    assert TrackingSheet.objects.count() == 2 and Need.objects.count() == 2


def test_seen_and_added_to_the_existing_sheet(
    client_for, staff_a, station_a, enterprise_a, earlier
):
    data = _post(station_a, enterprise_a, **{"dup-checked": "True", "dup-attach_to": earlier.pk})
    response = client_for(staff_a).post(reverse("needs:register"), data)
    assert response.status_code == 302
    assert TrackingSheet.objects.count() == 1
    added = earlier.needs.get(row_number=2)
    assert added.first_contact == staff_a and added.events.filter(action="register").exists()


def test_an_unrelated_need_registers_at_once(client_for, staff_a, station_a, enterprise_a, earlier):
    data = _post(station_a, enterprise_a, **{"items-0-content": "想申请高新技术企业认定"})
    response = client_for(staff_a).post(reverse("needs:register"), data)
    assert response.status_code == 302 and TrackingSheet.objects.count() == 2


def test_another_stations_sheet_cannot_be_attached_to(
    client_for, staff_a, station_a, enterprise_a, staff_b, station_b, enterprise_b
):
    theirs = need_register(
        actor=staff_b,
        station=station_b,
        enterprise=enterprise_b,
        contact_name="李经理",
        contact_phone="13912345678",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=NeedType.objects.get(code="metrology"), content=TEXT)],
    )
    data = _post(station_a, enterprise_a, **{"dup-checked": "True", "dup-attach_to": theirs.pk})
    response = client_for(staff_a).post(reverse("needs:register"), data)
    assert response.status_code == 200 and "所选的跟踪单不可用" in response.text
    assert theirs.needs.count() == 1 and not Need.objects.filter(station=station_a).exists()


def test_the_service_refuses_a_sheet_of_another_enterprise(
    staff_a, station_a, enterprise_a, earlier
):
    from hqzt.enterprises.tests.factories import EnterpriseFactory

    other = EnterpriseFactory(name="另一家机械有限公司")
    station_a.enterprises.add(other)
    with pytest.raises(TransitionRefused, match="同一企业"):
        need_register(
            actor=staff_a,
            station=station_a,
            enterprise=other,
            contact_name="王经理",
            contact_phone="13812345678",
            source=Source.INBOUND,
            channel=Channel.objects.get(code="phone"),
            items=[NeedItem(need_type=NeedType.objects.get(code="metrology"), content=TEXT)],
            attach_to=earlier,
        )
    assert earlier.needs.count() == 1
