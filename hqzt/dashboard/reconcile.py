"""Reconciling NeedStat with the needs (ADR 0009): the nightly job, `rebuild_stats` and the
migration's backfill recompute every bucket from the needs, station by station, and compare.

A station whose rows differ is recomputed again with its rows locked (a transaction moving one
of them finishes first, and waits for the fix to commit): the wrong rows are set to what the
needs give, the missing ones created in bulk.
"""

from dataclasses import dataclass, field

from django.db import transaction

from hqzt.dashboard import aggregates


@dataclass
class Drift:
    stations: int = 0
    rows: int = 0
    examples: list[str] = field(default_factory=list)


def _actual(stat_model, station_id: int, *, lock: bool = False) -> dict:
    """The station's rows by bucket key."""
    rows = stat_model.objects.filter(station_id=station_id)
    if lock:
        rows = rows.select_for_update()
    return {(r.station_id, r.sections, r.grain, r.day, r.dim, r.value): r for r in rows}


def _vectors(rows: dict) -> aggregates.Buckets:
    return {k: [getattr(r, name) for name in aggregates.VECTOR] for k, r in rows.items()}


def _differences(expected: aggregates.Buckets, actual: aggregates.Buckets) -> list:
    zero = [0] * len(aggregates.VECTOR)
    keys = set(expected) | set(actual)
    return sorted(k for k in keys if expected.get(k, zero) != actual.get(k, zero))


def reconcile(*, fix: bool, need_model=None, stat_model=None) -> Drift:
    """Compare (and with `fix`, correct) every station's rows; the models default to the live
    ones and are the historical ones in the migration."""
    from hqzt.dashboard.models import NeedStat
    from hqzt.needs.models import Need

    need_model, stat_model = need_model or Need, stat_model or NeedStat
    drift = Drift()
    stations = set(need_model.objects.values_list("station_id", flat=True).distinct())
    stations |= set(stat_model.objects.values_list("station_id", flat=True).distinct())
    for station_id in sorted(stations):
        needs = need_model.objects.filter(station_id=station_id)
        if not _differences(aggregates.buckets(needs), _vectors(_actual(stat_model, station_id))):
            continue
        with transaction.atomic():
            rows = _actual(stat_model, station_id, lock=True)
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
