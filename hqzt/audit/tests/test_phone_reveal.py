"""显示完整号码: whoever may see a need or an enterprise may reveal its masked contact number,
by an explicit POST that is always audited; outside their scope the object is not found (R-9)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.tokens import personal_token_issue
from hqzt.audit.models import AuditEvent
from hqzt.enterprises.models import EnterpriseContact
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _reveals(obj) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action="reveal_phone", object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
    )


@pytest.fixture
def contact(enterprise_a):
    return EnterpriseContact.objects.create(
        enterprise=enterprise_a, name="王五", phone="13812345678"
    )


# --- needs ------------------------------------------------------------------------------------


def test_supervisor_sees_the_mask_and_a_reveal_button(client_for, drive, supervisor):
    need = drive(Status.REGISTERED)
    text = client_for(supervisor).get(reverse("needs:detail", args=[need.pk])).text
    assert "138****5678" in text and "13812345678" not in text
    assert reverse("needs:reveal_phone", args=[need.pk]) in text and "显示完整号码" in text


def test_station_staff_see_the_number_without_a_button(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    text = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "13812345678" in text and "显示完整号码" not in text


def test_supervisor_reveals_a_need_phone_and_it_is_audited(client_for, drive, supervisor):
    need = drive(Status.REGISTERED)
    url = reverse("needs:reveal_phone", args=[need.pk])
    response = client_for(supervisor).post(url, **HTMX, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "13812345678" in response.text and "<html" not in response.text
    assert response["Cache-Control"] == "no-store"
    (event,) = _reveals(need)
    assert event.actor == supervisor and event.ip == "10.1.2.3" and event.at is not None
    assert "13812345678" not in str(event.changes)


def test_without_javascript_the_reveal_is_a_page_with_a_way_back(client_for, drive, supervisor):
    need = drive(Status.REGISTERED)
    response = client_for(supervisor).post(reverse("needs:reveal_phone", args=[need.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.text
    assert reverse("needs:detail", args=[need.pk]) in response.text
    assert len(_reveals(need)) == 1


def test_every_reveal_is_audited(client_for, drive, handler):
    need = drive(Status.DISPATCHED)
    client = client_for(handler)
    for _ in range(2):
        response = client.post(reverse("needs:reveal_phone", args=[need.pk]), **HTMX)
        assert response.status_code == 200
    assert len(_reveals(need)) == 2


def test_reveal_is_refused_outside_scope_without_post_and_anonymously(
    client, client_for, drive, staff_b
):
    need = drive(Status.REGISTERED)
    url = reverse("needs:reveal_phone", args=[need.pk])
    assert client.post(url).status_code == 302 and "/accounts/login/" in client.post(url).url
    assert client_for(staff_b).post(url).status_code == 404
    assert client_for(staff_b).get(url).status_code == 405
    assert _reveals(need) == []


# --- enterprise contacts ----------------------------------------------------------------------


def test_supervisor_reveals_an_enterprise_contact_phone(client_for, supervisor, contact):
    detail = client_for(supervisor).get(reverse("enterprises:detail", args=[contact.enterprise_id]))
    url = reverse("enterprises:contact_reveal_phone", args=[contact.pk])
    assert "138****5678" in detail.text and url in detail.text
    response = client_for(supervisor).post(url, **HTMX)
    assert response.status_code == 200 and "13812345678" in response.text
    (event,) = _reveals(contact)
    assert event.actor == supervisor


def test_contact_reveal_is_refused_outside_scope(client, client_for, staff_b, contact):
    url = reverse("enterprises:contact_reveal_phone", args=[contact.pk])
    assert client.post(url).status_code == 302
    assert client_for(staff_b).post(url).status_code == 404
    assert _reveals(contact) == []


# --- API --------------------------------------------------------------------------------------


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {personal_token_issue(user=user)}")
    return client


def test_api_shows_the_mask_and_reveals_on_request(drive, supervisor):
    need = drive(Status.REGISTERED)
    client = _api(supervisor)
    assert client.get(f"/api/v1/needs/{need.pk}/").json()["contact_phone"] == "138****5678"
    response = client.post(f"/api/v1/needs/{need.pk}/phone/")
    assert response.status_code == 200
    assert response.json() == {"contact_phone": "13812345678"}
    (event,) = _reveals(need)
    assert event.actor == supervisor


def test_api_reveal_is_refused_outside_scope_and_anonymously(drive, staff_b):
    need = drive(Status.REGISTERED)
    assert _api(staff_b).post(f"/api/v1/needs/{need.pk}/phone/").status_code == 404
    assert _api().post(f"/api/v1/needs/{need.pk}/phone/").status_code in (401, 403)
    assert _api(staff_b).get(f"/api/v1/needs/{need.pk}/phone/").status_code in (404, 405)
    assert _reveals(need) == []


# --- search by number and the audit of edits ----------------------------------------------------


@pytest.mark.parametrize("spelling", ["138-1234-5678", "１３８１２３４５６７８"])
def test_ledger_finds_a_need_by_its_contact_number(client_for, drive, staff_a, spelling):
    need = drive(Status.REGISTERED)
    text = client_for(staff_a).get(reverse("needs:ledger"), {"q": spelling}).text
    assert need.sheet.tracking_number in text
    text = client_for(staff_a).get(reverse("needs:ledger"), {"q": "13900000000"}).text
    assert need.sheet.tracking_number not in text


def test_whoever_sees_numbers_masked_cannot_find_them_by_searching(
    client_for, drive, supervisor, contact, enterprise_a
):
    """Searching each possible middle part would otherwise recover a masked number unaudited."""
    need = drive(Status.REGISTERED)
    text = client_for(supervisor).get(reverse("needs:ledger"), {"q": "13812345678"}).text
    assert need.sheet.tracking_number not in text
    url = reverse("enterprises:list")
    assert enterprise_a.name not in client_for(supervisor).get(url, {"q": "13812345678"}).text


def test_a_hotline_number_in_the_search_box_is_still_searched_as_text(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    need.content = "12345热线转来：电子秤检定"
    need.save()  # save(), not update(): the search n-grams (PostgreSQL's index) follow the text
    text = client_for(staff_a).get(reverse("needs:ledger"), {"q": "12345"}).text
    assert need.sheet.tracking_number in text


def test_enterprise_list_finds_an_enterprise_by_a_contact_number(
    client_for, staff_a, contact, enterprise_a
):
    url = reverse("enterprises:list")
    assert enterprise_a.name in client_for(staff_a).get(url, {"q": "138 1234 5678"}).text
    assert enterprise_a.name not in client_for(staff_a).get(url, {"q": "13900000000"}).text


def test_the_audit_log_of_a_contact_edit_holds_masked_numbers(client_for, staff_a, contact):
    from hqzt.audit.services import audited_save

    audited_save(actor=staff_a, instance=contact, data={"phone": "13900001111"})
    event = AuditEvent.objects.get(object_type="enterprises.enterprisecontact", action="update")
    assert event.changes["fields"] == [
        {"field": "phone", "label": "联系电话", "before": "138****5678", "after": "139****1111"}
    ]
