"""The steps a person can take on a need from a page or the API: each names its form (the input
it needs) and the service it calls. The web views and the REST API share this registry, so both
validate the same way and go through the same services."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.accounts.phone_access import PhoneAccess, phone_access
from hqzt.needs import action_forms as f
from hqzt.needs.attachments import attachment_add, need_attach, need_may_attach
from hqzt.needs.models import ExtensionRequest, Need, Scope
from hqzt.needs.selectors import Standing, actions_for, actor_roles, co_handles, oversees
from hqzt.needs.services.archive import need_archive
from hqzt.needs.services.evaluation import (
    need_evaluate,
    need_invite_evaluation,
    need_redispatch,
    need_reliaise,
    need_verify,
)
from hqzt.needs.services.extensions import extension_decide, extension_request
from hqzt.needs.services.handling import (
    handling_actor_ok,
    need_add_step,
    need_complete,
    need_remind,
)
from hqzt.needs.services.identification import (
    need_accept_task,
    need_dispatch,
    need_identify,
    need_liaise,
    need_return_task,
)
from hqzt.needs.services.registration import need_accept_intake, need_reject_intake
from hqzt.needs.states import HANDLING_STATES, Actor, Status
from hqzt.needs.workflow import TransitionRefused
from hqzt.policies.services import policy_link_need


def _calls_the_enterprise(user: User, need: Need, standing: Standing | None) -> bool:
    """The need's station staff and the handlers of its lead and co-handling sections."""
    roles = actor_roles(user, need, standing)
    return bool(roles & {Actor.STATION_STAFF, Actor.LEAD_SECTION}) or co_handles(
        user, need, standing
    )


def need_phone_access(user: User, need: Need, standing: Standing | None = None) -> PhoneAccess:
    """How `user` sees the need's contact number, by the one rule (accounts/phone_access.py):
    in full for the need's station staff and the handlers of its lead and co-handling
    sections; by an audited reveal for a supervisor who follows it up — escalated to them, or
    a 回访 of it at a station they oversee; else masked."""
    calls = not user.is_admin and _calls_the_enterprise(user, need, standing)

    def follows_up() -> bool:
        # need.callbacks: the 回访 records (supervision.Callback) of this need.
        return Actor.SUPERVISOR in actor_roles(user, need, standing) or (
            oversees(user, need, standing) and need.callbacks.exists()
        )

    return phone_access(user, calls=calls, follows_up=follows_up)


def need_phone_full(user: User, need: Need, standing: Standing | None = None) -> bool:
    """Whether the need's number is shown in full (lists, the API, exports, printed forms):
    need_phone_access is FULL. Whether a masked one may be revealed is not asked, so a list
    costs no query per need for it."""
    calls = not user.is_admin and _calls_the_enterprise(user, need, standing)
    return phone_access(user, calls=calls) is PhoneAccess.FULL


@dataclass(frozen=True)
class ActionSpec:
    title: str
    form: type[forms.Form]
    run: Callable[[Any, Need, dict[str, Any]], Any]  # (request, need, cleaned data)
    needs_need: bool = False  # the form's __init__ takes the need


def _step(request: Any, need: Need, data: dict[str, Any]) -> None:
    with transaction.atomic():
        step = need_add_step(
            need=need,
            actor=request.user,
            description=data["description"],
            answered_enterprise=data["answered_enterprise"],
        )
        if data["attachment"]:
            attachment_add(need=need, actor=request.user, upload=data["attachment"], step=step)


# The verification panel's decisions and the table action each one takes.
VERIFY_DECISIONS = {
    "rehandle": "rehandle",
    "redispatch": "redispatch",
    "reliaise": "reliaise",
    "close": "close_after_verification",
}


def _verify(request: Any, need: Need, data: dict[str, Any]) -> None:
    decision, note = data["decision"], data["note"]
    if decision == "redispatch":
        need_redispatch(
            need=need,
            actor=request.user,
            note=note,
            lead_section=data["lead_section"],
            handling_mode=data["handling_mode"],
            co_sections=list(data["co_sections"]),
        )
    elif decision == "reliaise":
        need_reliaise(
            need=need,
            actor=request.user,
            note=note,
            department=data["department"],
            department_contact=data["department_contact"],
            assistance=data["assistance"],
        )
    else:
        need_verify(need=need, actor=request.user, rehandle=decision == "rehandle", note=note)


