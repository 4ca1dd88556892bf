"""The life of a need (§6.1 flow chart) as one explicit table.

States are `Status`; each row of TRANSITIONS says which action moves a need from which state to
which, and who may take it. hqzt.needs.workflow.need_transition is the only code that applies a
row; docs/need-states.md draws the same table (a test keeps the two in step).
"""

from dataclasses import dataclass

from django.db import models

from hqzt.audit.statemachine import Edge, Machine, register, register_page
from hqzt.audit.statemachine import Entry as MachineEntry


class Status(models.TextChoices):
    PENDING_ACCEPTANCE = "pending_acceptance", "待受理"
    REJECTED = "rejected", "不予受理"
    REGISTERED = "registered", "待识别"
    FIRST_CONTACT_HANDLING = "first_contact_handling", "首位人员办理中"
    AWAITING_DISPATCH = "awaiting_dispatch", "待站长分发"
    DISPATCHED = "dispatched", "待科室签收"
    IN_PROGRESS = "in_progress", "科室办理中"
    LIAISING = "liaising", "部门协调中"
    AWAITING_EVALUATION = "awaiting_evaluation", "待评价"
    AWAITING_VERIFICATION = "awaiting_verification", "不满意待核实"
    AWAITING_ARCHIVE = "awaiting_archive", "待归档"
    ARCHIVED = "archived", "已归档"


HANDLING_STATES = frozenset({Status.FIRST_CONTACT_HANDLING, Status.IN_PROGRESS, Status.LIAISING})
OPEN_STATES = frozenset(Status) - {Status.REJECTED, Status.ARCHIVED}
# Where no deadline runs any more (the overdue filters). A tuple in a fixed order: the partial
# overdue indexes carry this very list, and PostgreSQL uses one only for a query naming the same.
CLOSED_STATES = (Status.ARCHIVED, Status.REJECTED, Status.AWAITING_ARCHIVE)


class Stage(models.TextChoices):
    """Stages that carry a time limit (R-3.7)."""

    ACCEPT = "accept", "签收/受理"
    RETURN = "return", "回退"
    ANSWER = "answer", "答复"
    COMPLETE = "complete", "办结"
    EVALUATE = "evaluate", "评价"


class Actor(models.TextChoices):
    """Who may take a transition, relative to the need."""

    STATION_STAFF = "station_staff", "本站工作人员"
    STATION_LEAD = "station_lead", "本站站长/副站长"
    FIRST_CONTACT = "first_contact", "首位工作人员"
    LEAD_SECTION = "lead_section", "牵头科室人员"
    DISPATCHER = "dispatcher", "分发任务的人员"
    SUPERVISOR = "supervisor", "上级单位（已上报时）"
    ENTERPRISE = "enterprise", "企业（评价链接）"


@dataclass(frozen=True)
class Transition:
    action: str
    source: Status
    target: Status
    actors: frozenset[Actor]
    label: str


def _t(action: str, source: Status, target: Status, actors: set[Actor], label: str) -> Transition:
    return Transition(action, source, target, frozenset(actors), label)


S, A = Status, Actor
STAFF, LEAD, FIRST = A.STATION_STAFF, A.STATION_LEAD, A.FIRST_CONTACT

