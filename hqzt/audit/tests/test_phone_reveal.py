"""显示完整号码 and who sees full numbers: one rule (accounts/phone_access.py). In full for the
station's staff and the handlers of the need's sections; masked with an audited reveal for
supervisors who follow the case up themselves (a 回访, an escalated need, a complaint); masked
without a reveal for everybody else, whose reveal POST is refused 403 in Chinese and audited.
Outside their scope the object is not found (R-9)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.phone_access import REVEAL_REFUSED
from hqzt.accounts.tokens import personal_token_issue
from hqzt.audit.models import AuditEvent
from hqzt.enterprises.models import EnterpriseContact
from hqzt.needs.models import Need
from hqzt.needs.services.evaluation import need_evaluate
from hqzt.needs.states import Status
from hqzt.supervision.models import Callback

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BUTTON = 'data-testid="reveal-phone"'


def _reveals(obj, action: str = "reveal_phone") -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        )
    )


@pytest.fixture
def contact(enterprise_a):
    return EnterpriseContact.objects.create(
        enterprise=enterprise_a, name="王五", phone="13812345678"
    )


@pytest.fixture
def called_back(drive, staff_a):
    """A need whose 不满意 evaluation put a 回访 in the supervisors' list."""
    need = drive(Status.AWAITING_EVALUATION)
    need_evaluate(need=need, actor=staff_a, level="dissatisfied", comments="不满意")
    return Need.objects.get(pk=need.pk)


# --- needs: who sees what ----------------------------------------------------------------------


def test_station_staff_see_the_number_without_a_button(client_for, drive, staff_a):
    need = drive(Status.REGISTERED)
    text = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "13812345678" in text and BUTTON not in text


def test_the_lead_sections_handler_sees_the_number_without_a_button(client_for, drive, handler):
    need = drive(Status.DISPATCHED)
    text = client_for(handler).get(reverse("needs:detail", args=[need.pk])).text
    assert "13812345678" in text and BUTTON not in text


def test_a_supervisor_without_a_follow_up_sees_the_mask_and_no_button(
    client_for, drive, supervisor
):
    need = drive(Status.REGISTERED)
    text = client_for(supervisor).get(reverse("needs:detail", args=[need.pk])).text
    assert "138****5678" in text and "13812345678" not in text
    assert BUTTON not in text and reverse("needs:reveal_phone", args=[need.pk]) not in text


def test_a_supervisors_reveal_without_a_follow_up_is_refused_and_audited(
    client_for, drive, supervisor
):
    need = drive(Status.REGISTERED)
    url = reverse("needs:reveal_phone", args=[need.pk])
    response = client_for(supervisor).post(url, **HTMX)
    assert response.status_code == 403
    assert REVEAL_REFUSED in response.text and "13812345678" not in response.text
    assert _reveals(need) == []
    (refused,) = _reveals(need, "reveal_phone_refused")
    assert refused.actor == supervisor and refused.action_label == "查看完整号码被拒绝"


def test_a_handler_reveals_no_need_their_section_does_not_handle(client_for, drive, handler):
    """Handlers see their sections' needs only (in full); any other need is not found."""
    need = drive(Status.DISPATCHED)
    Need.objects.filter(pk=need.pk).update(lead_section=None)  # the need is not theirs now
    assert client_for(handler).get(reverse("needs:detail", args=[need.pk])).status_code == 404
    response = client_for(handler).post(reverse("needs:reveal_phone", args=[need.pk]))
    assert response.status_code == 404 and "13812345678" not in response.text
    assert _reveals(need) == []


