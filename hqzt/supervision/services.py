"""External supervision (§7.2): recording opinions, suggestions and complaints, and closing
those that need no rectification with the answer given."""

from django.db import transaction
from django.urls import reverse

from hqzt.accounts.models import Role, User
from hqzt.audit.services import audit_record
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.notifications.services import notify_users
from hqzt.stations.models import Station
from hqzt.stations.selectors import supervisors_over
from hqzt.supervision.access import SupervisionRefused, feedback_visible_to
from hqzt.supervision.models import Feedback, ImprovementPlan


# DB1405 §7.2
@transaction.atomic
def feedback_receive(
    *,
    kind: str,
    channel: str,
    content: str,
    station: Station | None,
    name: str = "",
    phone: str = "",
    recorded_by: User | None = None,
) -> Feedback:
    """Record an opinion, suggestion or complaint and tell the supervisors who oversee it.

    From the portal nobody is signed in; a call to the supervision phone is recorded by the
    supervisor who took it.
    """
    feedback = Feedback.objects.create(
        kind=kind,
        channel=channel,
        content=content,
        station=station,
        name=name,
        phone=phone,
        recorded_by=recorded_by,
    )
    if recorded_by is not None:
        audit_record(actor=recorded_by, action="feedback_record", obj=feedback)
    supervisors = (
        supervisors_over(station)
        if station is not None
        else User.objects.filter(role=Role.SUPERVISOR, is_active=True)
    )
    notify_users(
        [u for u in supervisors if u != recorded_by],
        kind="feedback",
        title=f"收到{feedback.get_kind_display()}" + (f"：{station.name}" if station else ""),
        body=content[:200],
        url=reverse("supervision:feedback_detail", args=[feedback.pk]),
    )
    return feedback


@transaction.atomic
def feedback_close(*, actor: User, feedback: Feedback, reply: str) -> Feedback:
    """Close feedback that needs no rectification (or whose plans are done) with the answer
    given to the person who raised it."""
    if not actor.is_supervisor or not feedback_visible_to(actor).filter(pk=feedback.pk).exists():
        raise SupervisionRefused("只有监督人员可以办结意见建议。")

    def answer(f: Feedback) -> None:
        if f.plans.filter(status=ImprovementPlan.Status.OPEN).exists():
            raise SupervisionRefused("整改计划尚未完成，不能办结。")
        text = (reply or "").strip()
        if not text:
            raise SupervisionRefused("请填写办理结果及答复。")
        f.reply = text[:2000]

    return transition(feedback, "feedback_close", actor, apply=answer, closed_at=clock.now())
