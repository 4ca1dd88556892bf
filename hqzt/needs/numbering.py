"""跟踪单号 "年代号+流水号" (Appendix B example): 2025 + 0001 → 20250001 (R-3.2), per station.

Each station keeps its own ledger, so the serial comes from a counter row per (station, year)
that is locked for the rest of the registering transaction: concurrent registrations at a station
queue on it, a rolled-back registration gives its number back, and a station's serials of a year
are unique and gapless on SQLite and PostgreSQL alike. Registrations at two stations never wait
for each other.

Two stations may both have 20250001. Where a number must be unique city-wide (the portal receipt,
SMS, the API, a ledger spanning several stations) it is written with the station's number in front:
"03-20250001" (ADR 0008). `parse_reference` reads both forms back.
"""

import datetime
import re
import unicodedata

from django.db import transaction
from django.db.models import F

from hqzt.needs.models import TrackingCounter

SERIAL_DIGITS = 4  # at least four; a year with more than 9,999 sheets simply uses more digits
STATION_DIGITS = 2  # the station's number in front of a reference, zero-padded to read evenly
MAX_IMPORTED_SERIAL = 9999  # what a paper ledger's 流水号 can be (four digits)
# "03-20250001", "3－20250001", "03 20250001", or the bare "20250001"
_REFERENCE = re.compile(r"^(?:(\d{1,6})\s*[-_/.·\s]\s*)?(\d{8,9})$")


def tracking_number(year: int, serial: int) -> str:
    return f"{year}{serial:0{SERIAL_DIGITS}d}"


def reference(station_id: int, number: str) -> str:
    """A tracking number as written where numbers of several stations meet."""
    return f"{station_id:0{STATION_DIGITS}d}-{number}"


def parse_reference(text: str) -> tuple[int | None, str] | None:
    """'03-20250001' → (3, '20250001'); '20250001' → (None, '20250001'); else None.

    Full-width digits, dashes and spaces as people type them are accepted.
    """
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace("—", "-")
    match = _REFERENCE.match(cleaned)
    if match is None:
        return None
    station, number = match.groups()
    if parse_tracking_number(number) is None:
        return None
    return (int(station) if station else None), number


def next_serial(station_id: int, year: int) -> int:
    """Take the station's next serial of `year`. Must run inside the transaction that inserts
    the sheet, so that a failed registration gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_serial() must run inside the registering transaction")
    counter = _locked_counter(station_id, year)
    TrackingCounter.objects.filter(pk=counter.pk).update(last_serial=F("last_serial") + 1)
    return counter.last_serial + 1


def _locked_counter(station_id: int, year: int) -> TrackingCounter:
    TrackingCounter.objects.bulk_create(
        [TrackingCounter(station_id=station_id, year=year, last_serial=0)], ignore_conflicts=True
    )
    return TrackingCounter.objects.select_for_update().get(station_id=station_id, year=year)


def parse_tracking_number(text: str) -> tuple[int, int] | None:
    """'20250012' → (2025, 12); None when it is not year + serial."""
    if not text.isdigit() or len(text) < 4 + SERIAL_DIGITS:
        return None
    year, serial = int(text[:4]), int(text[4:])
    if not 2000 <= year <= 2100 or serial < 1:
        return None
    return year, serial


def imported_number_check(text: str, registered_on: datetime.date) -> tuple[int, int]:
    """A 跟踪单号 from a station's paper ledger → (year, serial), or ValueError saying in Chinese
    what is wrong with it. Its year is the row's year, or the year before (a sheet opened in
    December may gain a row in January); its serial is four digits, 0001–9999 (issue 13 item 4:
    a huge serial once pushed a counter out of range and stopped every registration)."""
    if not text.isdigit() or len(text) < 4 + SERIAL_DIGITS:
        raise ValueError(f"跟踪单号「{text}」应为“年代号+流水号”共8位数字，如 20250001")
    year, serial_text = int(text[:4]), text[4:]
    if len(serial_text) > SERIAL_DIGITS or not 1 <= int(serial_text) <= MAX_IMPORTED_SERIAL:
        raise ValueError(f"跟踪单号「{text}」的流水号「{serial_text}」应在 0001–9999 之间")
    if year not in (registered_on.year, registered_on.year - 1):
        raise ValueError(
            f"跟踪单号「{text}」的年代号 {year} 与日期 {registered_on:%Y-%m-%d} 的年份不符"
        )
    return year, int(serial_text)


def counter_lock(station_id: int, year: int) -> int:
    """Lock the station's counter of `year` for the rest of the transaction; its last serial.

    An import takes it before checking its numbers, so a live registration at the same station
    either comes before (and the check sees its sheet) or after (and numbers past the import).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_lock() must run inside the importing transaction")
    return _locked_counter(station_id, year).last_serial


def counter_move_past(station_id: int, year: int, serial: int) -> None:
    """After importing an existing number, new serials of that station and year come after it.
    Another station's counter is never touched."""
    counter_lock(station_id, year)
    TrackingCounter.objects.filter(station_id=station_id, year=year, last_serial__lt=serial).update(
        last_serial=serial
    )