def _decide_extension(request: Any, need: Need, data: dict[str, Any]) -> None:
    pending = need.extensions.filter(decision=ExtensionRequest.Decision.PENDING).first()
    if pending is None:
        raise TransitionRefused("没有待审批的延期申请。")
    extension_decide(
        request=pending, actor=request.user, approve=data["approve"], note=data["note"]
    )


ACTIONS: dict[str, ActionSpec] = {
    "accept_intake": ActionSpec(
        "受理登记",
        forms.Form,
        lambda r, n, d: need_accept_intake(need=n, actor=r.user),
    ),
    "reject_intake": ActionSpec(
        "不予受理",
        f.RejectForm,
        lambda r, n, d: need_reject_intake(need=n, actor=r.user, reason=d["reason"]),
    ),
    "identify": ActionSpec(
        "需求识别",
        f.IdentifyForm,
        lambda r, n, d: need_identify(
            need=n, actor=r.user, scope=d["scope"], complexity=d["complexity"]
        ),
        needs_need=True,
    ),
    "dispatch": ActionSpec(
        "分发任务",
        f.DispatchForm,
        lambda r, n, d: need_dispatch(
            need=n,
            actor=r.user,
            handling_mode=d["handling_mode"],
            lead_section=d["lead_section"],
            co_sections=list(d["co_sections"]),
            note=d["note"],
        ),
        needs_need=True,
    ),
    "liaise": ActionSpec(
        "联络相关部门",
        f.LiaiseForm,
        lambda r, n, d: need_liaise(need=n, actor=r.user, **d),
        needs_need=True,
    ),
    "accept_task": ActionSpec(
        "签收",
        f.AcceptTaskForm,
        lambda r, n, d: need_accept_task(
            need=n, actor=r.user, responsible_person=d["responsible_person"]
        ),
        needs_need=True,
    ),
    "return_task": ActionSpec(
        "回退",
        f.ReturnForm,
        lambda r, n, d: need_return_task(need=n, actor=r.user, reason=d["reason"]),
    ),
    "step": ActionSpec("记录处理过程", f.StepForm, _step),
    "attach": ActionSpec(
        "上传附件",
        f.AttachForm,
        lambda r, n, d: need_attach(need=n, actor=r.user, upload=d["file"]),
    ),
    "complete": ActionSpec(
        "办理完毕",
        f.CompleteForm,
        lambda r, n, d: need_complete(need=n, actor=r.user, **d),
    ),
    "evaluate": ActionSpec(
        "录入满意度评价",
        f.EvaluateForm,
        lambda r, n, d: need_evaluate(need=n, actor=r.user, **d),
    ),
    "invite": ActionSpec(
        "重新发送评价邀请",
        forms.Form,
        lambda r, n, d: need_invite_evaluation(need=n, actor=r.user),
    ),
    "verify": ActionSpec("核实", f.VerifyForm, _verify, needs_need=True),
    "archive": ActionSpec(
        "归档",
        f.ArchiveForm,
        lambda r, n, d: need_archive(need=n, actor=r.user, category=d["category"]),
        needs_need=True,
    ),
    "remind": ActionSpec(
        "催办",
        f.RemindForm,
        lambda r, n, d: need_remind(need=n, actor=r.user, note=d["note"]),
    ),
    "extension": ActionSpec(
        "申请延期",
        f.ExtensionForm,
        lambda r, n, d: extension_request(need=n, actor=r.user, **d),
    ),
    "decide_extension": ActionSpec("审批延期", f.ExtensionDecisionForm, _decide_extension),
    "link_policy": ActionSpec(
        "关联政策",
        f.LinkPolicyForm,
        lambda r, n, d: policy_link_need(actor=r.user, need=n, policy=d["policy"]),
        needs_need=True,
    ),
}


# Who may take an action another app provides, on which need (the list reads it once per need).
Offered = Callable[[User, Need, Standing | None], bool]
_PROVIDED: dict[str, Offered] = {}


