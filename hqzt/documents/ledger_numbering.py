"""A ledger row's tracking sheet under the station's own numbering (issue 14 item 2): a number the
file gives is kept and moves only this station's counter; a row without one takes the next that no
row of the file gives (probe L1: it took a later row's number, and the confirm refused the file)."""

from typing import Any

from hqzt.documents.import_errors import ImportConflict
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import TrackingSheet
from hqzt.needs.numbering import (
    counter_move_past,
    next_serial,
    parse_tracking_number,
    tracking_number,
)
from hqzt.stations.models import Station


def number_taken(number: str) -> str:
    return f"跟踪单号 {number} 在本站已用于另一家企业"


def station_sheet(station: Station, number: str) -> TrackingSheet | None:
    return (
        TrackingSheet.objects.filter(station=station, tracking_number=number)
        .select_related("enterprise")
        .first()
    )


def sheet_for_row(
    values: dict[str, Any],
    row: int,
    station: Station,
    enterprise: Enterprise,
    reserved: set[tuple[int, int]],
) -> TrackingSheet:
    """The row's sheet: the one its number names (made if new), or a new one under the station's
    next serial that is not among the `reserved` (year, serial) pairs the file's rows give."""
    number = values["tracking_number"]
    if number:
        year, serial = parse_tracking_number(number)
        sheet = station_sheet(station, number)
        if sheet is not None and sheet.enterprise_id != enterprise.pk:
            raise ImportConflict(f"第 {row} 行：{number_taken(number)}，请重新预检后再导入。")
        if sheet is None:
            counter_move_past(station.pk, year, serial)
            sheet = TrackingSheet.objects.create(
                tracking_number=number,
                year=year,
                serial=serial,
                station=station,
                enterprise=enterprise,
            )
        return sheet
    year = values["registered_on"].year
    serial = next_serial(station.pk, year)
    while (year, serial) in reserved:  # the later row's own number: it moves the counter itself
        serial = next_serial(station.pk, year)
    return TrackingSheet.objects.create(
        tracking_number=tracking_number(year, serial),
        year=year,
        serial=serial,
        station=station,
        enterprise=enterprise,
    )
