"""Every arrow of the §6.1 flow, every refused transition and every wrong role."""

import datetime

import pytest

from hqzt.core import clock
from hqzt.needs.models import Evaluation, Need, NeedEvent, Scope
from hqzt.needs.services.archive import need_archive
from hqzt.needs.services.evaluation import need_evaluate, need_verify
from hqzt.needs.services.extensions import extension_request
from hqzt.needs.services.handling import need_add_step, need_complete
from hqzt.needs.services.identification import (
    need_accept_task,
    need_dispatch,
    need_identify,
    need_return_task,
)
from hqzt.needs.services.registration import (
    NeedItem,
    need_accept_intake,
    need_reject_intake,
    need_submit,
)
from hqzt.needs.states import TRANSITIONS, Status
from hqzt.needs.workflow import TransitionRefused, need_transition

pytestmark = pytest.mark.django_db


def _unchanged(need: Need, events_before: int) -> None:
    fresh = Need.objects.get(pk=need.pk)
    assert fresh.status == need.status
    assert NeedEvent.objects.filter(need=need).count() == events_before


# --- the arrows --------------------------------------------------------------------------------


# DB1405 §5.4.3
def test_registration_makes_the_registering_staff_first_contact(register, staff_a):
    need = register()[0]
    assert need.status == Status.REGISTERED
    assert need.first_contact == staff_a
    assert need.answer_due_on and need.complete_due_on and need.due_stage == "complete"
    assert need.events.get().action == "register"


def test_needs_raised_together_share_one_sheet(register):
    needs = register(3)
    assert len({n.sheet_id for n in needs}) == 1
    assert [n.row_number for n in needs] == [1, 2, 3]


# DB1405 §6.3.1 a
def test_simple_need_is_handled_by_the_first_contact(drive, staff_a):
    need = drive(Status.FIRST_CONTACT_HANDLING, path="simple")
    assert need.dispatched_by == staff_a and need.handling_mode == "independent"
    need = need_complete(need=need, actor=staff_a, outcome="met", result="已解答")
    assert need.status == Status.AWAITING_EVALUATION


# DB1405 §6.3.1 a
def test_coordinated_need_goes_to_the_chief_then_the_section(
    drive, chief_a, handler, metrology_section
):
    need = drive(Status.AWAITING_DISPATCH)
    assert need.due_stage == "complete"
    need = need_dispatch(
        need=need, actor=chief_a, handling_mode="independent", lead_section=metrology_section
    )
    assert need.status == Status.DISPATCHED and need.due_stage == "accept"
    assert handler.notifications.filter(kind="dispatch").exists()
    need = need_accept_task(need=need, actor=handler)
    assert need.status == Status.IN_PROGRESS and need.responsible_person == handler
    need = need_complete(
        need=need,
        actor=handler,
        outcome="unmet",
        result="经检测不符合",
        handling_opinion="建议整改后复检",
    )
    assert need.status == Status.AWAITING_EVALUATION and need.due_stage == "evaluate"
    # §6.4.3: completion is reported back to whoever dispatched it.
    assert chief_a.notifications.filter(kind="completed").exists()


# DB1405 §6.4.1
def test_joint_handling_needs_a_co_section(drive, chief_a, metrology_section):
    need = drive(Status.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused, match="协办科室"):
        need_dispatch(
            need=need, actor=chief_a, handling_mode="joint", lead_section=metrology_section
        )


# DB1405 §6.3.1 b
def test_other_department_need_is_liaised_by_the_chief(drive, chief_a):
    need = drive(Status.LIAISING, path="other")
    assert need.scope == Scope.OTHER_DEPARTMENT
    assert need.department.name == "市税务局" and need.assistance
    need = need_complete(need=need, actor=chief_a, outcome="met", result="已协调办理")
    assert need.status == Status.AWAITING_EVALUATION


def test_section_returns_a_wrongly_routed_task(drive, handler, chief_a):
    need = drive(Status.DISPATCHED)
    need = need_return_task(need=need, actor=handler, reason="不属于计量科职责")
    assert need.status == Status.AWAITING_DISPATCH and need.lead_section is None
    assert chief_a.notifications.filter(kind="return").exists()
    with pytest.raises(TransitionRefused, match="回退理由"):
        need_return_task(need=drive(Status.DISPATCHED), actor=handler, reason=" ")


# DB1405 §6.5.1
def test_positive_evaluation_then_archive(drive, staff_a, metrology):
    need = drive(Status.AWAITING_ARCHIVE)
    assert need.evaluations.get().level == "satisfied"
    need = need_archive(need=need, actor=staff_a)
    assert need.status == Status.ARCHIVED and need.archive_category == metrology
    assert need.due_on is None


