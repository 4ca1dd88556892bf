"""§6.3 and §6.4.1: the need is identified (scope, complexity) and routed: handled by the first
contact, dispatched to a lead section (which signs for it or returns it), or liaised with another
department."""

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.intake import services as intake
from hqzt.needs import deadlines
from hqzt.needs.models import (
    Complexity,
    HandlingMode,
    Need,
    Scope,
)
from hqzt.needs.states import Stage
from hqzt.needs.workflow import TransitionRefused, need_transition
from hqzt.org.models import Section


# DB1405 §6.3.1 a
def need_identify(*, need: Need, actor: User, scope: str, complexity: str = "") -> Need:
    """§6.3.1: classify the need; this decides who handles it."""
    if scope == Scope.MARKET_REGULATION:
        if complexity not in Complexity.values:
            raise TransitionRefused("市场监管职能范围内的需求，请选择“简单易行”或“需要协调”。")
        action = "identify_simple" if complexity == Complexity.SIMPLE else "identify_coordinated"
    elif scope == Scope.OTHER_DEPARTMENT:
        action, complexity = "identify_other_department", ""
    else:
        raise TransitionRefused("请选择需求所属的职能范围。")

    def apply(n: Need) -> None:
        n.scope, n.complexity = scope, complexity
        if action == "identify_simple":
            n.dispatched_by = actor
            n.handling_mode = HandlingMode.INDEPENDENT
            n.started_at = clock.now()

    need = need_transition(need=need, action=action, actor=actor, apply=apply)
    intake.record_identification(need, actor)
    return need


# DB1405 §6.3.1 a §6.4.1
def need_dispatch(
    *,
    need: Need,
    actor: User,
    handling_mode: str,
    lead_section: Section,
    co_sections: list[Section] | None = None,
    note: str = "",
) -> Need:
    """The chief assigns a coordinated market-regulation need to a lead section (§6.3.1 a)."""
    co_sections = [s for s in (co_sections or []) if s.pk != lead_section.pk]
    if handling_mode not in HandlingMode.values:
        raise TransitionRefused("请选择办理方式。")
    if handling_mode == HandlingMode.JOINT and not co_sections:
        raise TransitionRefused("共同办理请至少选择一个协办科室。")
    if not lead_section.is_active:
        raise TransitionRefused("所选牵头科室已停用。")

    def apply(n: Need) -> None:
        if n.scope != Scope.MARKET_REGULATION:
            raise TransitionRefused("属于其他部门职能范围的需求，请使用“联络相关部门”。")
        n.handling_mode = handling_mode
        n.lead_section = lead_section
        n.responsible_person = None
        n.dispatched_by = actor
        n.co_sections.set(co_sections)

    need = need_transition(need=need, action="dispatch", actor=actor, apply=apply, note=note)
    intake.record_lead(need, actor, departments=False)
    return need


# DB1405 §6.3.1 b
def need_liaise(
    *, need: Need, actor: User, department: Section, department_contact: str, assistance: str
) -> Need:
    """§6.3.1 b: the chief liaises with the responsible department and helps the enterprise."""
    if not assistance.strip():
        raise TransitionRefused("请填写服务站协助企业的方式。")

    def apply(n: Need) -> None:
        if n.scope != Scope.OTHER_DEPARTMENT:
            raise TransitionRefused("市场监管职能范围内的需求，请分发给牵头科室。")
        n.department = department
        n.department_contact = department_contact
        n.assistance = assistance
        n.dispatched_by = actor
        n.handling_mode = HandlingMode.COORDINATED
        n.started_at = clock.now()

    need = need_transition(need=need, action="liaise", actor=actor, apply=apply)
    intake.record_lead(need, actor, departments=True)
    return need


def need_accept_task(*, need: Need, actor: User, responsible_person: User | None = None) -> Need:
    """签收: the lead section takes the task and names the responsible person."""
    person = responsible_person or actor
    if not person.sections.filter(pk=need.lead_section_id).exists():
        raise TransitionRefused("责任人须为牵头科室的人员。")

    def apply(n: Need) -> None:
        n.responsible_person = person
        n.started_at = n.started_at or clock.now()

    return need_transition(need=need, action="accept_task", actor=actor, apply=apply)


def need_return_task(*, need: Need, actor: User, reason: str) -> Need:
    """回退: a wrongly routed task goes back to the chief, with a reason, within the limit."""
    if not reason.strip():
        raise TransitionRefused("请填写回退理由。")
    if not deadlines.return_allowed(need):
        raise TransitionRefused(
            f"已超过回退时限（分发后{deadlines.working_days(Stage.RETURN)}个工作日），"
            "请继续办理，或与站长沟通协调。"
        )

    def apply(n: Need) -> None:
        n.lead_section = None
        n.responsible_person = None
        n.co_sections.clear()

    return need_transition(need=need, action="return_task", actor=actor, apply=apply, note=reason)
