"""Keeping NeedStat exact (ADR 0009): which buckets a need counts in, and moving them.

`buckets(needs)` reads the needs from the database and says, per bucket, what they add: every
figure of `needs.measures` evaluated by the database (the same conditions the ledger filters
with), the handling working days, and a count per type, source, status, channel, town, chain,
evaluation level and suggestion stage. Each change to a need takes the buckets of the needs it
touches before and after, in its own transaction, and adds the difference with F() increments
(rows in a fixed order, so two transactions never wait on each other crosswise). The nightly
reconciliation (`rebuild_stats`) recomputes the same buckets from scratch.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from hqzt.dashboard.models import NeedStat
from hqzt.intake.models import SuggestionRecord
from hqzt.needs.measures import COUNTED, MEASURES
from hqzt.needs.models import Need

FLAGS = [key for key in MEASURES if key != "registered"]
VECTOR = ["n", *FLAGS, "workdays_sum", "workdays_n", "accepted"]
# (dimension, the need's field whose value it counts); "all" and "section" carry every figure.
COUNTS = [
    ("type", "need_type_id"),
    ("source", "source"),
    ("status", "status"),
    ("channel", "channel_id"),
    ("town", "enterprise__town"),
]
Key = tuple[int, str, str, datetime.date, str, str]
Buckets = dict[Key, list[int]]


def _vector(**values: int) -> list[int]:
    return [values.get(name, 0) for name in VECTOR]


def _add(into: Buckets, key: Key, vector: list[int], sign: int = 1) -> None:
    row = into.setdefault(key, [0] * len(VECTOR))
    for i, v in enumerate(vector):
        row[i] += sign * v


def _bases(station: int, registered_on: datetime.date, sections: set[int]) -> list[tuple]:
    """(station, audience, grain, day) of the rows a need counts in: the station's own figures
    and, once sections handle it, those sections' figures; by day and by month."""
    audiences = [""]
    if sections:
        audiences.append("," + ",".join(str(s) for s in sorted(sections)) + ",")
    days = [
        ("d", registered_on),  # NeedStat.Grain as plain text: keys compare with the rows'
        ("m", registered_on.replace(day=1)),
    ]
    return [(station, a, grain, day) for a in audiences for grain, day in days]


def _related(needs: QuerySet) -> tuple[dict, dict, dict]:
    """Co-handling sections per need, chains per enterprise, suggestion counts per need.

    Through `needs.model`, so that the migration's backfill runs on its historical models."""
    model = needs.model
    co: dict[int, set[int]] = defaultdict(set)
    through = model.co_sections.through.objects.filter(need_id__in=needs.values("pk"))
    for need_id, section_id in through.values_list("need_id", "section_id"):
        co[need_id].add(section_id)
    chains: dict[int, list[int]] = defaultdict(list)
    enterprise = model._meta.get_field("enterprise").related_model
    links = enterprise.chains.through.objects.filter(enterprise_id__in=needs.values("enterprise"))
    for enterprise_id, chain_id in links.values_list("enterprise_id", "chain_id"):
        chains[enterprise_id].append(chain_id)
    stages: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    records = (
        model._meta.get_field("suggestion_records")
        .related_model.objects.filter(need__in=needs.values("pk"))
        .values("need_id", "stage")
        .annotate(total=Count("pk"), accepted=Count("pk", filter=Q(accepted=True)))
        .order_by()
    )
    for r in records:
        stages[r["need_id"]].append((r["stage"], r["total"], r["accepted"]))
    return co, chains, stages


def buckets(needs: QuerySet[Need], *, suggestions: bool = True) -> Buckets:
    """What `needs` add to each bucket; needs refused at acceptance add nothing (COUNTED).
    Without `suggestions`, the suggestion stages are left out (their records move them)."""
    needs = needs.filter(COUNTED)
    co, chains, stages = _related(needs)
    flags = {
        f: Case(When(MEASURES[f].q, then=Value(1)), default=Value(0), output_field=IntegerField())
        for f in FLAGS
    }
    rows = (
        needs.values(
            "pk",
            "station_id",
            "registered_on",
            "lead_section_id",
            "enterprise_id",
            "evaluation",
            "handling_workdays",
            *(field for _, field in COUNTS),
        )
        .annotate(**flags)
        .order_by()
    )
    result: Buckets = {}
    for r in rows.iterator(chunk_size=2000):
        workdays = r["handling_workdays"]
        full = _vector(
            n=1,
            **{f: r[f] for f in FLAGS},
            workdays_sum=workdays or 0,
            workdays_n=int(workdays is not None),
        )
        one = _vector(n=1)
        sections = co.get(r["pk"], set()) | ({r["lead_section_id"]} - {None})
        for base in _bases(r["station_id"], r["registered_on"], sections):
            _add(result, (*base, "all", ""), full)
            _add(result, (*base, "section", _text(r["lead_section_id"])), full)
            for dim, field in COUNTS:
                _add(result, (*base, dim, _text(r[field])), one)
            for chain in chains.get(r["enterprise_id"]) or [None]:
                _add(result, (*base, "chain", _text(chain)), one)
            if r["evaluation"]:
                _add(result, (*base, "level", r["evaluation"]), one)
            for stage, total, accepted in stages.get(r["pk"], []) if suggestions else []:
                _add(result, (*base, "stage", stage), _vector(n=total, accepted=accepted))
    return result


def _text(value) -> str:
    return "" if value is None else str(value)


def apply(before: Buckets, after: Buckets, *, model=NeedStat) -> None:
    """Add after − before to the rows, creating the rows a bucket needs the first time."""
    delta: Buckets = {}
    for key, vector in after.items():
        _add(delta, key, vector)
    for key, vector in before.items():
        _add(delta, key, vector, -1)
    for key in sorted(k for k, v in delta.items() if any(v)):
        _increment(model, key, delta[key])


def _lookup(key: Key) -> dict:
    station, sections, grain, day, dim, value = key
    return {
        "station_id": station,
        "sections": sections,
        "grain": grain,
        "day": day,
        "dim": dim,
        "value": value,
    }


def _increment(model, key: Key, vector: list[int]) -> None:
    changes = {name: F(name) + v for name, v in zip(VECTOR, vector, strict=True) if v}
    rows = model.objects.filter(**_lookup(key))
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**_lookup(key), **dict(zip(VECTOR, vector, strict=True)))
    except IntegrityError:  # another transaction created the row first: add to it
        rows.update(**changes)


def suggestion_buckets(record: SuggestionRecord, stage: str, accepted: bool) -> Buckets:
    """What one suggestion record adds: its stage, in the buckets of its need as it stands."""
    need = (
        Need.objects.filter(COUNTED, pk=record.need_id)
        .values("station_id", "registered_on", "lead_section_id")
        .first()
    )
    if need is None:
        return {}
    sections = set(
        Need.co_sections.through.objects.filter(need_id=record.need_id).values_list(
            "section_id", flat=True
        )
    ) | ({need["lead_section_id"]} - {None})
    vector = _vector(n=1, accepted=int(accepted))
    return {
        (*base, "stage", stage): vector
        for base in _bases(need["station_id"], need["registered_on"], sections)
    }


def needs_of(enterprises: Iterable[int]) -> QuerySet[Need]:
    return Need.objects.filter(enterprise_id__in=list(enterprises))