# DB1405 §6.5.2
def test_dissatisfaction_rehandling_and_escalation(drive, chief_a, handler, supervisor, staff_a):
    need = drive(Status.AWAITING_VERIFICATION)
    assert not need.escalated
    need = need_verify(need=need, actor=chief_a, rehandle=True, note="企业要求加急")
    assert need.status == Status.IN_PROGRESS and need.round == 2
    need = need_complete(need=need, actor=handler, outcome="met", result="已加急出具")
    need = need_evaluate(need=need, actor=staff_a, level="dissatisfied", comments="仍不满意")
    assert need.status == Status.AWAITING_VERIFICATION and need.escalated
    assert supervisor.notifications.filter(kind="escalated").exists()
    # The supervisor may now verify; they close it with the explanation recorded.
    need = need_verify(need=need, actor=supervisor, rehandle=False, note="已当面解释")
    assert need.status == Status.AWAITING_ARCHIVE
    assert list(need.evaluations.values_list("round", flat=True)) == [1, 2]


def test_rehandling_returns_to_the_path_the_need_took(drive, staff_a, chief_a):
    need = drive(Status.AWAITING_VERIFICATION, path="simple")
    need = need_verify(need=need, actor=staff_a, rehandle=True, note="重新解答")
    assert need.status == Status.FIRST_CONTACT_HANDLING
    need = drive(Status.AWAITING_VERIFICATION, path="other")
    need = need_verify(need=need, actor=chief_a, rehandle=True, note="再次协调")
    assert need.status == Status.LIAISING


def test_enterprise_submission_waits_for_acceptance(station_a, enterprise_a, metrology, staff_a):
    from hqzt.needs.models import Channel

    sheet = need_submit(
        station=station_a,
        enterprise=enterprise_a,
        contact_name="王经理",
        contact_phone="13812345678",
        channel=Channel.objects.get(code="portal"),
        items=[NeedItem(need_type=metrology, content="咨询计量器具检定")],
    )
    need = sheet.needs.get()
    assert need.status == Status.PENDING_ACCEPTANCE and need.first_contact is None
    assert sheet.tracking_number  # the receipt carries the number at once
    need = need_accept_intake(need=need, actor=staff_a)
    assert need.status == Status.REGISTERED and need.first_contact == staff_a
    other = need_submit(
        station=station_a,
        enterprise=enterprise_a,
        contact_name="王经理",
        contact_phone="13812345678",
        channel=Channel.objects.get(code="portal"),
        items=[NeedItem(need_type=metrology, content="重复提交")],
    ).needs.get()
    other = need_reject_intake(need=other, actor=staff_a, reason="与上一条重复")
    assert other.status == Status.REJECTED


# DB1405 §5.4.4
def test_untrained_staff_cannot_be_first_contact(register, staff_a):
    membership = staff_a.station_memberships.get()
    membership.onboarding_trained_on = None
    membership.save()
    with pytest.raises(TransitionRefused, match="上岗培训"):
        register()
    assert not Need.objects.exists()


def test_staff_of_another_station_cannot_register_here(register, staff_b):
    with pytest.raises(TransitionRefused, match="本站在岗工作人员"):
        register(actor=staff_b)


# --- refusals: wrong state and wrong role ------------------------------------------------------


# Where the usual path leaves a need in each state (see conftest.drive).
STATE_PATH = {status: "section" for status in Status} | {
    Status.FIRST_CONTACT_HANDLING: "simple",
    Status.LIAISING: "other",
}
ILLEGAL = [
    (status, action)
    for status in Status
    for action in sorted({t.action for t in TRANSITIONS})
    if not any(t.action == action and t.source == status for t in TRANSITIONS)
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=str)
def test_every_illegal_transition_is_refused_and_changes_nothing(drive, chief_a, status, action):
    need = drive(status, path=STATE_PATH[status])
    assert need.status == status
    before = need.events.count()
    with pytest.raises(TransitionRefused, match="不能执行"):
        need_transition(need=need, action=action, actor=chief_a)
    _unchanged(need, before)


def test_a_section_may_also_return_a_task_it_accepted_within_the_limit(drive, handler):
    need = drive(Status.IN_PROGRESS)
    need = need_return_task(need=need, actor=handler, reason="实为标准化事项")
    assert need.status == Status.AWAITING_DISPATCH


