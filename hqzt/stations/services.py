"""Writes to the station register (SPEC R-1.1). Views validate with forms and call these."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audited_save
from hqzt.stations.models import Station, StationMember, StationRole


@transaction.atomic
def station_save(*, actor: User, station: Station, data: dict[str, Any]) -> Station:
    if station.pk is not None:
        station = Station.objects.select_for_update().get(pk=station.pk)
    return audited_save(actor=actor, instance=station, data=data)


def _active_chief(station: Station, *, other_than: User | None = None) -> StationMember | None:
    chiefs = StationMember.objects.filter(
        station=station, is_active=True, role=StationRole.CHIEF
    ).select_related("user")
    if other_than is not None:
        chiefs = chiefs.exclude(user=other_than)
    return chiefs.first()


# DB1405 §5.4.1
@transaction.atomic
def station_member_save(
    *,
    actor: User,
    station: Station,
    user: User,
    role: str = StationRole.RESIDENT_STAFF,
    is_active: bool = True,
    trained_on: datetime.date | None = None,
) -> StationMember:
    """Put a person on a station's staff in a post (or change it). §5.4.1: one active chief —
    said here by name; the database constraint station_one_active_chief holds it for every other
    writer (admin, inlines)."""
    Station.objects.select_for_update().get(pk=station.pk)  # serialise staff changes per station
    if not user.is_station_staff:
        raise ValidationError("只有角色为“服务站人员”的用户可以加入服务站。")
    if role not in StationRole.values:
        raise ValidationError("请选择岗位：站长、副站长或驻站工作人员。")
    if is_active and role == StationRole.CHIEF:
        current = _active_chief(station, other_than=user)
        if current is not None:
            raise ValidationError(
                f"该服务站已有在岗站长（{current.user.display_name}），请先将其调离后再安排新站长。"
            )
    member = StationMember.objects.filter(station=station, user=user).first() or StationMember(
        station=station, user=user
    )
    return audited_save(
        actor=actor,
        instance=member,
        data={"role": role, "is_active": is_active, "onboarding_trained_on": trained_on},
    )