TRANSITIONS: list[Transition] = [
    # Intake (§6.2): an enterprise's own submission waits for a staff member.
    _t("accept_intake", S.PENDING_ACCEPTANCE, S.REGISTERED, {STAFF}, "受理登记"),
    _t("reject_intake", S.PENDING_ACCEPTANCE, S.REJECTED, {STAFF}, "不予受理"),
    # Identification (§6.3.1)
    _t(
        "identify_simple",
        S.REGISTERED,
        S.FIRST_CONTACT_HANDLING,
        {FIRST, LEAD},
        "简单易行，自行办理",
    ),
    _t(
        "identify_coordinated", S.REGISTERED, S.AWAITING_DISPATCH, {FIRST, LEAD}, "需要协调，报站长"
    ),
    _t(
        "identify_other_department",
        S.REGISTERED,
        S.AWAITING_DISPATCH,
        {FIRST, LEAD},
        "其他部门职能，报站长",
    ),
    # Dispatch by the chief (§6.3.1 a) or liaison with another department (§6.3.1 b)
    _t("dispatch", S.AWAITING_DISPATCH, S.DISPATCHED, {LEAD}, "分发任务"),
    _t("liaise", S.AWAITING_DISPATCH, S.LIAISING, {LEAD}, "联络相关部门"),
    _t("accept_task", S.DISPATCHED, S.IN_PROGRESS, {A.LEAD_SECTION}, "签收"),
    _t("return_task", S.DISPATCHED, S.AWAITING_DISPATCH, {A.LEAD_SECTION}, "回退"),
    _t("return_task", S.IN_PROGRESS, S.AWAITING_DISPATCH, {A.LEAD_SECTION}, "回退"),
    # Completion (§6.4.2–6.4.3), reported back to whoever dispatched the need
    _t("complete", S.FIRST_CONTACT_HANDLING, S.AWAITING_EVALUATION, {FIRST, LEAD}, "办理完毕"),
    _t("complete", S.IN_PROGRESS, S.AWAITING_EVALUATION, {A.LEAD_SECTION}, "办理完毕"),
    _t("complete", S.LIAISING, S.AWAITING_EVALUATION, {LEAD, FIRST}, "办理完毕"),
    # Evaluation (§6.5)
    _t(
        "evaluate_positive",
        S.AWAITING_EVALUATION,
        S.AWAITING_ARCHIVE,
        {FIRST, LEAD, A.ENTERPRISE},
        "评价：非常满意/满意/一般",
    ),
    _t(
        "evaluate_dissatisfied",
        S.AWAITING_EVALUATION,
        S.AWAITING_VERIFICATION,
        {FIRST, LEAD, A.ENTERPRISE},
        "评价：不满意",
    ),
    # Verification of dissatisfaction (§6.5.2): back to whoever handled it, or to another section
    # (it must be accepted again) or another department, as a new round; round 1 stays in the
    # history (NeedEvent.round, HandlingStep.round).
    _t(
        "rehandle",
        S.AWAITING_VERIFICATION,
        S.FIRST_CONTACT_HANDLING,
        {A.DISPATCHER, LEAD, A.SUPERVISOR},
        "核实后重新办理",
    ),
    _t(
        "rehandle",
        S.AWAITING_VERIFICATION,
        S.IN_PROGRESS,
        {A.DISPATCHER, LEAD, A.SUPERVISOR},
        "核实后重新办理",
    ),
    _t(
        "rehandle",
        S.AWAITING_VERIFICATION,
        S.LIAISING,
        {A.DISPATCHER, LEAD, A.SUPERVISOR},
        "核实后重新办理",
    ),
    _t(
        "redispatch",
        S.AWAITING_VERIFICATION,
        S.DISPATCHED,
        {LEAD, A.SUPERVISOR},
        "核实后改派其他科室",
    ),
    _t(
        "reliaise",
        S.AWAITING_VERIFICATION,
        S.LIAISING,
        {LEAD, A.SUPERVISOR},
        "核实后改由其他部门办理",
    ),
    _t(
        "close_after_verification",
        S.AWAITING_VERIFICATION,
        S.AWAITING_ARCHIVE,
        {A.DISPATCHER, LEAD, A.SUPERVISOR},
        "核实后说明情况并结束",
    ),
    # Records (§6.6.1)
    _t("archive", S.AWAITING_ARCHIVE, S.ARCHIVED, {FIRST, LEAD}, "分类归档"),
]


@dataclass(frozen=True)
class Entry:
    """How a need comes into the system, and the state it starts in."""

    action: str
    target: Status
    who: str
    label: str


# Every NeedEvent that opens a need's history is one of these (from_status "").
ENTRIES: list[Entry] = [
    Entry("submit", S.PENDING_ACCEPTANCE, "企业（门户、小程序、对接平台）", "企业自行提交"),
    Entry("register", S.REGISTERED, A.STATION_STAFF.label, "工作人员登记"),
    # A station's historical ledger (R-6.2, issue 14): still open, or finished and archived.
    Entry("import", S.REGISTERED, A.STATION_STAFF.label, "从历史台账导入，继续办理"),
    Entry("import", S.ARCHIVED, A.STATION_STAFF.label, "从历史台账导入已办结的记录"),
]