def action_register(name: str, spec: ActionSpec, *, offered: Offered) -> None:
    """Add an action an app above needs owns (records' 典型案例, §6.6.3) from its AppConfig.ready():
    ADR 0011 forbids needs to import it, yet the need page and the API list and run it like needs'
    own. It is offered after needs' own actions, when `offered` says so, and goes in the 更多操作
    menu (it is beside the need's main line); the service checks again when it runs."""
    if name in ACTIONS and name not in _PROVIDED:
        raise ValueError(f"需求操作 {name} 已存在")
    ACTIONS[name] = spec
    _PROVIDED[name] = offered


# Table actions that share one panel on the need page.
PANEL_FOR_ACTION = {
    "identify_simple": "identify",
    "identify_coordinated": "identify",
    "identify_other_department": "identify",
    "evaluate_positive": "evaluate",
    "evaluate_dissatisfied": "evaluate",
    "rehandle": "verify",
    "redispatch": "verify",
    "reliaise": "verify",
    "close_after_verification": "verify",
}
OPEN_FOR_REMINDER = {
    Status.PENDING_ACCEPTANCE,
    Status.AWAITING_DISPATCH,
    Status.DISPATCHED,
    *HANDLING_STATES,
    Status.AWAITING_VERIFICATION,
}


def available_actions(user: User, need: Need, standing: Standing | None = None) -> list[str]:
    """The action panels to show this user; the services check again when one is used. A list
    passes the `standing` it read once for all its needs."""
    allowed = actions_for(user, need, standing)
    panels = list(dict.fromkeys(PANEL_FOR_ACTION.get(a, a) for a in allowed))
    if need.status == Status.AWAITING_DISPATCH:
        wrong = "liaise" if need.scope == Scope.MARKET_REGULATION else "dispatch"
        panels = [p for p in panels if p != wrong]
    roles = actor_roles(user, need, standing)
    if need.status in HANDLING_STATES and handling_actor_ok(user, need, standing):
        panels += ["step", "extension"]
    if "evaluate" in panels:
        panels.append("invite")
    lead = Actor.STATION_LEAD in roles
    if (lead or user.is_supervisor) and need.status in OPEN_FOR_REMINDER:
        panels.append("remind")
    if lead and _extension_pending(need, standing):
        panels.append("decide_extension")
    if need_may_attach(user, need, standing):
        panels += ["attach", "link_policy"]
    panels += [name for name, offered in _PROVIDED.items() if offered(user, need, standing)]
    return panels


def _extension_pending(need: Need, standing: Standing | None) -> bool:
    if standing is not None:
        return need.pk in standing.pending_extension
    return need.extensions.filter(decision=ExtensionRequest.Decision.PENDING).exists()


# How the need page presents the actions available_actions() returns (it decides which): the
# refusing ones are red and never the primary button; the supporting ones (records, reminders,
# requests beside the main line of the workflow, and every action another app provides) go in
# the 更多操作 menu.
REFUSING = frozenset({"reject_intake", "return_task"})
SUPPORTING = frozenset(
    {"attach", "link_policy", "remind", "extension", "decide_extension", "invite"}
)
PRIMARY_LIMIT = 2


def workbench_actions(available: list[str]) -> tuple[list[str], list[str]]:
    """(primary, secondary): the first one or two main-line actions as buttons at the top of
    the need page, everything else in its menu, in the workflow's order."""
    main = [
        a for a in available if a not in REFUSING and a not in SUPPORTING and a not in _PROVIDED
    ]
    primary = main[:PRIMARY_LIMIT]
    return primary, [a for a in available if a not in primary]


def action_form(
    name: str,
    need: Need,
    data=None,
    files=None,
    *,
    prefixed: bool = True,
    user: User | None = None,
    standing: Standing | None = None,
) -> forms.Form:
    """The action's form; pages prefix the fields (several forms on one page), the API not.
    With `user`, the verification form offers only the decisions that user may take (the page
    passes the `standing` it read)."""
    spec = ACTIONS[name]
    kwargs: dict[str, Any] = {"need": need} if spec.needs_need else {}
    if name == "verify" and user is not None:
        allowed = set(actions_for(user, need, standing))
        kwargs["allowed"] = [d for d, action in VERIFY_DECISIONS.items() if action in allowed]
    return spec.form(data, files, prefix=name if prefixed else None, **kwargs)
