"""Two stations hold the same 跟踪单号 (R-3.2): the portal, the API, the ledger, its exports,
12345 status and the meeting form each find the right need (ADR 0008)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hqzt.api.models import IntegrationToken
from hqzt.needs.models import Channel, Source
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.operations.forms import ActionItemForm

pytestmark = pytest.mark.django_db


def _register(station, staff, enterprise, need_type, phone, content):
    sheet = need_register(
        actor=staff,
        station=station,
        enterprise=enterprise,
        contact_name="王经理",
        contact_phone=phone,
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=need_type, content=content)],
    )
    return sheet.needs.get()


@pytest.fixture
def twins(station_a, staff_a, enterprise_a, station_b, staff_b, enterprise_b, metrology):
    """Station A's and station B's first sheet of the year: the same 跟踪单号."""
    a = _register(station_a, staff_a, enterprise_a, metrology, "13812345678", "甲站的需求")
    b = _register(station_b, staff_b, enterprise_b, metrology, "13912340000", "乙站的需求")
    assert a.sheet.tracking_number == b.sheet.tracking_number
    return a, b


def _track(client, number, last4):
    response = client.post(
        reverse("portal:track"), {"tracking_number": number, "phone_last4": last4}
    )
    return response.text


def test_portal_tracking_finds_the_right_stations_need(client, twins):
    a, b = twins
    assert "乙站的需求" in _track(client, b.sheet.reference, "0000")
    assert "甲站的需求" in _track(client, a.sheet.reference, "5678")
    # The receipt's number with the other station's phone finds nothing.
    page = _track(client, b.sheet.reference, "5678")
    assert "甲站的需求" not in page and "乙站的需求" not in page
    # A bare number (older receipts) answers when the phone proves exactly one sheet.
    page = _track(client, a.sheet.tracking_number, "5678")
    assert "甲站的需求" in page and "乙站的需求" not in page


def test_a_bare_number_that_two_sheets_with_this_phone_share_answers_nothing(
    client, twins, station_b, staff_b, enterprise_b, metrology
):
    a, _ = twins
    # Station B's second sheet carries station A's phone, and A's 2nd sheet gets the same number.
    _register(station_b, staff_b, enterprise_b, metrology, "13812345678", "乙站第二单")
    a2 = _register(a.station, a.first_contact, a.enterprise, metrology, "13812345678", "甲站第二单")
    page = _track(client, a2.sheet.tracking_number, "5678")
    assert "甲站第二单" not in page and "乙站第二单" not in page
    assert "甲站第二单" in _track(client, a2.sheet.reference, "5678")


def test_api_tracks_by_reference_and_shows_the_station(client, client_for, twins, supervisor):
    a, b = twins
    found = client.post(
        reverse("api:portal-track"),
        {"tracking_number": b.sheet.reference, "phone_last4": "0000"},
        content_type="application/json",
    )
    assert found.status_code == 200 and found.json()[0]["content"] == "乙站的需求"
    listed = client_for(supervisor).get(reverse("api:needs")).json()["results"]
    by_reference = {n["reference"]: (n["station_id"], n["content"]) for n in listed}
    assert by_reference == {
        a.sheet.reference: (a.station_id, "甲站的需求"),
        b.sheet.reference: (b.station_id, "乙站的需求"),
    }


def test_portal_submission_receipt_carries_the_station(client, station_b, twins):
    body = {
        "station": station_b.pk,
        "enterprise_name": "晋城市小程序测试有限公司",
        "contact_name": "周经理",
        "contact_phone": "13903561234",
        "need_type": "metrology",
        "content": "电子秤检定",
        "idempotency_key": "3f1c0a52-8a0e-4a55-9d7c-2c4a1a0e7b11",
    }
    receipt = client.post(reverse("api:portal-submit"), body, content_type="application/json")
    data = receipt.json()
    assert data["station"] == station_b.pk
    assert data["reference"] == f"{station_b.pk:02d}-{data['tracking_number']}"


def test_12345_status_names_the_station(station_b, twins):
    token = IntegrationToken(name="12345热线")
    raw = token.issue()
    token.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    pushed = {
        "external_id": "12345-2026-000009",
        "station": station_b.pk,
        "enterprise_name": "晋城市热线转办测试有限公司",
        "contact_name": "钱女士",
        "contact_phone": "13803561111",
        "need_type": "credit",
        "content": "咨询经营异常名录移出",
    }
    response = client.post(reverse("api:integration-push"), pushed, format="json")
    assert response.status_code == 201, response.content
    status = client.get(reverse("api:integration-status", args=["12345-2026-000009"])).json()
    assert status["station"] == station_b.pk
    assert status["reference"] == f"{station_b.pk:02d}-{status['tracking_number']}"


def test_ledger_and_export_show_the_station_with_the_number_across_stations(
    client_for, twins, supervisor, staff_a
):
    a, b = twins
    page = client_for(supervisor).get(reverse("needs:ledger")).text
    assert a.sheet.reference in page and b.sheet.reference in page
    found = client_for(supervisor).get(reverse("needs:ledger"), {"q": b.sheet.reference}).text
    assert "乙站的需求" in found and "甲站的需求" not in found
    # The export spanning stations has a 服务站 column beside each number.
    export = client_for(supervisor).get(reverse("documents:ledger_xlsx"))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[1][9] == "服务站"
    assert sorted((r[8], r[9]) for r in rows[2:]) == sorted(
        [(a.sheet.tracking_number, a.station.name), (b.sheet.tracking_number, b.station.name)]
    )
    # A station's own ledger keeps the Appendix B number as its staff write it.
    own = client_for(staff_a).get(reverse("needs:ledger"), {"q": a.sheet.tracking_number}).text
    assert "甲站的需求" in own and a.sheet.reference not in own


def test_a_handlers_ledger_shows_the_station_with_each_number(station_a):
    """A section handler gets needs dispatched from any station, however few stations their
    unit lists in the filter bar: numbers always carry their station's."""
    from hqzt.needs.ledger_forms import LedgerFilterForm
    from hqzt.stations.models import Station

    one = Station.objects.filter(pk=station_a.pk)
    assert LedgerFilterForm({}, stations=one, any_station=True).spans_stations()
    assert not LedgerFilterForm({}, stations=one).spans_stations()


def test_meeting_form_asks_for_the_station_when_a_number_is_ambiguous(twins, chief_a):
    a, b = twins
    stations = [a.station_id, b.station_id]

    def item(label):
        data = {"description": "跟进", "owner": chief_a.pk, "due_on": "", "need_label": label}
        form = ActionItemForm(data, owners=type(chief_a).objects.all(), station_ids=stations)
        form.is_valid()
        return form

    assert "请在前面写上服务站编号" in str(item(a.label).errors)
    assert item(f"{b.sheet.reference}-1").cleaned_data["need_label"] == b
    only_a = ActionItemForm(
        {"description": "跟进", "owner": chief_a.pk, "due_on": "2026-06-13", "need_label": a.label},
        owners=type(chief_a).objects.all(),
        station_ids=[a.station_id],
    )
    assert only_a.is_valid(), only_a.errors
    assert only_a.cleaned_data["need_label"] == a
