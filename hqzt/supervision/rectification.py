"""Improvement plans and rectification tasks: §7.1 "采取有效处理措施", §7.2 "制定改进计划，
落实整改任务".

A supervisor draws up a plan for a station from a complaint or suggestion, a 督办, a callback that
did not match, or what an inspection found; the plan's tasks each have an owner and a deadline.
The owner reports what was done with evidence; a supervisor verifies it or sends it back. The
plan is closed once every task is verified, and closing it closes the feedback it came from.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.audit.statemachine import machine_for, transition
from hqzt.core import clock
from hqzt.needs.attachments import attachment_name, attachment_validate
from hqzt.notifications.services import notify_users
from hqzt.stations.models import Station
from hqzt.supervision.access import (
    MAX_TEXT,
    SupervisionRefused,
    oversees,
    require_overseer,
    required_text,
    task_owner_choices,
)
from hqzt.supervision.models import (
    Callback,
    Feedback,
    ImprovementPlan,
    RectificationTask,
    SupervisionOrder,
)


@dataclass(frozen=True)
class TaskSpec:
    description: str
    owner: User
    due_on: datetime.date


def _plan_url(plan: ImprovementPlan) -> str:
    return reverse("supervision:plan_detail", args=[plan.pk])


def _add_tasks(
    plan: ImprovementPlan, tasks: list[TaskSpec], *, actor: User
) -> list[RectificationTask]:
    allowed = set(task_owner_choices(plan.station).values_list("pk", flat=True))
    created = []
    for spec in tasks:
        if spec.owner.pk not in allowed:
            raise SupervisionRefused(
                f"{spec.owner.display_name} 不能担任该服务站整改任务的责任人。"
            )
        if spec.due_on < clock.today():
            raise SupervisionRefused("整改期限不能早于今天。")
        created.append(
            RectificationTask.objects.create(
                plan=plan,
                description=required_text(spec.description, "整改任务")[:300],
                owner=spec.owner,
                due_on=spec.due_on,
            )
        )
    for task in created:
        audit_record(actor=actor, action="task_create", obj=task)
    owners = [t.owner for t in created]
    notify_users(
        owners,
        kind="rectification",
        title=f"整改任务：{plan.station.name}",
        body=plan.problem[:150],
        url=_plan_url(plan),
    )
    return created


# DB1405 §7.2
@transaction.atomic
def plan_create(
    *,
    actor: User,
    station: Station,
    problem: str,
    measures: str,
    tasks: list[TaskSpec],
    feedback: Feedback | None = None,
    order: SupervisionOrder | None = None,
    callback: Callback | None = None,
) -> ImprovementPlan:
    """A plan with at least one task. Its origin is whatever it was opened from."""
    require_overseer(actor, station)
    if not tasks:
        raise SupervisionRefused("整改计划至少需要一项整改任务。")
    origin = ImprovementPlan.Origin.INSPECTION
    if feedback is not None:
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if feedback.status == Feedback.Status.CLOSED:
            raise SupervisionRefused("该意见已办结，不能再制定整改计划。")
        origin = ImprovementPlan.Origin.FEEDBACK
    elif order is not None:
        origin = ImprovementPlan.Origin.ORDER
    elif callback is not None:
        origin = ImprovementPlan.Origin.CALLBACK
    plan = ImprovementPlan.objects.create(
        origin=origin,
        feedback=feedback,
        order=order,
        callback=callback,
        station=station,
        problem=required_text(problem, "存在问题"),
        measures=required_text(measures, "改进措施"),
        created_by=actor,
    )
    audit_record(actor=actor, action="plan_create", obj=plan)
    _add_tasks(plan, tasks, actor=actor)
    if feedback is not None and feedback.status == Feedback.Status.RECEIVED:
        transition(feedback, "feedback_rectify", actor)
    return plan


@transaction.atomic
def plan_add_task(*, actor: User, plan: ImprovementPlan, task: TaskSpec) -> RectificationTask:
    plan = ImprovementPlan.objects.select_for_update().select_related("station").get(pk=plan.pk)
    require_overseer(actor, plan.station)
    if not _plan_open(plan):
        raise SupervisionRefused("该整改计划已完成，不能再增加任务。")
    return _add_tasks(plan, [task], actor=actor)[0]


def _evidence_replace(task: RectificationTask, upload: UploadedFile) -> str:
    """Store the new file now and return its name; the file it replaces (a resubmission after a
    return) is deleted once the change is committed."""
    try:
        task.evidence_type = attachment_validate(upload)
    except ValidationError as exc:
        raise SupervisionRefused(exc.messages[0]) from exc
    storage = task.evidence_file.storage
    replaced = task.evidence_file.name if task.evidence_file else ""
    task.evidence_name = attachment_name(upload.name, task.evidence_type, "佐证材料")
    task.evidence_file.save(task.evidence_name, upload, save=False)
    stored = task.evidence_file.name
    if replaced:
        transaction.on_commit(lambda: storage.delete(replaced))
    return stored


@transaction.atomic
def task_submit(
    *, actor: User, task: RectificationTask, evidence: str, upload: UploadedFile | None = None
) -> RectificationTask:
    """The owner reports what was done; a file (photo, document) may back it up."""
    if not _owns(actor, task):
        raise SupervisionRefused("只有任务责任人可以提交整改情况。")
    stored: list[str] = []

    def report(t: RectificationTask) -> None:
        t.evidence = required_text(evidence, "整改情况")
        if upload is not None:
            stored.append(_evidence_replace(t, upload))

    try:
        task = transition(task, "task_submit", actor, apply=report, submitted_at=clock.now())
    except Exception:
        if stored:  # the row will not point at it: do not leave it behind
            task.evidence_file.storage.delete(stored[0])
        raise
    supervisors = [task.plan.created_by]
    notify_users(
        supervisors,
        kind="rectification",
        title=f"整改任务待验收：{task.plan.station.name}",
        body=task.description,
        url=_plan_url(task.plan),
    )
    return task


@transaction.atomic
def task_verify(
    *, actor: User, task: RectificationTask, accept: bool, note: str = ""
) -> RectificationTask:
    require_overseer(actor, task.plan.station)
    if accept:
        task = transition(
            task,
            "task_verify",
            actor,
            verified_by=actor,
            verified_at=clock.now(),
            verification_note=(note or "").strip()[:MAX_TEXT],
        )
    else:
        task = transition(
            task,
            "task_return",
            actor,
            apply=lambda t: setattr(t, "verification_note", required_text(note, "退回理由")),
        )
    if not accept:
        notify_users(
            [task.owner],
            kind="rectification",
            title="整改任务未通过验收，请继续整改",
            body=task.verification_note[:200],
            url=_plan_url(task.plan),
        )
    return task


@transaction.atomic
def plan_close(*, actor: User, plan: ImprovementPlan, conclusion: str) -> ImprovementPlan:
    require_overseer(actor, plan.station)

    def conclude(p: ImprovementPlan) -> None:
        if not _all_verified(p.tasks.all()):
            raise SupervisionRefused("还有整改任务未验收，不能完成整改计划。")
        p.conclusion = required_text(conclusion, "整改结论")

    plan = transition(plan, "plan_close", actor, apply=conclude, closed_at=clock.now())
    if plan.feedback_id:
        # Locked as plan_create locks it: a plan opened on the same feedback meanwhile keeps
        # the feedback open.
        feedback = Feedback.objects.select_for_update().get(pk=plan.feedback_id)
        if not feedback.plans.filter(status=ImprovementPlan.Status.OPEN).exists():
            transition(
                feedback,
                "feedback_close",
                actor,
                closed_at=plan.closed_at,
                reply=plan.conclusion,
            )
    return plan


# --- What a page may offer: the checks above, read without acting ---------------------------------


@dataclass(frozen=True)
class PlanMay:
    """What the plan page offers `user`: `oversee` (the sources, new tasks, closing) from
    `oversees`, each task's `may_submit`/`may_verify` set on the task itself."""

    oversee: bool
    add_task: bool
    close: bool


def plan_may(user: User, plan: ImprovementPlan, tasks: list[RectificationTask]) -> PlanMay:
    """The buttons of the plan page, decided by the services' own checks (require_overseer, the
    owner, the state tables), so that a button shows exactly where its step would be taken."""
    overseer = oversees(user, plan.station)
    tables = machine_for(RectificationTask)
    for task in tasks:
        task.may_submit = _owns(user, task) and tables.allows(task, "task_submit")
        task.may_verify = overseer and tables.allows(task, "task_verify")
    return PlanMay(
        oversee=overseer,
        add_task=overseer and _plan_open(plan),
        close=overseer
        and machine_for(ImprovementPlan).allows(plan, "plan_close")
        and bool(tasks)
        and _all_verified(tasks),
    )


def _owns(user: User, task: RectificationTask) -> bool:
    return task.owner_id == user.pk


def _plan_open(plan: ImprovementPlan) -> bool:
    return plan.status == ImprovementPlan.Status.OPEN


def _all_verified(tasks) -> bool:
    return all(t.status == RectificationTask.Status.VERIFIED for t in tasks)