def test_return_after_the_limit_is_refused(drive, handler):
    need = drive(Status.IN_PROGRESS)
    later = clock.now() + datetime.timedelta(days=14)
    with clock.travel(later), pytest.raises(TransitionRefused, match="已超过回退时限"):
        need_return_task(need=need, actor=handler, reason="太晚了")
    assert Need.objects.get(pk=need.pk).status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("state", "path", "action", "persona"),
    [
        (Status.REGISTERED, "section", "identify", "handler"),
        (Status.REGISTERED, "section", "identify", "staff_b"),
        (Status.AWAITING_DISPATCH, "section", "dispatch", "staff_a"),
        (Status.AWAITING_DISPATCH, "section", "dispatch", "handler"),
        (Status.AWAITING_DISPATCH, "section", "dispatch", "supervisor"),
        (Status.DISPATCHED, "section", "accept_task", "chief_a"),
        (Status.DISPATCHED, "section", "accept_task", "other_handler"),
        (Status.IN_PROGRESS, "section", "complete", "staff_a"),
        (Status.IN_PROGRESS, "section", "complete", "chief_a"),
        (Status.FIRST_CONTACT_HANDLING, "simple", "complete", "handler"),
        (Status.AWAITING_EVALUATION, "section", "evaluate", "handler"),
        (Status.AWAITING_VERIFICATION, "section", "verify", "handler"),
        (Status.AWAITING_VERIFICATION, "section", "verify", "supervisor"),  # not escalated
        (Status.AWAITING_ARCHIVE, "section", "archive", "handler"),
    ],
)
def test_wrong_people_are_refused_and_nothing_changes(
    drive, request, state, path, action, persona, metrology_section
):
    need = drive(state, path=path)
    if persona == "other_handler":
        from hqzt.accounts.tests.factories import UserFactory
        from hqzt.org.models import Section

        actor = UserFactory(role="section_handler")
        actor.sections.add(Section.objects.get(name="标准化科"))
    else:
        actor = request.getfixturevalue(persona)
    before = need.events.count()
    calls = {
        "identify": lambda: need_identify(
            need=need, actor=actor, scope="market_regulation", complexity="simple"
        ),
        "dispatch": lambda: need_dispatch(
            need=need, actor=actor, handling_mode="independent", lead_section=metrology_section
        ),
        "accept_task": lambda: need_accept_task(need=need, actor=actor),
        "complete": lambda: need_complete(need=need, actor=actor, outcome="met", result="完成"),
        "evaluate": lambda: need_evaluate(need=need, actor=actor, level="satisfied"),
        "verify": lambda: need_verify(need=need, actor=actor, rehandle=True, note="x"),
        "archive": lambda: need_archive(need=need, actor=actor),
    }
    with pytest.raises(TransitionRefused):
        calls[action]()
    _unchanged(need, before)


def test_bad_step_input_is_refused_in_chinese(drive, staff_a, chief_a, handler):
    need = drive(Status.REGISTERED)
    with pytest.raises(TransitionRefused, match="请选择“简单易行”或“需要协调”"):
        need_identify(need=need, actor=staff_a, scope="market_regulation")
    with pytest.raises(TransitionRefused, match="职能范围"):
        need_identify(need=need, actor=staff_a, scope="")
    need = drive(Status.IN_PROGRESS)
    with pytest.raises(TransitionRefused, match="处理意见"):
        need_complete(need=need, actor=handler, outcome="unmet", result="未能满足")
    need = drive(Status.AWAITING_EVALUATION)
    with pytest.raises(TransitionRefused, match="不满意的原因"):
        need_evaluate(need=need, actor=staff_a, level="dissatisfied")
    assert not Evaluation.objects.filter(need=need).exists()


def test_status_cannot_be_changed_by_saving_the_row(register):
    need = register()[0]
    need.status = Status.ARCHIVED
    with pytest.raises(RuntimeError):
        need.save()
    assert Need.objects.get(pk=need.pk).status == Status.REGISTERED


def test_every_transition_is_recorded_with_before_and_after(drive):
    need = drive(Status.IN_PROGRESS)
    actions = list(need.events.values_list("action", flat=True))
    assert actions == ["register", "identify_coordinated", "dispatch", "accept_task"]
    dispatch = need.events.get(action="dispatch")
    changes = {c["field"]: c for c in dispatch.data["changes"]}
    assert changes["status"]["before"] == "待站长分发"
    assert changes["status"]["after"] == "待科室签收"
    assert changes["lead_section"]["after"] == "计量科"


@pytest.mark.parametrize("persona", ["staff_a", "supervisor", "staff_b"])
def test_only_the_handlers_record_steps_and_ask_for_extensions(drive, request, persona):
    need = drive(Status.IN_PROGRESS)
    actor = request.getfixturevalue(persona)
    with pytest.raises(TransitionRefused, match="只有该需求的办理人员"):
        need_add_step(need=need, actor=actor, description="越权记录")
    with pytest.raises(TransitionRefused, match="只有该需求的办理人员"):
        extension_request(need=need, actor=actor, working_days=2, reason="越权")
    assert not need.steps.exists() and not need.extensions.exists()


def test_history_cannot_be_edited_in_the_admin(client_for, admin_user, drive):
    from django.urls import reverse

    from hqzt.audit.models import AuditEvent

    drive(Status.REGISTERED)
    client = client_for(admin_user)
    from hqzt.audit.services import audit_record

    event = audit_record(actor=admin_user, action="update", object_type="x", object_id="1")
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    response = client.post(url, {"action": "delete"})
    assert response.status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, action="update").exists()


# DB1405 §5.3 c
def test_need_types_are_the_standards_services():
    """§5.3 c lists the quality and technical services a station provides; each is a need type."""
    from hqzt.needs.models import NeedType

    services = {"计量", "标准化", "检验检测", "认证认可", "特种设备检验", "产品质量安全"}
    services |= {"品牌培育创建", "知识产权", "企业信用"}
    assert services <= set(NeedType.objects.filter(is_active=True).values_list("name", flat=True))
