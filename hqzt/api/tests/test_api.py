"""The API's permission matrix (role × endpoint, allowed and refused) and its behaviour."""

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hqzt.accounts.tokens import personal_token_issue
from hqzt.api.models import IntegrationToken
from hqzt.core import clock
from hqzt.needs.models import Need
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db
PERSONAS = [
    "anonymous",
    "staff_a",
    "chief_a",
    "staff_b",
    "handler",
    "supervisor",
    "county_supervisor",
    "admin_user",
]


@pytest.fixture
def api(request):
    def as_(persona: str) -> APIClient:
        client = APIClient()
        if persona != "anonymous":
            user = request.getfixturevalue(persona)
            client.credentials(HTTP_AUTHORIZATION=f"Token {personal_token_issue(user=user)}")
        return client

    return as_


def _token(station=None) -> tuple[IntegrationToken, str]:
    token = IntegrationToken(name="12345热线", station=station)
    raw = token.issue()
    token.save()
    return token, raw


def _push(**overrides):
    from hqzt.needs.models import NeedType  # noqa: F401 (codes are the reference data's)

    data = {
        "external_id": "12345-2025-000001",
        "enterprise_name": "晋城市热线转办测试有限公司",
        "contact_name": "钱女士",
        "contact_phone": "13803561111",
        "need_type": "credit",
        "content": "咨询经营异常名录移出",
    }
    data.update(overrides)
    return data


# --- Portal: public -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_portal_reads_are_public(api, persona, station_a):
    client = api(persona)
    assert client.get(reverse("api:portal-stations")).status_code == 200
    assert client.get(reverse("api:portal-station", args=[station_a.pk])).status_code == 200
    assert client.get(reverse("api:portal-need-types")).status_code == 200


