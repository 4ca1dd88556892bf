"""Reconciling NeedStat with the needs (ADR 0009): `rebuild_stats` and the migration's backfill
recompute every row from the needs and compare; the nightly job does the same for the recent
months and one older month in rotation (`nightly_windows`).

The database computes the rows (`expected.Expected`: GROUP BY statements over one month of
registrations at a time, so memory and lock time stay bounded by a month), compares them with
the table and writes back the differences, without a need's buckets passing through Python.
A month with drift is done again with the rows of its differing stations locked (a transaction
moving one of them finishes first, and waits for the fix to commit): the wrong rows are set to
what the needs give, the missing ones created. A month without any row yet (a rebuild from
nothing) is written in one pass; if a change to a need creates one of its rows meanwhile, the
insert fails on the unique key and the month is done again the locked way.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min

from hqzt.dashboard.expected import DIMS, Expected


@dataclass
class Drift:
    rows: int = 0
    station_ids: set[int] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)

    @property
    def stations(self) -> int:
        return len(self.station_ids)

    def add(self, other: "Drift") -> None:
        self.rows += other.rows
        self.examples += [e for e in other.examples if e not in self.examples]
        self.station_ids |= other.station_ids


EXAMPLES_PER_STATION = 3


# Registration days [first, end); end None: up to today. Month rows are dated the month's first
# day, so a window starting on a first of the month holds whole months of both grains.
Window = tuple[datetime.date, datetime.date | None] | None

RECENT_MONTHS = 3


def _months_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def nightly_windows(today: datetime.date, earliest: datetime.date | None) -> list[Window]:
    """What one night reconciles: the last RECENT_MONTHS months (where needs still move) and
    one older month, a different one each night, so every month is checked once per cycle of
    as many nights as there are older months."""
    recent = _months_back(today, RECENT_MONTHS - 1)
    windows: list[Window] = [(recent, None)]
    if earliest is None or earliest >= recent:
        return windows
    first = earliest.replace(day=1)
    older = (recent.year - first.year) * 12 + recent.month - first.month
    month = _months_back(recent, 1 + today.toordinal() % older)
    windows.append((month, _months_back(month, -1)))
    return windows


def _in(rows, field_name: str, window: Window):
    if window is None:
        return rows
    first, end = window
    rows = rows.filter(**{f"{field_name}__gte": first})
    return rows if end is None else rows.filter(**{f"{field_name}__lt": end})


def _months(need_model, stat_model, window: Window) -> list[tuple[datetime.date, datetime.date]]:
    """[first, end) of every month holding a need or a row, within the window."""
    if window is not None and any(day and day.day != 1 for day in window):
        raise ValueError("a reconciliation window is whole months")
    days = []
    for rows, name in (
        (need_model.objects.all(), "registered_on"),
        (stat_model.objects.all(), "day"),
    ):
        found = _in(rows, name, window).aggregate(first=Min(name), last=Max(name))
        days += [day for day in found.values() if day]
    if not days:
        return []
    month, months = min(days).replace(day=1), []
    while month <= max(days):
        months.append((month, _months_back(month, -1)))
        month = months[-1][1]
    return months


def reconcile(
    *, fix: bool, need_model=None, stat_model=None, window: Window = None, progress=None
) -> Drift:
    """Compare (and with `fix`, correct) every station's rows — only those of needs registered
    in `window`, whole months, when one is given; the models default to the live ones and are
    the historical ones in the migration. `progress(first_day, drift)` hears of each month."""
    from hqzt.dashboard.models import NeedStat
    from hqzt.needs.models import Need

    need_model, stat_model = need_model or Need, stat_model or NeedStat
    drift = Drift()
    expected = Expected(connection, need_model, stat_model)
    expected.create()
    try:
        for first, end in _months(need_model, stat_model, window):
            month = _month(expected, first, end, fix=fix, seen=drift.station_ids)
            drift.add(month)
            if progress:
                progress(first, month)
    finally:
        expected.drop()
    return drift


def _month(expected: Expected, first, end, *, fix: bool, seen: set[int]) -> Drift:
    """One month [first, end) of registrations; examples only for stations not yet `seen`."""
    rows = expected.stat_model.objects.filter(
        dim__in=DIMS,
        grain__in=["d", "m"],
        day__gte=first,
        day__lt=end,  # needstat_bucket
    )
    if fix and not rows.exists():
        try:
            with transaction.atomic():
                return _pass(expected, first, end, fix=True, seen=seen)
        except IntegrityError:  # a change to a need created one of the month's rows meanwhile
            pass
    drift = _pass(expected, first, end, fix=False, seen=seen)
    if not (fix and drift.rows):
        return drift
    with transaction.atomic():
        stations = sorted(drift.station_ids)
        list(rows.filter(station_id__in=stations).select_for_update().values_list("pk"))
        return _pass(expected, first, end, fix=True, seen=seen, stations=stations)


def _pass(expected: Expected, first, end, *, fix: bool, seen: set[int], stations=None) -> Drift:
    expected.fill(first, end, stations)
    drift = Drift(rows=expected.compare(first, end, stations))
    if drift.rows:
        drift.station_ids = set(expected.stations())
        examples = expected.examples(EXAMPLES_PER_STATION)
        drift.examples = [_describe(*e) for e in examples if e[0][0] not in seen]
        if fix:
            expected.correct()
    return drift


def reconcile_nightly(today: datetime.date) -> Drift:
    """The nightly job's share (nightly_windows), drift corrected; `rebuild_stats` does all."""
    from hqzt.needs.models import Need

    earliest = Need.objects.aggregate(first=Min("registered_on"))["first"]
    total = Drift()
    for window in nightly_windows(today, earliest):
        total.add(reconcile(fix=True, window=window))
    return total


def _describe(key, expected: list[int], actual: list[int]) -> str:
    station, sections, grain, day, dim, value = key
    where = f"服务站 {station} {sections or '本站'} {grain}{day} {dim}={value}"
    return f"{where}: 应为 {expected}，实为 {actual}"
