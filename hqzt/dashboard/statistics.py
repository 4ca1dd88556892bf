"""Statistics (R-7) from aggregate queries over the needs a user may see.

Each count is a measure of `needs.measures`, which the ledger's 指标 filter shares, so a figure
opens exactly the needs it counts. 满意率 = needs whose latest evaluation is 满意 or 非常满意 /
needs evaluated (a 不满意 that sent the need round again shows in 重新办理率); on-time = completed
by the completion deadline; handling time is the working days stored on each need at completion;
响应率 = needs answered / registered; 解决率 = completed with the need met / completed.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from hqzt.needs.measures import MEASURES
from hqzt.needs.models import EvaluationLevel, Need


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
        **{key: Count("pk", filter=m.q) for key, m in MEASURES.items()},
        "avg_workdays": Avg("handling_workdays"),
    }


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    avg = row["avg_workdays"]
    return {
        **row,
        "avg_workdays": round(avg, 1) if avg is not None else None,
        "response_rate": _pct(row["answered"], row["registered"]),
        "resolution_rate": _pct(row["resolved"], row["completed"]),
        "on_time_rate": _pct(row["on_time"], row["completed"]),
        "rehandle_rate": _pct(row["rehandled"], row["completed"]),
        "satisfaction_rate": _pct(row["satisfied"], row["evaluated"]),
    }


def totals(needs: QuerySet[Need]) -> dict[str, Any]:
    """The period's figures and the needs per latest evaluation level (满意度分布)."""
    row = needs.aggregate(
        **_figures(),
        **{f"level_{value}": Count("pk", filter=Q(evaluation=value)) for value in EvaluationLevel},
    )
    return {
        **_rates(row),
        "satisfaction": [
            (value, label, row[f"level_{value}"]) for value, label in EvaluationLevel.choices
        ],
    }


def compare_by(needs: QuerySet[Need], field: str, label_field: str) -> list[dict[str, Any]]:
    """One row of figures per station (field="station") or lead section (field="lead_section"):
    响应率, 解决率, on-time rate, average working days, 满意率 and re-handle rate (R-5.1).

    Each row carries its group's id under "key" and its name under "name"."""
    rows = needs.values(field, label_field).annotate(**_figures()).order_by(label_field)
    return [
        {**_rates(row), "key": row[field], "name": row[label_field] or "（无牵头科室）"}
        for row in rows
    ]


def monthly(needs: QuerySet[Need]) -> list[dict[str, Any]]:
    """Per month of registration: registered, completed and 满意率 (the trend chart)."""
    rows = (
        needs.annotate(month=TruncMonth("registered_on"))
        .values("month")
        .annotate(**_figures())
        .order_by("month")
    )
    return [{**_rates(row), "month": row["month"]} for row in rows]


def counts_by(needs: QuerySet[Need], field: str, label_field: str) -> list[tuple[Any, str, int]]:
    """(filter value, label, count) for a ledger filter field."""
    rows = needs.values(field, label_field).annotate(n=Count("pk")).order_by("-n")
    return [(r[field], r[label_field] or "—", r["n"]) for r in rows]