def test_the_supervisor_of_a_callback_reveals_on_the_need_and_the_callback_page(
    client_for, called_back, supervisor
):
    callback = Callback.objects.get(need=called_back)
    url = reverse("needs:reveal_phone", args=[called_back.pk])
    client = client_for(supervisor)
    for page in (
        reverse("needs:detail", args=[called_back.pk]),
        reverse("supervision:callback_detail", args=[callback.pk]),
    ):
        text = client.get(page).text
        assert "138****5678" in text and "13812345678" not in text and url in text
    response = client.post(url, **HTMX, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "13812345678" in response.text and "<html" not in response.text
    assert response["Cache-Control"] == "no-store"
    (event,) = _reveals(called_back)
    assert event.actor == supervisor and event.ip == "10.1.2.3" and event.at is not None
    assert "13812345678" not in str(event.changes)


def test_the_supervisor_of_an_escalated_need_may_reveal(client_for, drive, supervisor):
    need = drive(Status.REGISTERED)
    Need.objects.filter(pk=need.pk).update(escalated=True)
    client = client_for(supervisor)
    text = client.get(reverse("needs:detail", args=[need.pk])).text
    assert "138****5678" in text and BUTTON in text
    assert client.post(reverse("needs:reveal_phone", args=[need.pk]), **HTMX).status_code == 200


def test_administrators_see_the_number_in_full(client_for, called_back, admin_user):
    callback = Callback.objects.get(need=called_back)
    page = client_for(admin_user).get(reverse("supervision:callback_detail", args=[callback.pk]))
    assert "13812345678" in page.text and BUTTON not in page.text


def test_without_javascript_the_reveal_is_a_page_with_a_way_back(
    client_for, called_back, supervisor
):
    response = client_for(supervisor).post(reverse("needs:reveal_phone", args=[called_back.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.text
    assert reverse("needs:detail", args=[called_back.pk]) in response.text
    assert len(_reveals(called_back)) == 1


def test_every_reveal_is_audited(client_for, called_back, supervisor):
    client = client_for(supervisor)
    for _ in range(2):
        response = client.post(reverse("needs:reveal_phone", args=[called_back.pk]), **HTMX)
        assert response.status_code == 200
    assert len(_reveals(called_back)) == 2


def test_reveal_is_refused_outside_scope_without_post_and_anonymously(
    client, client_for, drive, staff_b
):
    need = drive(Status.REGISTERED)
    url = reverse("needs:reveal_phone", args=[need.pk])
    assert client.post(url).status_code == 302 and "/accounts/login/" in client.post(url).url
    assert client_for(staff_b).post(url).status_code == 404
    assert client_for(staff_b).get(url).status_code == 405
    assert _reveals(need) == [] and _reveals(need, "reveal_phone_refused") == []


def _docx_text(content: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def test_the_evaluation_form_prints_the_number_by_the_same_rule(
    client_for, drive, staff_a, supervisor
):
    need = drive(Status.AWAITING_EVALUATION)
    url = reverse("documents:evaluation_document", args=[need.pk, "docx"])
    assert "13812345678" in _docx_text(client_for(staff_a).get(url).content)
    printed = _docx_text(client_for(supervisor).get(url).content)
    assert "138****5678" in printed and "13812345678" not in printed


# --- enterprise contacts ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "handler"])
def test_contacts_are_masked_without_a_button_and_the_reveal_is_refused(
    client_for, contact, request, who
):
    """Probe X1's second part: section handlers (and supervisors) read full numbers by the
    enterprise page's reveal."""
    user = request.getfixturevalue(who)
    detail = client_for(user).get(reverse("enterprises:detail", args=[contact.enterprise_id]))
    url = reverse("enterprises:contact_reveal_phone", args=[contact.pk])
    assert detail.status_code == 200
    assert "138****5678" in detail.text and "13812345678" not in detail.text
    assert url not in detail.text and BUTTON not in detail.text
    response = client_for(user).post(url, **HTMX)
    assert response.status_code == 403
    assert REVEAL_REFUSED in response.text and "13812345678" not in response.text
    assert _reveals(contact) == [] and len(_reveals(contact, "reveal_phone_refused")) == 1


def test_station_staff_see_contacts_in_full(client_for, staff_a, contact):
    detail = client_for(staff_a).get(reverse("enterprises:detail", args=[contact.enterprise_id]))
    assert "13812345678" in detail.text and BUTTON not in detail.text


def test_contact_reveal_is_refused_outside_scope(client, client_for, staff_b, contact):
    url = reverse("enterprises:contact_reveal_phone", args=[contact.pk])
    assert client.post(url).status_code == 302
    assert client_for(staff_b).post(url).status_code == 404
    assert _reveals(contact) == []


def test_a_supervisor_editing_an_enterprise_sees_and_keeps_saved_numbers_masked(
    client_for, supervisor, contact, station_a, enterprise_a
):
    from hqzt.enterprises.tests.test_enterprise_views import _post

    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    form = client_for(supervisor).get(url)
    assert form.status_code == 200
    assert "138****5678" in form.text and "13812345678" not in form.text
    data = _post(station_a, name="晋城市改名后的企业有限公司", credit_code=enterprise_a.credit_code)
    data.update(
        {
            "c-TOTAL_FORMS": "1",
            "c-INITIAL_FORMS": "1",
            "c-0-id": contact.pk,
            "c-0-name": "王五",
            "c-0-phone": "13900009999",  # a disabled field: what is sent is ignored
        }
    )
    assert client_for(supervisor).post(url, data).status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "13812345678"
    assert "13812345678" not in client_for(supervisor).get(url).text


# --- API --------------------------------------------------------------------------------------


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {personal_token_issue(user=user)}")
    return client


def test_api_shows_the_mask_and_reveals_for_a_callback(called_back, supervisor):
    client = _api(supervisor)
    need = called_back
    assert client.get(f"/api/v1/needs/{need.pk}/").json()["contact_phone"] == "138****5678"
    response = client.post(f"/api/v1/needs/{need.pk}/phone/")
    assert response.status_code == 200
    assert response.json() == {"contact_phone": "13812345678"}
    (event,) = _reveals(need)
    assert event.actor == supervisor


def test_api_reveal_without_a_follow_up_is_refused_in_chinese(drive, supervisor):
    need = drive(Status.REGISTERED)
    response = _api(supervisor).post(f"/api/v1/needs/{need.pk}/phone/")
    assert response.status_code == 403 and response.json() == {"detail": REVEAL_REFUSED}
    assert _reveals(need) == [] and len(_reveals(need, "reveal_phone_refused")) == 1


def test_api_gives_the_lead_sections_handler_the_number(drive, handler):
    need = drive(Status.DISPATCHED)
    assert _api(handler).get(f"/api/v1/needs/{need.pk}/").json()["contact_phone"] == ("13812345678")


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
