"""The statistics page's figures computed the way they were before NeedStat (GROUP BY over the
needs a user may see), kept only as the reference the maintained rows are tested against."""

from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from hqzt.dashboard.statistics import Period
from hqzt.intake.models import SuggestionRecord
from hqzt.needs import figures as need_figures
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.measures import COUNTED

# counts_by: the statistics dimension → (field, label field) of the old GROUP BY
FIELDS = {
    "type": ("need_type", "need_type__name"),
    "source": ("source", "source"),
    "status": ("status", "status"),
    "channel": ("channel", "channel__name"),
    "town": ("enterprise__town", "enterprise__town__name"),
    "chain": ("enterprise__chains", "enterprise__chains__name"),
}


def needs(user, period: Period):
    found, _ = ledger_filter(user, {"date_from": f"{period.start}", "date_to": f"{period.end}"})
    return found.filter(COUNTED)


def compare_by(qs, dim: str) -> list[dict[str, Any]]:
    field, label = {"station": ("station", "station__name")}.get(
        dim, ("lead_section", "lead_section__name")
    )
    rows = qs.values(field, label).annotate(**need_figures.figures()).order_by(label)
    return [
        {
            **need_figures.rates({k: v for k, v in row.items() if k not in (field, label)}),
            "key": row[field],
            "name": row[label] or "（无牵头科室）",
        }
        for row in rows
    ]


def monthly(qs) -> list[dict[str, Any]]:
    rows = (
        qs.annotate(month=TruncMonth("registered_on"))
        .values("month")
        .annotate(**need_figures.figures())
        .order_by("month")
    )
    return [
        {
            **need_figures.rates({k: v for k, v in row.items() if k != "month"}),
            "month": row["month"],
        }
        for row in rows
    ]


def counts_by(qs, dim: str) -> list[tuple[Any, str, int]]:
    field, label = FIELDS[dim]
    rows = qs.values(field, label).annotate(n=Count("pk")).order_by("-n")
    return [(r[field], r[label] or "—", r["n"]) for r in rows]


def adoption(qs) -> list[dict]:
    rows = (
        SuggestionRecord.objects.filter(need__in=qs)
        .values("stage")
        .annotate(total=Count("id"), accepted=Count("id", filter=Q(accepted=True)))
    )
    by_stage = {row["stage"]: row for row in rows}
    result = []
    for stage, label in SuggestionRecord.Stage.choices:
        row = by_stage.get(stage, {"total": 0, "accepted": 0})
        rate = round(100 * row["accepted"] / row["total"], 1) if row["total"] else None
        result.append(
            {"label": label, "total": row["total"], "accepted": row["accepted"], "rate": rate}
        )
    return result
