"""Writes of 站务 records that have no life of their own — annual plans (§5.3), trainings (§5.5.5),
visits (§6.2 进企业), meeting action items (§5.5.2). Each writes its audit row in the same
transaction, like the register objects (audit.services.audited_save). Meetings, duty rota, weekly
reports and work suggestions have their own modules (meetings, rota, reports, suggestions)."""

from typing import Any

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record, audited_save
from hqzt.core import clock
from hqzt.operations.models import ActionItem, AnnualPlan, PlanGoal, Training, Visit


def _goals_text(plan: AnnualPlan) -> str:
    return "；".join(
        f"{g.get_metric_display()} {g.target}" for g in plan.goals.order_by("metric") if plan.pk
    )


@transaction.atomic
def plan_save(
    *, actor: User, plan: AnnualPlan, data: dict[str, Any], goals: dict[str, int | None]
) -> AnnualPlan:
    """Create or edit a station's annual plan and replace its goals (metric → target)."""
    if plan.pk:
        plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    before = _goals_text(plan) if plan.pk else ""
    plan = audited_save(actor=actor, instance=plan, data=data)
    plan.goals.all().delete()
    PlanGoal.objects.bulk_create(
        PlanGoal(plan=plan, metric=m, target=t) for m, t in goals.items() if t is not None
    )
    after = _goals_text(plan)
    if after != before:
        audit_record(
            actor=actor,
            action="plan_goals",
            obj=plan,
            changes=[{"field": "goals", "label": "目标", "before": before, "after": after}],
        )
    return plan


@transaction.atomic
def action_item_done(*, actor: User, item: ActionItem) -> None:
    """Mark a meeting's action item done (once; a second click changes nothing)."""
    if ActionItem.objects.filter(pk=item.pk, done_at__isnull=True).update(done_at=clock.now()):
        audit_record(actor=actor, action="action_item_done", obj=item)


@transaction.atomic
def training_create(*, actor: User, data: dict[str, Any]) -> Training:
    return audited_save(actor=actor, instance=Training(), data=data)


@transaction.atomic
def visit_create(*, actor: User, data: dict[str, Any]) -> Visit:
    return audited_save(actor=actor, instance=Visit(), data=data)


@transaction.atomic
def visit_record(*, actor: User, visit: Visit, data: dict[str, Any]) -> Visit:
    """What was found on the visit, and when (the form's fields)."""
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    return audited_save(actor=actor, instance=locked, data=data)
