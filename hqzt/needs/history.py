"""A need's handling round by round (§6.4–§6.5, Appendix C 处理过程及结果).

A 不满意 that is verified and handled again starts a new round (Need.round); each NeedEvent and
HandlingStep carries the round it was taken in, and a completion event keeps the result as it stood
then. So every round can be told apart: who handled it, its steps, its result or handling opinion,
the enterprise's evaluation, and the verification note that closed it.
"""

from dataclasses import dataclass, field
from datetime import datetime

from hqzt.core import clock
from hqzt.needs.models import Evaluation, EvaluationLevel, Need, NeedEvent, Outcome

VERIFICATION_ACTIONS = ("rehandle", "redispatch", "reliaise", "close_after_verification")
HANDOVER_ACTIONS = ("identify_simple", "dispatch", "liaise", "accept_task", *VERIFICATION_ACTIONS)


@dataclass
class Round:
    number: int
    handled_by: str = ""
    steps: list[tuple[datetime, str]] = field(default_factory=list)
    outcome: str = ""
    result: str = ""
    handling_opinion: str = ""
    completed_at: datetime | None = None
    evaluation: Evaluation | None = None
    verification: NeedEvent | None = None
    current: bool = False

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label if self.outcome in Outcome.values else ""

    @property
    def dissatisfied(self) -> bool:
        return bool(self.evaluation and self.evaluation.level == EvaluationLevel.DISSATISFIED)


def _after(event: NeedEvent, name: str) -> str:
    """A field's value after the event (as the history wrote it), for completions recorded
    before each round kept its own result."""
    for change in (event.data or {}).get("changes", []):
        if isinstance(change, dict) and change.get("field") == name:
            return change.get("after", "")
    return ""


def _outcome_value(text: str) -> str:
    """The history writes choices by their label; rounds keep the value."""
    labels = {label: value for value, label in Outcome.choices}
    return labels.get(text, text)


def handled_by(need: Need) -> str:
    """Who handles the need in its current round, as Appendix C names them."""
    if need.lead_section_id:
        person = need.responsible_person
        return need.lead_section.name + (f" {person.display_name}" if person else "")
    if need.department_id:
        return f"{need.department.name}（服务站协调）"
    person = need.first_contact
    return f"首位工作人员 {person.display_name}" if person else ""


def handling_rounds(need: Need) -> list[Round]:
    """Every round of the need, oldest first; the last one is the current round."""
    rounds = {n: Round(number=n, current=n == need.round) for n in range(1, need.round + 1)}
    for step in need.steps.order_by("at", "id"):
        rounds.setdefault(step.round, Round(number=step.round)).steps.append(
            (step.at, step.description)
        )
    for evaluation in need.evaluations.all():
        if evaluation.round in rounds:
            rounds[evaluation.round].evaluation = evaluation
    events = need.events.filter(action__in=("complete", *HANDOVER_ACTIONS)).select_related("actor")
    for event in events.order_by("at", "id"):
        one = rounds.get(event.round)
        if one is None:
            continue
        data = event.data or {}
        if event.action == "complete":
            one.completed_at = event.at
            one.outcome = data.get("outcome", _outcome_value(_after(event, "outcome")))
            one.result = data.get("result", _after(event, "result"))
            one.handling_opinion = data.get("handling_opinion", _after(event, "handling_opinion"))
            one.handled_by = data.get("handled_by", one.handled_by)
        elif event.action in VERIFICATION_ACTIONS:
            one.verification = event
    current = rounds[need.round]
    current.handled_by = current.handled_by or handled_by(need)
    if current.completed_at is None and need.result:  # imported, or completed before rounds
        current.result, current.outcome = need.result, need.outcome
        current.handling_opinion = need.handling_opinion
    return [rounds[n] for n in sorted(rounds)]


def _verification_line(event: NeedEvent) -> str:
    label = {
        "rehandle": "重新办理",
        "redispatch": "改派其他科室办理",
        "reliaise": "改由其他部门办理",
        "close_after_verification": "说明情况后结束",
    }[event.action]
    return f"核实（{clock.stamp(event.at, '%Y-%m-%d')}）：{event.note}（{label}）"


def round_lines(one: Round) -> list[str]:
    """What Appendix C's 处理过程及结果 says of one round."""
    lines = [f"{clock.stamp(at, '%Y-%m-%d')} {text}" for at, text in one.steps]
    if one.result:
        lines.append(f"结果：{one.result}" + (f"（{one.outcome_label}）" if one.outcome else ""))
    if one.handling_opinion:
        lines.append(f"处理意见：{one.handling_opinion}")
    if one.dissatisfied:
        reason = f"——{one.evaluation.comments}" if one.evaluation.comments else ""
        lines.append(f"企业评价：{one.evaluation.get_level_display()}{reason}")
    if one.verification:
        lines.append(_verification_line(one.verification))
    return lines


def handling_text(need: Need) -> str:
    """处理过程及结果 for the tracking sheet: every round's steps and result, the 不满意 with its
    reason and the verification note — not only the final result."""
    rounds = handling_rounds(need)
    if len(rounds) == 1:
        return "\n".join(round_lines(rounds[0]))
    blocks = []
    for one in rounds:
        who = f"（{one.handled_by}）" if one.handled_by else ""
        blocks.append("\n".join([f"第{one.number}轮{who}", *round_lines(one)]))
    return "\n".join(blocks)
