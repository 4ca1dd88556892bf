from django.db import transaction

from hqzt.accounts.models import Role, User
from hqzt.notifications.services import notify_users
from hqzt.stations.models import Station
from hqzt.supervision.models import Feedback


@transaction.atomic
def feedback_receive(
    *,
    kind: str,
    channel: str,
    content: str,
    station: Station | None,
    name: str = "",
    phone: str = "",
) -> Feedback:
    """Record an opinion, suggestion or complaint and tell the supervisors who oversee it."""
    feedback = Feedback.objects.create(
        kind=kind, channel=channel, content=content, station=station, name=name, phone=phone
    )
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True).select_related(
        "org_unit"
    )
    if station is not None:
        path = station.superior_unit.path
        supervisors = [u for u in supervisors if u.org_unit_id and path.startswith(u.org_unit.path)]
    notify_users(
        supervisors,
        kind="feedback",
        title=f"收到{feedback.get_kind_display()}" + (f"：{station.name}" if station else ""),
        body=content[:200],
    )
    return feedback
