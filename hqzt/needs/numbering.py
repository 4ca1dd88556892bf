"""跟踪单号 "年代号+流水号" (Appendix B example): 2025 + 0001 → 20250001 (R-3.2).

The serial comes from a per-year counter row that is locked for the rest of the registering
transaction: concurrent registrations queue on it, a rolled-back registration gives its number
back, and the serials of a year are unique and gapless on SQLite and PostgreSQL alike.
"""

from django.db import transaction
from django.db.models import F

from hqzt.needs.models import TrackingCounter

SERIAL_DIGITS = 4  # at least four; a year with more than 9,999 sheets simply uses more digits


def tracking_number(year: int, serial: int) -> str:
    return f"{year}{serial:0{SERIAL_DIGITS}d}"


def next_serial(year: int) -> int:
    """Take the next serial of `year`. Must run inside the transaction that inserts the sheet."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_serial() must run inside the registering transaction")
    TrackingCounter.objects.bulk_create(
        [TrackingCounter(year=year, last_serial=0)], ignore_conflicts=True
    )
    counter = TrackingCounter.objects.select_for_update().get(year=year)
    TrackingCounter.objects.filter(year=year).update(last_serial=F("last_serial") + 1)
    return counter.last_serial + 1


def parse_tracking_number(text: str) -> tuple[int, int] | None:
    """'20250012' → (2025, 12); None when it is not year + serial."""
    if not text.isdigit() or len(text) < 4 + SERIAL_DIGITS:
        return None
    year, serial = int(text[:4]), int(text[4:])
    if not 2000 <= year <= 2100 or serial < 1:
        return None
    return year, serial


def counter_move_past(year: int, serial: int) -> None:
    """After importing an existing number, make sure new serials of that year come after it."""
    TrackingCounter.objects.bulk_create(
        [TrackingCounter(year=year, last_serial=0)], ignore_conflicts=True
    )
    TrackingCounter.objects.select_for_update().filter(year=year, last_serial__lt=serial).update(
        last_serial=serial
    )
