"""典型案例 (§6.6.3): a well-handled need written up and published for promotion."""

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.models import Need
from hqzt.needs.selectors import Standing, actor_roles, oversees
from hqzt.needs.states import Actor, Status
from hqzt.needs.workflow import TransitionRefused, lock_need, record_event


def may_publish(user: User, need: Need, standing: Standing | None = None) -> bool:
    if need.status != Status.ARCHIVED:
        return False
    if user.is_supervisor:
        return oversees(user, need, standing)
    return Actor.STATION_LEAD in actor_roles(user, need, standing)


# DB1405 §6.6.3
@transaction.atomic
def showcase_publish(*, actor: User, need: Need, title: str, summary: str) -> Need:
    locked = lock_need(need)
    if not may_publish(actor, locked):
        raise TransitionRefused("只有本站站长、副站长或上级单位可以把已归档的需求发布为典型案例。")
    if not title.strip() or not summary.strip():
        raise TransitionRefused("请填写案例标题和介绍。")
    locked.showcase_title, locked.showcase_summary = title, summary
    locked.showcase_published_at = clock.now()
    locked.save()
    record_event(need=locked, actor=actor, action="showcase", note=title, public=False)
    return locked


def showcases_published():
    return (
        Need.objects.filter(showcase_published_at__isnull=False)
        .select_related("station", "need_type")
        .order_by("-showcase_published_at")
    )