def test_portal_submission_is_idempotent(api, station_a):
    client = api("anonymous")
    body = {**_push(), "station": station_a.pk, "idempotency_key": str(uuid.uuid4())}
    body.pop("external_id")
    first = client.post(reverse("api:portal-submit"), body, format="json")
    second = client.post(reverse("api:portal-submit"), body, format="json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json() == second.json()
    need = Need.objects.get()
    assert need.status == Status.PENDING_ACCEPTANCE
    # §6.2: what came through the mini-program's API is recorded as 小程序, not as the web portal.
    assert (need.channel.code, need.channel.name) == ("miniprogram", "小程序")


def test_portal_submission_errors_are_chinese_and_save_nothing(api, station_a):
    body = {**_push(contact_phone="123"), "station": station_a.pk, "idempotency_key": "bad"}
    response = api("anonymous").post(reverse("api:portal-submit"), body, format="json")
    assert response.status_code == 400
    assert "不是有效的电话号码" in str(response.json()) and "UUID" in str(response.json())
    assert not Need.objects.exists()


def test_track_answers_wrong_proof_and_unknown_number_identically(api, drive):
    need = drive(Status.REGISTERED)
    client = api("anonymous")
    ok = client.post(
        reverse("api:portal-track"),
        {"tracking_number": need.sheet.tracking_number, "phone_last4": "5678"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()[0]["steps"][0]["text"] == "服务站已登记您的需求"
    wrong = client.post(
        reverse("api:portal-track"),
        {"tracking_number": need.sheet.tracking_number, "phone_last4": "0000"},
        format="json",
    )
    unknown = client.post(
        reverse("api:portal-track"),
        {"tracking_number": "20990009", "phone_last4": "5678"},
        format="json",
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content


def test_evaluation_through_the_api_is_single_use(api, drive):
    from hqzt.needs.tests.test_views import _token_from_sms

    need = drive(Status.AWAITING_EVALUATION)
    token = _token_from_sms()
    client = api("anonymous")
    body = {"token": token, "level": "satisfied", "comments": "好"}
    assert client.post(reverse("api:portal-evaluate"), body, format="json").status_code == 200
    assert client.post(reverse("api:portal-evaluate"), body, format="json").status_code == 404
    need.refresh_from_db()
    assert need.status == Status.AWAITING_ARCHIVE


def test_portal_writes_are_throttled(api, settings):
    settings.API_PORTAL_RATE = "3/h"
    client = api("anonymous")
    codes = [
        client.post(
            reverse("api:portal-track"), {"tracking_number": "1", "phone_last4": "0000"}
        ).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]


# --- Staff: the same scoping and rules as the pages ----------------------------------------------


LIST_EXPECTED = {
    "anonymous": 403,
    "staff_a": 1,
    "chief_a": 1,
    "staff_b": 0,
    "handler": 0,
    "supervisor": 1,
    "county_supervisor": 0,
    "admin_user": 1,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_need_list_and_detail_follow_scope(api, drive, persona):
    need = drive(Status.REGISTERED)
    client = api(persona)
    response = client.get(reverse("api:needs"))
    detail = client.get(reverse("api:need", args=[need.pk]))
    expected = LIST_EXPECTED[persona]
    if expected == 403:
        assert response.status_code == 403 and detail.status_code == 403
        return
    assert response.status_code == 200 and len(response.json()["results"]) == expected
    assert detail.status_code == (200 if expected else 404)


ACTION_EXPECTED = {
    "anonymous": 403,
    "staff_a": 200,
    "chief_a": 200,
    "staff_b": 404,
    "handler": 404,
    "supervisor": 403,
    "county_supervisor": 404,
    "admin_user": 403,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_actions_allowed_and_refused_by_role(api, drive, persona):
    need = drive(Status.REGISTERED)
    response = api(persona).post(
        reverse("api:need-action", args=[need.pk, "identify"]),
        {"scope": "market_regulation", "complexity": "coordinated"},
        format="json",
    )
    assert response.status_code == ACTION_EXPECTED[persona], response.content
    moved = Need.objects.get(pk=need.pk).status == Status.AWAITING_DISPATCH
    assert moved == (ACTION_EXPECTED[persona] == 200)


def test_action_errors(api, drive):
    need = drive(Status.REGISTERED)
    client = api("staff_a")
    bad = client.post(
        reverse("api:need-action", args=[need.pk, "identify"]), {"scope": "x"}, format="json"
    )
    assert bad.status_code == 400 and "scope" in bad.json()["errors"]
    wrong_state = client.post(
        reverse("api:need-action", args=[need.pk, "archive"]),
        {"category": need.need_type_id},
        format="json",
    )
    assert wrong_state.status_code == 403
    unknown = client.post(reverse("api:need-action", args=[need.pk, "explode"]), {}, format="json")
    assert unknown.status_code == 404
    done = client.post(
        reverse("api:need-action", args=[need.pk, "identify"]),
        {"scope": "market_regulation", "complexity": "simple"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "first_contact_handling"
    refused = client.post(
        reverse("api:need-action", args=[need.pk, "complete"]),
        {"outcome": "unmet", "result": "未能满足"},
        format="json",
    )
    assert refused.status_code == 409 and "处理意见" in refused.json()["detail"]


def test_personal_tokens_are_issued_for_valid_credentials(api, staff_a):
    from hqzt.accounts.tests.factories import PASSWORD

    client = api("anonymous")
    ok = client.post(reverse("api:auth-token"), {"username": "staff_a", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]
    bad = client.post(reverse("api:auth-token"), {"username": "staff_a", "password": "x"})
    assert bad.status_code == 400


# --- Integration ---------------------------------------------------------------------------------


def test_external_push_is_idempotent_and_status_readable(station_a):
    token, raw = _token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    body = {**_push(), "station": station_a.pk}
    first = client.post(reverse("api:integration-push"), body, format="json")
    again = client.post(reverse("api:integration-push"), body, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["tracking_number"] == again.json()["tracking_number"]
    need = Need.objects.get()
    assert need.channel.code == "hotline_12345" and need.status == Status.PENDING_ACCEPTANCE
    status = client.get(reverse("api:integration-status", args=["12345-2025-000001"]))
    assert status.status_code == 200 and status.json()["needs"][0]["status_label"] == "待受理"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_integration_tokens_are_scoped_and_revocable(station_a, station_b, api):
    token, raw = _token(station=station_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    other = client.post(
        reverse("api:integration-push"), {**_push(), "station": station_b.pk}, format="json"
    )
    assert other.status_code == 403
    response = client.post(
        reverse("api:integration-push"), {**_push(), "station": station_a.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    _, raw2 = _token()
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION=f"Bearer {raw2}")
    assert (
        stranger.get(reverse("api:integration-status", args=["12345-2025-000001"])).status_code
        == 404
    )
    token.revoked_at = clock.now()
    token.save()
    revoked = client.get(reverse("api:integration-status", args=["12345-2025-000001"]))
    assert revoked.status_code == 401
    staff = api("staff_a").post(reverse("api:integration-push"), {}, format="json")
    assert staff.status_code == 401  # a person's token is not a platform's
    assert client.get(reverse("api:needs")).status_code == 403  # a platform is not a person


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"/api/v1/needs/" in schema.content
    docs = client.get(reverse("api:docs")).text
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_a_key_reused_for_other_content_is_refused_with_409(api, station_a):
    """Issue 13, 8: the first result used to come back, as if the second content were stored."""
    client = api("anonymous")
    body = {
        "station": station_a.pk,
        "enterprise_name": "晋城市幂等测试有限公司",
        "contact_name": "赵",
        "contact_phone": "13803562222",
        "need_type": "metrology",
        "content": "第一次的内容",
        "idempotency_key": "6f1c1f0e-7a51-4d7e-9a55-3d4c2f1b0a99",
    }
    assert client.post(reverse("api:portal-submit"), body, format="json").status_code == 201
    assert client.post(reverse("api:portal-submit"), body, format="json").status_code == 200
    other = client.post(
        reverse("api:portal-submit"), {**body, "content": "另一份内容"}, format="json"
    )
    assert other.status_code == 409 and "idempotency_key" in other.json()["detail"]
    assert Need.objects.get().content == "第一次的内容"

    _, raw = _token()
    push = APIClient()
    push.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    first = push.post(
        reverse("api:integration-push"), {**_push(), "station": station_a.pk}, format="json"
    )
    changed = push.post(
        reverse("api:integration-push"),
        {**_push(content="改过的内容"), "station": station_a.pk},
        format="json",
    )
    assert first.status_code == 201 and changed.status_code == 409


# A NUL in a need type's code (found by the stateful schemathesis run on PostgreSQL, which answers
# a NUL in a query with an error, not a miss).
@pytest.mark.parametrize("code", ["cre\x00dit", "credit\x07", "\x00"])
def test_a_control_character_in_the_type_code_is_a_400_in_chinese(api, station_a, code):
    body = {**_push(need_type=code), "station": station_a.pk, "idempotency_key": str(uuid.uuid4())}
    body.pop("external_id")
    response = api("anonymous").post(reverse("api:portal-submit"), body, format="json")
    assert response.status_code == 400
    assert response.json()["need_type"] == ["需求类型代码含有不可见的控制字符。"]
    assert not Need.objects.exists()


def test_the_schema_lists_every_ledger_filter_the_needs_list_takes(client):
    """The list reads the ledger's own filter form, so the schema names all of it (period and
    ids were missing when the parameters were a hand-written list)."""
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/needs/"]["get"]["parameters"]}
    for name in ("q", "period", "ids", "overdue", "measure", "date_from", "status", "cursor"):
        assert name in params, name
    assert "本月" in params["period"]["description"]
    assert "待识别" in params["status"]["description"]
    assert "逗号分隔" in params["ids"]["description"]


def test_the_needs_list_applies_the_quick_period_and_selected_ids(api, staff_a, station_a):
    response = api("staff_a").get(reverse("api:needs"), {"period": "month", "ids": "1,2"})
    assert response.status_code == 200
    refused = api("staff_a").get(reverse("api:needs"), {"period": "decade"})
    assert refused.status_code == 400 and "快捷时间" in refused.text
