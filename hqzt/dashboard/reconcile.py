"""Reconciling NeedStat with the needs (ADR 0009): `rebuild_stats` and the migration's backfill
recompute every bucket from the needs, station by station, and compare; the nightly job does the
same for the recent months and one older month in rotation (`nightly_windows`), since a full
pass costs about 12 ms per need — a day and more at a province's ten million.

A station whose rows differ is recomputed again with its rows locked (a transaction moving one
of them finishes first, and waits for the fix to commit): the wrong rows are set to what the
needs give, the missing ones created in bulk.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from hqzt.dashboard import aggregates


@dataclass
class Drift:
    stations: int = 0
    rows: int = 0
    examples: list[str] = field(default_factory=list)


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


def _actual(stat_model, station_id: int, window: Window, *, lock: bool = False) -> dict:
    """The station's rows by bucket key."""
    rows = _in(stat_model.objects.filter(station_id=station_id), "day", window)
    if lock:
        rows = rows.select_for_update()
    return {(r.station_id, r.sections, r.grain, r.day, r.dim, r.value): r for r in rows}


def _vectors(rows: dict) -> aggregates.Buckets:
    return {k: [getattr(r, name) for name in aggregates.VECTOR] for k, r in rows.items()}


def _differences(expected: aggregates.Buckets, actual: aggregates.Buckets) -> list:
    zero = [0] * len(aggregates.VECTOR)
    keys = set(expected) | set(actual)
    return sorted(k for k in keys if expected.get(k, zero) != actual.get(k, zero))


def reconcile(*, fix: bool, need_model=None, stat_model=None, window: Window = None) -> Drift:
    """Compare (and with `fix`, correct) every station's rows — only those of needs registered
    in `window` when one is given; the models default to the live ones and are the historical
    ones in the migration."""
    from hqzt.dashboard.models import NeedStat
    from hqzt.needs.models import Need

    need_model, stat_model = need_model or Need, stat_model or NeedStat
    drift = Drift()
    all_needs = _in(need_model.objects.all(), "registered_on", window)
    stations = set(all_needs.values_list("station_id", flat=True).distinct())
    stations |= set(
        _in(stat_model.objects.all(), "day", window).values_list("station_id", flat=True).distinct()
    )
    for station_id in sorted(stations):
        needs = all_needs.filter(station_id=station_id)
        actual = _vectors(_actual(stat_model, station_id, window))
        if not _differences(aggregates.buckets(needs), actual):
            continue
        with transaction.atomic():
            rows = _actual(stat_model, station_id, window, lock=True)
            actual, expected = _vectors(rows), aggregates.buckets(needs)
            wrong = _differences(expected, actual)
            if not wrong:
                continue
            drift.stations += 1
            drift.rows += len(wrong)
            drift.examples += [_describe(k, expected, actual) for k in wrong[:3]]
            if fix:
                _correct(stat_model, rows, expected, wrong)
    return drift


def reconcile_nightly(today: datetime.date) -> Drift:
    """The nightly job's share (nightly_windows), drift corrected; `rebuild_stats` does all."""
    from django.db.models import Min

    from hqzt.needs.models import Need

    earliest = Need.objects.aggregate(first=Min("registered_on"))["first"]
    total = Drift()
    for window in nightly_windows(today, earliest):
        drift = reconcile(fix=True, window=window)
        total.stations += drift.stations
        total.rows += drift.rows
        total.examples += drift.examples
    return total


def _correct(stat_model, rows: dict, expected: aggregates.Buckets, wrong: list) -> None:
    """Set the wrong rows to what the needs give: locked rows in place, missing ones created."""
    zero = [0] * len(aggregates.VECTOR)
    changed, missing = [], []
    for key in wrong:
        values = dict(zip(aggregates.VECTOR, expected.get(key, zero), strict=True))
        if key in rows:
            row = rows[key]
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        else:
            station, sections, grain, day, dim, value = key
            missing.append(
                stat_model(
                    station_id=station,
                    sections=sections,
                    grain=grain,
                    day=day,
                    dim=dim,
                    value=value,
                    **values,
                )
            )
    stat_model.objects.bulk_update(changed, aggregates.VECTOR, batch_size=500)
    stat_model.objects.bulk_create(missing, batch_size=1000)


def _describe(key, expected, actual) -> str:
    station, sections, grain, day, dim, value = key
    zero = [0] * len(aggregates.VECTOR)
    return (
        f"服务站 {station} {sections or '本站'} {grain}{day} {dim}={value}: "
        f"应为 {expected.get(key, zero)}，实为 {actual.get(key, zero)}"
    )
