"""Statistics (R-7) from aggregate queries over the needs a user may see.

满意率 = (非常满意 + 满意) / evaluated; on-time = completed by the completion deadline; handling
time is the working days stored on each need at completion; re-handle rate = needs that went
round more than once / completed.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet

from hqzt.needs.models import Evaluation, EvaluationLevel, Need

SATISFIED = [EvaluationLevel.VERY_SATISFIED, EvaluationLevel.SATISFIED]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def query(self) -> str:
        return f"date_from={self.start:%Y-%m-%d}&date_to={self.end:%Y-%m-%d}"


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def totals(needs: QuerySet[Need]) -> dict[str, Any]:
    row = needs.aggregate(
        registered=Count("pk"),
        completed=Count("pk", filter=Q(ended_at__isnull=False)),
        on_time=Count("pk", filter=Q(ended_at__date__lte=F("complete_due_on"))),
        rehandled=Count("pk", filter=Q(round__gt=1)),
        avg_workdays=Avg("handling_workdays"),
    )
    levels = dict(
        Evaluation.objects.filter(need__in=needs.values("pk"))
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    evaluated = sum(levels.values())
    return {
        **row,
        "avg_workdays": round(row["avg_workdays"], 1) if row["avg_workdays"] is not None else None,
        "on_time_rate": _pct(row["on_time"], row["completed"]),
        "rehandle_rate": _pct(row["rehandled"], row["completed"]),
        "satisfaction": [(label, levels.get(value, 0)) for value, label in EvaluationLevel.choices],
        "satisfaction_rate": _pct(sum(levels.get(level, 0) for level in SATISFIED), evaluated),
        "evaluated": evaluated,
    }


def by_station(needs: QuerySet[Need]) -> list[dict[str, Any]]:
    rows = (
        needs.values("station", "station__name")
        .annotate(
            registered=Count("pk"),
            completed=Count("pk", filter=Q(ended_at__isnull=False)),
            on_time=Count("pk", filter=Q(ended_at__date__lte=F("complete_due_on"))),
            rehandled=Count("pk", filter=Q(round__gt=1)),
            avg_workdays=Avg("handling_workdays"),
        )
        .order_by("station__name")
    )
    evaluations = {
        station: (evaluated, satisfied)
        for station, evaluated, satisfied in Evaluation.objects.filter(need__in=needs.values("pk"))
        .values("need__station")
        .annotate(evaluated=Count("pk"), satisfied=Count("pk", filter=Q(level__in=SATISFIED)))
        .values_list("need__station", "evaluated", "satisfied")
    }
    return [
        {
            **row,
            "avg_workdays": round(row["avg_workdays"], 1)
            if row["avg_workdays"] is not None
            else None,
            "on_time_rate": _pct(row["on_time"], row["completed"]),
            "rehandle_rate": _pct(row["rehandled"], row["completed"]),
            "satisfaction_rate": _pct(
                evaluations.get(row["station"], (0, 0))[1],
                evaluations.get(row["station"], (0, 0))[0],
            ),
        }
        for row in rows
    ]


def counts_by(needs: QuerySet[Need], field: str, label_field: str) -> list[tuple[Any, str, int]]:
    """(filter value, label, count) for a ledger filter field."""
    rows = needs.values(field, label_field).annotate(n=Count("pk")).order_by("-n")
    return [(r[field], r[label_field] or "—", r["n"]) for r in rows]
