"""§6.4: handling — who may act on a need being handled, steps of 处理过程, completion (§6.4.2,
§6.4.3), and 催办 by the chief or a supervisor."""

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.workdays import workdays_between
from hqzt.needs.announcements import announce_reminder, current_holders
from hqzt.needs.history import handled_by
from hqzt.needs.models import (
    HandlingStep,
    Need,
    Outcome,
)
from hqzt.needs.selectors import Standing, actor_roles, co_handles
from hqzt.needs.services.evaluation import need_invite_evaluation
from hqzt.needs.states import HANDLING_STATES, Actor, Status
from hqzt.needs.workflow import TransitionRefused, lock_need, need_transition, record_event


def handling_actor_ok(actor: User, need: Need, standing: Standing | None = None) -> bool:
    """Who records steps and asks for extensions: the lead (or co-handling) section while a
    section handles the need, else its first contact or the station's chief/deputy."""
    roles = actor_roles(actor, need, standing)
    if need.status == Status.IN_PROGRESS:
        return Actor.LEAD_SECTION in roles or co_handles(actor, need, standing)
    return bool(roles & {Actor.FIRST_CONTACT, Actor.STATION_LEAD})


def lock_for_handler(need: Need, actor: User, doing: str) -> Need:
    """Lock a need that is being handled and check that `actor` is one of its handlers."""
    locked = lock_need(need)
    if locked.status not in HANDLING_STATES:
        raise TransitionRefused(f"只有办理中的需求可以{doing}。")
    if not handling_actor_ok(actor, locked):
        raise TransitionRefused(f"只有该需求的办理人员可以{doing}。")
    return locked


@transaction.atomic
def need_add_step(
    *, need: Need, actor: User, description: str, answered_enterprise: bool = False
) -> HandlingStep:
    """A step of 处理过程 on the tracking row; 'answered' starts the enterprise's clock."""
    locked = lock_for_handler(need, actor, "记录处理过程")
    if not description.strip():
        raise TransitionRefused("请填写处理过程。")
    step = HandlingStep.objects.create(
        need=locked,
        actor=actor,
        description=description,
        answered_enterprise=answered_enterprise,
        round=locked.round,
    )
    if answered_enterprise and locked.first_answered_at is None:
        locked.first_answered_at = clock.now()
        locked.answer_due_on = None
        locked.save()
    record_event(need=locked, actor=actor, action="step", note=description, public=False)
    return step


# DB1405 §6.4.2 §6.4.3
@transaction.atomic
def need_complete(
    *,
    need: Need,
    actor: User,
    outcome: str,
    result: str,
    handling_opinion: str = "",
    remarks: str = "",
) -> Need:
    """§6.4.2: met → 办结; not met → the sections' handling opinion, told to the enterprise.
    Either way the handler reports back (§6.4.3) and evaluation is invited."""
    if outcome not in Outcome.values:
        raise TransitionRefused("请选择办理结果。")
    if not result.strip():
        raise TransitionRefused("请填写处理过程及结果。")
    if outcome == Outcome.UNMET and not handling_opinion.strip():
        raise TransitionRefused("需求未满足时，请填写分析研判后的处理意见。")

    def apply(n: Need) -> None:
        n.outcome, n.result, n.remarks = outcome, result, remarks
        n.handling_opinion = handling_opinion if outcome == Outcome.UNMET else ""
        n.ended_at = clock.now()
        n.handling_workdays = workdays_between(n.registered_on, clock.today())
        n.first_answered_at = n.first_answered_at or n.ended_at
        n.answer_due_on = None

    completed = need_transition(
        need=need,
        action="complete",
        actor=actor,
        apply=apply,
        data=lambda n: {
            "outcome": n.outcome,
            "result": n.result,
            "handling_opinion": n.handling_opinion,
            "handled_by": handled_by(n),
        },
    )
    need_invite_evaluation(need=completed, actor=actor, on_completion=True)
    return completed


@transaction.atomic
def need_remind(*, need: Need, actor: User, note: str = "") -> None:
    """催办 by the chief or a supervisor: the people holding the need are told to hurry."""
    locked = lock_need(need)
    if locked.status not in {
        Status.PENDING_ACCEPTANCE,
        Status.AWAITING_DISPATCH,
        Status.DISPATCHED,
        *HANDLING_STATES,
        Status.AWAITING_VERIFICATION,
    }:
        raise TransitionRefused("该需求当前无需催办。")
    if not (actor.is_supervisor or Actor.STATION_LEAD in actor_roles(actor, locked)):
        raise TransitionRefused("只有站长、副站长或上级单位可以催办。")
    announce_reminder(locked, current_holders(locked), overdue=False, note=note)
    record_event(need=locked, actor=actor, action="remind", note=note, public=False)
