"""Figures computed directly over a set of needs, for sets the maintained rows do not cover.

The records books (一企一册, one chain's book) count one enterprise's or one chain's needs, a
few hundred rows; the statistics page counts whole stations and periods from NeedStat
(`dashboard.statistics`), and its tests hold its figures to these. Both turn counts into rates
through `rates`.
"""

from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from hqzt.needs.measures import MEASURES
from hqzt.needs.models import EvaluationLevel, Need


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def figures() -> dict[str, Any]:
    """The aggregates every comparison shares, for one `aggregate()` or `annotate()` call."""
    return {
        **{key: Count("pk", filter=m.q) for key, m in MEASURES.items()},
        "avg_workdays": Avg("handling_workdays"),
    }


def rates(row: dict[str, Any]) -> dict[str, Any]:
    """The counts of `row` with its rates: 响应率, 解决率, on-time, re-handle and 满意率."""
    avg = row["avg_workdays"]
    return {
        **row,
        "avg_workdays": round(avg, 1) if avg is not None else None,
        "response_rate": pct(row["answered"], row["registered"]),
        "resolution_rate": pct(row["resolved"], row["completed"]),
        "on_time_rate": pct(row["on_time"], row["completed"]),
        "rehandle_rate": pct(row["rehandled"], row["completed"]),
        "satisfaction_rate": pct(row["satisfied"], row["evaluated"]),
    }


def totals(needs: QuerySet[Need]) -> dict[str, Any]:
    """The figures of `needs` and the needs per latest evaluation level (满意度分布)."""
    row = needs.aggregate(
        **figures(),
        **{f"level_{value}": Count("pk", filter=Q(evaluation=value)) for value in EvaluationLevel},
    )
    levels = {f"level_{value}" for value in EvaluationLevel}
    return {
        **rates({k: v for k, v in row.items() if k not in levels}),
        "satisfaction": [
            (value, label, row[f"level_{value}"]) for value, label in EvaluationLevel.choices
        ],
    }
