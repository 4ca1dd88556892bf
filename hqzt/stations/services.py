"""Writes to the station register (SPEC R-1.1). Views validate with forms and call these."""

from typing import Any

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import audited_save
from hqzt.stations.models import Station


@transaction.atomic
def station_save(*, actor: User, station: Station, data: dict[str, Any]) -> Station:
    if station.pk is not None:
        station = Station.objects.select_for_update().get(pk=station.pk)
    return audited_save(actor=actor, instance=station, data=data)
