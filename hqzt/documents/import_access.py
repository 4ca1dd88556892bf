"""Who may import for which station: one rule for the ledger and the enterprise register, asked by
the upload pages, their confirms and the management commands."""

from django.db.models import QuerySet

from hqzt.accounts.models import User
from hqzt.documents.import_errors import ImportPermissionError
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to


def import_stations(user: User) -> QuerySet[Station]:
    """The stations `user` may import a ledger for: their own active stations, station staff
    only. The upload page, its confirm and `manage.py import_ledger` all ask this."""
    if not user.is_station_staff:
        return Station.objects.none()
    return stations_visible_to(user).filter(is_active=True)


def import_station_check(*, user: User, station: Station, what: str) -> None:
    """Refuse (ImportPermissionError) an import of `what` (台账, 企业名册) for a station the user
    may not import for."""
    if not import_stations(user).filter(pk=station.pk).exists():
        raise ImportPermissionError(f"您不能为「{station.name}」导入{what}。")
