"""Meetings (§5.5.2 工作例会, §5.5.3 临时专题会议) and the action items they decide."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.operations.models import ActionItem, Meeting
from hqzt.stations.selectors import leads_station

CONVENER_REQUIRED = "临时专题会议须由站长或副站长召集（§5.5.3），请选择召集人。"
CONVENER_NOT_LEAD = "{name}不是该服务站在岗的站长或副站长，不能召集临时专题会议（§5.5.3）。"


# DB1405 §5.5.3
def convener_check(*, kind: str, station_id: int, convened_by: User | None) -> None:
    """§5.5.3: only the station's chief or deputy convenes a special meeting. A regular meeting
    may name its convener but need not."""
    if kind != Meeting.Kind.SPECIAL:
        return
    if convened_by is None:
        raise ValidationError(CONVENER_REQUIRED)
    if not leads_station(convened_by, station_id):
        raise ValidationError(CONVENER_NOT_LEAD.format(name=convened_by.display_name))


# DB1405 §5.5.2
@transaction.atomic
def meeting_record(
    *, actor: User | None, data: dict[str, Any], items: list[dict[str, Any]]
) -> Meeting:
    """Record a meeting with its minutes and action items. Who convened a special meeting is
    checked here, so every writer (page, import, demo) keeps §5.5.3."""
    station = data["station"]
    convener_check(kind=data["kind"], station_id=station.pk, convened_by=data.get("convened_by"))
    attendees = data.pop("attendees", [])
    meeting = Meeting.objects.create(**data)
    meeting.attendees.set(attendees)
    for row in items:
        if row.get("description"):
            ActionItem.objects.create(
                meeting=meeting,
                description=row["description"],
                owner=row["owner"],
                due_on=row["due_on"],
                need=row.get("need_label"),
            )
    audit_record(actor=actor, action="create", obj=meeting)
    return meeting
