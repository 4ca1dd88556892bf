"""不满意 and what follows it (§6.5.2; issue 12 flow defects 3, 4 and 5): the reason is required on
every path and the enterprise is told what happens next; after 核实 the next round may go to
another section or department; round 1 stays in the history and on the Appendix C sheet."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from rest_framework.test import APIClient

from hqzt.accounts.tests.factories import UserFactory
from hqzt.documents.appendix_docs import sheet_data
from hqzt.needs.history import handling_rounds, handling_text
from hqzt.needs.models import Evaluation, Need
from hqzt.needs.services.evaluation import need_evaluate, need_redispatch, need_reliaise
from hqzt.needs.services.handling import need_add_step, need_complete
from hqzt.needs.services.identification import need_accept_task, need_return_task
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionForbidden, TransitionRefused
from hqzt.notifications.models import OutboundMessage
from hqzt.org.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality_section():
    return Section.objects.get(name="质量发展科")


@pytest.fixture
def quality_handler(quality_section):
    user = UserFactory(username="quality_handler", role="section_handler")
    user.sections.add(quality_section)
    return user


def _token() -> str:
    body = OutboundMessage.objects.filter(channel="sms", body__contains="/e/").latest("id").body
    return body.rsplit("/e/", 1)[1].strip("/")


# --- 3. 不满意 needs its reason, on every path ------------------------------------------------


def test_service_refuses_dissatisfied_without_reason_even_from_the_link(drive):
    need = drive(Status.AWAITING_EVALUATION)
    invitation = need.invitations.get()
    with pytest.raises(TransitionRefused, match="请填写不满意的原因"):
        need_evaluate(need=need, actor=None, level="dissatisfied", invitation=invitation)
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_EVALUATION
    assert not Evaluation.objects.exists()


def test_staff_form_requires_the_reason(client_for, drive, staff_a):
    need = drive(Status.AWAITING_EVALUATION)
    url = reverse("needs:act", args=[need.pk, "evaluate"])
    response = client_for(staff_a).post(
        url,
        {"evaluate-level": "dissatisfied", "evaluate-comments": " ", "evaluate-method": "phone"},
        follow=True,
    )
    assert "评价为“不满意”时，请填写不满意的原因" in response.text
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_EVALUATION
    page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "选择“不满意”时必填" in page


def test_public_link_requires_the_reason_and_says_what_happens_next(client, drive):
    need = drive(Status.AWAITING_EVALUATION)
    url = reverse("needs:evaluate_public", args=[_token()])
    refused = client.post(url, {"level": "dissatisfied", "comments": ""})
    assert refused.status_code == 200 and "请填写不满意的原因" in refused.text
    assert need.invitations.get().used_at is None  # the link still works
    thanks = client.post(url, {"level": "dissatisfied", "comments": "证书编号有误"}).text
    assert "已收到您的评价：不满意" in thanks and "证书编号有误" in thanks
    assert "核实了解具体情况，并重新办理您的需求" in thanks
    assert need.sheet.tracking_number in thanks
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_VERIFICATION


def test_positive_thanks_page_is_unchanged(client, drive):
    drive(Status.AWAITING_EVALUATION)
    url = reverse("needs:evaluate_public", args=[_token()])
    thanks = client.post(url, {"level": "satisfied", "comments": ""}).text
    assert "感谢您的评价" in thanks and "重新办理" not in thanks


def test_api_requires_the_reason(drive):
    need = drive(Status.AWAITING_EVALUATION)
    api = APIClient()
    body = {"token": _token(), "level": "dissatisfied", "comments": ""}
    refused = api.post(reverse("api:portal-evaluate"), body, format="json")
    assert refused.status_code == 400
    assert "评价为“不满意”时，请填写不满意的原因。" in str(refused.json())
    body["comments"] = "没有解决问题"
    answered = api.post(reverse("api:portal-evaluate"), body, format="json")
    assert answered.status_code == 200 and "重新办理" in answered.json()["detail"]
    assert Need.objects.get(pk=need.pk).status == Status.AWAITING_VERIFICATION


# --- 4. re-dispatch to another section or department after 核实 -------------------------------


# DB1405 §6.5.2
def test_redispatch_to_another_section_starts_round_two(
    drive, chief_a, handler, quality_section, quality_handler, metrology_section
):
    need = drive(Status.AWAITING_VERIFICATION)
    need = need_redispatch(
        need=need,
        actor=chief_a,
        note="属计量器具外观质量问题，改由质量发展科处理",
        lead_section=quality_section,
    )
    assert need.status == Status.DISPATCHED and need.round == 2
    assert need.lead_section == quality_section and need.responsible_person is None
    assert need.result == "" and need.outcome == ""
    assert quality_handler.notifications.filter(kind="dispatch").exists()
    # The new section must accept it; the old one no longer holds it.
    with pytest.raises(TransitionRefused, match="牵头科室"):
        need_accept_task(need=need, actor=handler)
    need = need_accept_task(need=need, actor=quality_handler)
    need_add_step(need=need, actor=quality_handler, description="上门查看外观")
    need = need_complete(need=need, actor=quality_handler, outcome="met", result="已协调厂家更换")
    rounds = handling_rounds(need)
    assert [r.number for r in rounds] == [1, 2]
    assert rounds[0].handled_by.startswith(metrology_section.name)
    assert rounds[0].result == "已完成检定并出具证书" and rounds[0].dissatisfied
    assert rounds[0].verification.action == "redispatch"
    assert rounds[1].handled_by == f"质量发展科 {quality_handler.display_name}"
    assert rounds[1].result == "已协调厂家更换"
    assert [text for _, text in rounds[1].steps] == ["上门查看外观"]
    assert need.events.get(action="redispatch").round == 1


def test_redispatch_is_refused_to_the_wrong_people_and_places(
    drive, staff_a, chief_a, metrology_section, tax_department, quality_section
):
    need = drive(Status.AWAITING_VERIFICATION, path="simple")
    with pytest.raises(TransitionForbidden, match="站长/副站长"):
        need_redispatch(need=need, actor=staff_a, note="x", lead_section=quality_section)
    need = drive(Status.AWAITING_VERIFICATION)
    with pytest.raises(TransitionRefused, match="请填写核实情况"):
        need_redispatch(need=need, actor=chief_a, note=" ", lead_section=quality_section)
    with pytest.raises(TransitionRefused, match="上一轮已由计量科办理"):
        need_redispatch(need=need, actor=chief_a, note="x", lead_section=metrology_section)
    with pytest.raises(TransitionRefused, match="市场监管科室"):
        need_redispatch(need=need, actor=chief_a, note="x", lead_section=tax_department)
    fresh = Need.objects.get(pk=need.pk)
    assert fresh.status == Status.AWAITING_VERIFICATION and fresh.round == 1


def test_reliaise_to_another_department(drive, chief_a, tax_department):
    need = drive(Status.AWAITING_VERIFICATION)
    with pytest.raises(TransitionRefused, match="协助企业的方式"):
        need_reliaise(
            need=need,
            actor=chief_a,
            note="x",
            department=tax_department,
            department_contact="",
            assistance=" ",
        )
    need = need_reliaise(
        need=need,
        actor=chief_a,
        note="实为税收优惠问题",
        department=tax_department,
        department_contact="李科长 0356-2220000",
        assistance="陪同企业到税务局窗口办理",
    )
    assert need.status == Status.LIAISING and need.round == 2
    assert need.lead_section is None and need.department == tax_department
    assert need.scope == "other_department"


def test_verify_panel_offers_redispatch_to_the_chief_only(
    client_for, drive, chief_a, staff_a, quality_section
):
    need = drive(Status.AWAITING_VERIFICATION, path="simple")
    staff_page = client_for(staff_a).get(reverse("needs:detail", args=[need.pk])).text
    assert "由原办理人员重新办理" in staff_page and "改派其他科室办理" not in staff_page
    chief = client_for(chief_a)
    chief_page = chief.get(reverse("needs:detail", args=[need.pk])).text
    assert "改派其他科室办理" in chief_page and "改由其他部门办理" in chief_page
    url = reverse("needs:act", args=[need.pk, "verify"])
    missing = chief.post(
        url,
        {
            "verify-decision": "redispatch",
            "verify-note": "改派",
            "verify-handling_mode": "independent",
        },
        follow=True,
    )
    assert "改派其他科室时，请选择牵头科室" in missing.text
    assert Need.objects.get(pk=need.pk).round == 1
    response = chief.post(
        url,
        {
            "verify-decision": "redispatch",
            "verify-note": "改派",
            "verify-handling_mode": "independent",
            "verify-lead_section": quality_section.pk,
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("needs:detail", args=[need.pk])
    need.refresh_from_db()
    assert need.status == Status.DISPATCHED and need.lead_section == quality_section


def test_return_after_redispatch_counts_from_the_redispatch(
    drive, chief_a, quality_section, quality_handler
):
    need = drive(Status.AWAITING_VERIFICATION)
    need = need_redispatch(need=need, actor=chief_a, note="改派", lead_section=quality_section)
    need = need_return_task(need=need, actor=quality_handler, reason="不属本科室")
    assert need.status == Status.AWAITING_DISPATCH and need.round == 2


# --- 5. Appendix C shows every round ----------------------------------------------------------


def _two_rounds(drive, chief_a, handler, quality_section, quality_handler, staff_a):
    need = drive(Status.IN_PROGRESS)
    need_add_step(need=need, actor=handler, description="电话联系企业，约定上门")
    need = need_complete(need=need, actor=handler, outcome="met", result="已出具证书")
    need = need_evaluate(
        need=need, actor=staff_a, level="dissatisfied", comments="证书出厂编号有误"
    )
    need = need_redispatch(
        need=need, actor=chief_a, note="核实属实，改派质量发展科", lead_section=quality_section
    )
    need = need_accept_task(need=need, actor=quality_handler)
    need_add_step(need=need, actor=quality_handler, description="协调厂家重新出具")
    return need_complete(need=need, actor=quality_handler, outcome="met", result="已更正证书并送达")


EXPECTED = [
    "第1轮（计量科",
    "电话联系企业，约定上门",
    "结果：已出具证书（需求满足（办结））",
    "企业评价：不满意——证书出厂编号有误",
    "核实（",
    "核实属实，改派质量发展科（改派其他科室办理）",
    "第2轮（质量发展科",
    "协调厂家重新出具",
    "结果：已更正证书并送达",
]


def _in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, (part, text)
        position = found + len(part)


def test_tracking_sheet_lists_every_round(
    client_for, drive, chief_a, handler, quality_section, quality_handler, staff_a
):
    need = _two_rounds(drive, chief_a, handler, quality_section, quality_handler, staff_a)
    _in_order(handling_text(need), EXPECTED)
    _in_order(sheet_data(need.sheet, [need]).rows[0][5], EXPECTED)
    client = client_for(chief_a)
    screen = client.get(reverse("needs:sheet", args=[need.sheet_id])).text
    _in_order(screen, EXPECTED)
    docx = client.get(reverse("documents:sheet_document", args=[need.sheet_id, "docx"]))
    cells = [
        c.text for t in Document(io.BytesIO(docx.content)).tables for r in t.rows for c in r.cells
    ]
    _in_order("\n".join(cells), EXPECTED)
    pdf = client.get(reverse("documents:sheet_document", args=[need.sheet_id, "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    _in_order(re.sub(r"\s+", "", text), [re.sub(r"\s+", "", p) for p in EXPECTED])


def test_need_page_shows_round_one_beside_round_two(
    client_for, drive, chief_a, handler, quality_section, quality_handler, staff_a
):
    need = _two_rounds(drive, chief_a, handler, quality_section, quality_handler, staff_a)
    page = client_for(chief_a).get(reverse("needs:detail", args=[need.pk])).text
    past = page.split('data-testid="past-rounds"')[1].split("</ul>\n    </div>")[0]
    _in_order(past, ["第 1 轮", "计量科", "已出具证书", "证书出厂编号有误", "核实属实"])
    assert "已更正证书并送达" not in past  # round 2 is the need's own handling, above


def test_single_round_sheet_shows_steps_and_result(drive, handler):
    need = drive(Status.IN_PROGRESS)
    need_add_step(need=need, actor=handler, description="现场检定")
    need = need_complete(need=need, actor=handler, outcome="met", result="已出证")
    text = handling_text(need)
    assert "第1轮" not in text
    _in_order(text, ["现场检定", "结果：已出证"])
