"""Statistics (R-7) from aggregate queries over the needs a user may see.

满意率 = (非常满意 + 满意) / evaluated; on-time = completed by the completion deadline; handling
time is the working days stored on each need at completion; re-handle rate = needs that went
round more than once / completed; 响应率 = needs answered (first answer given) / registered;
解决率 = completed with the need met / completed.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet

from hqzt.needs.models import Evaluation, EvaluationLevel, Need, Outcome

SATISFIED = [EvaluationLevel.VERY_SATISFIED, EvaluationLevel.SATISFIED]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def query(self) -> str:
        return f"date_from={self.start:%Y-%m-%d}&date_to={self.end:%Y-%m-%d}"


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _figures() -> dict[str, Any]:
    """The aggregates every comparison shares, for one `aggregate()` or `annotate()` call."""
    return {
        "registered": Count("pk"),
        "answered": Count("pk", filter=Q(first_answered_at__isnull=False)),
        "completed": Count("pk", filter=Q(ended_at__isnull=False)),
        "resolved": Count("pk", filter=Q(outcome=Outcome.MET)),
        "on_time": Count("pk", filter=Q(ended_at__date__lte=F("complete_due_on"))),
        "rehandled": Count("pk", filter=Q(round__gt=1)),
        "avg_workdays": Avg("handling_workdays"),
    }


def _rates(row: dict[str, Any], evaluated: int, satisfied: int) -> dict[str, Any]:
    avg = row["avg_workdays"]
    return {
        **row,
        "avg_workdays": round(avg, 1) if avg is not None else None,
        "response_rate": _pct(row["answered"], row["registered"]),
        "resolution_rate": _pct(row["resolved"], row["completed"]),
        "on_time_rate": _pct(row["on_time"], row["completed"]),
        "rehandle_rate": _pct(row["rehandled"], row["completed"]),
        "satisfaction_rate": _pct(satisfied, evaluated),
        "evaluated": evaluated,
    }


def totals(needs: QuerySet[Need]) -> dict[str, Any]:
    row = needs.aggregate(**_figures())
    levels = dict(
        Evaluation.objects.filter(need__in=needs.values("pk"))
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    satisfied = sum(levels.get(level, 0) for level in SATISFIED)
    return {
        **_rates(row, sum(levels.values()), satisfied),
        "satisfaction": [(label, levels.get(value, 0)) for value, label in EvaluationLevel.choices],
    }


def compare_by(needs: QuerySet[Need], field: str, label_field: str) -> list[dict[str, Any]]:
    """One row of figures per station (field="station") or lead section (field="lead_section"):
    响应率, 解决率, on-time rate, average working days, 满意率 and re-handle rate (R-5.1).

    Each row carries its group's id under "key" and its name under "name"."""
    rows = needs.values(field, label_field).annotate(**_figures()).order_by(label_field)
    evaluations = {
        key: (evaluated, satisfied)
        for key, evaluated, satisfied in Evaluation.objects.filter(need__in=needs.values("pk"))
        .values(f"need__{field}")
        .annotate(evaluated=Count("pk"), satisfied=Count("pk", filter=Q(level__in=SATISFIED)))
        .values_list(f"need__{field}", "evaluated", "satisfied")
    }
    return [
        {
            **_rates(row, *evaluations.get(row[field], (0, 0))),
            "key": row[field],
            "name": row[label_field] or "（无牵头科室）",
        }
        for row in rows
    ]


def counts_by(needs: QuerySet[Need], field: str, label_field: str) -> list[tuple[Any, str, int]]:
    """(filter value, label, count) for a ledger filter field."""
    rows = needs.values(field, label_field).annotate(n=Count("pk")).order_by("-n")
    return [(r[field], r[label_field] or "—", r["n"]) for r in rows]