def entry_for(action: str, target: str) -> Entry:
    """The ENTRIES row a new need's first event follows; a missing one is a programming error."""
    for entry in ENTRIES:
        if entry.action == action and entry.target == target:
            return entry
    raise LookupError(f"no entry {action} → {target} in ENTRIES")


ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


# DB1405 §6.1
def transition_for(action: str, source: str, target: str | None = None) -> Transition | None:
    """The table row for `action` from `source` (and to `target` where an action has several)."""
    for t in TRANSITIONS:
        if t.action == action and t.source == source and (target is None or t.target == target):
            return t
    return None


def mermaid() -> str:
    """The state diagram drawn from TRANSITIONS (docs/need-states.md holds its output)."""
    lines = ["stateDiagram-v2"]
    for status in Status:
        lines.append(f"    {status.value}: {status.label}")
    for entry in ENTRIES:
        lines.append(f"    [*] --> {entry.target.value}: {entry.label}")
    seen = set()
    for t in TRANSITIONS:
        key = (t.source, t.target, t.label)
        if key in seen:
            continue
        seen.add(key)
        lines.append(f"    {t.source.value} --> {t.target.value}: {t.label}")
    lines.append("    archived --> [*]")
    lines.append("    rejected --> [*]")
    return "\n".join(lines)


# Labels of every NeedEvent action, transitions and the steps that do not change the state.
EVENT_LABELS = {
    **ACTION_LABELS,
    "register": "登记",
    "submit": "企业提交",
    "step": "记录处理过程",
    "attach": "上传附件",
    "import": "从历史台账导入",
    "link_policy": "关联政策",
    "showcase": "发布为典型案例",
    "invite_evaluation": "发送评价邀请",
    "remind": "催办",
    "supervise": "督办",
    "reminder": "到期提醒",
    "overdue": "超期通知",
    "extension_request": "申请延期",
    "extension_approved": "批准延期",
    "extension_rejected": "不批准延期",
}


def markdown() -> str:
    """docs/need-states.md: the diagram and the who-may-do-what table, both from TRANSITIONS."""
    entries = "\n".join(
        f"| {e.label} (`{e.action}`) | （新需求）→ {e.target.label} | {e.who} |" for e in ENTRIES
    )
    rows = "\n".join(
        f"| {t.label} (`{t.action}`) | {t.source.label} → {t.target.label} | "
        f"{'、'.join(Actor(a).label for a in sorted(t.actors))} |"
        for t in TRANSITIONS
    )
    return f"""# The life of a need (§6.1 flow chart)

Generated from `hqzt/needs/states.py` (`TRANSITIONS`) by
`manage.py state_diagrams --write`; a test fails when this page and the table disagree.
Every transition goes through `hqzt.needs.workflow.need_transition`.

```mermaid
{mermaid()}
```

## Who may take each step

| step | from → to | who |
| --- | --- | --- |
{entries}
{rows}

Steps that do not change the state: recording a handling step (处理过程), requesting and
approving an extension (延期), sending the evaluation link again, 催办 reminders, and the daily
deadline scan (到期提醒, 超期通知, 再次邀请评价).
"""


register_page("need-states.md", markdown)

# The chief's decision on a handler's request for more working days. Values are spelled
# out: needs.models (which holds ExtensionRequest.Decision) imports this module.
EXTENSION_REQUEST = register(
    Machine(
        model="needs.ExtensionRequest",
        field="decision",
        title="延期申请",
        clause="R-3.7",
        refusal="hqzt.needs.workflow.TransitionRefused",
        entries=(MachineEntry("pending", "经办人申请延期"),),
        edges=(
            Edge(("pending",), "extension_approve", "approved", "站长批准", "该延期申请已审批。"),
            Edge(("pending",), "extension_reject", "rejected", "站长不批准", "该延期申请已审批。"),
        ),
    )
)
