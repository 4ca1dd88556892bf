"""Statistics (R-7) summed from the maintained NeedStat rows of the user's scope and period.

Each count is a measure of `needs.measures`, which the ledger's 指标 filter shares, so a figure
opens exactly the needs it counts (`dashboard.aggregates` evaluates the same conditions when it
fills the rows). 满意率 = needs whose latest evaluation is 满意 or 非常满意 / needs evaluated (a
不满意 that sent the need round again shows in 重新办理率); on-time = completed by the completion
deadline; handling time is the working days stored on each need at completion; 响应率 = needs
answered / registered; 解决率 = completed with the need met / completed. A period reads month
rows for its whole months and day rows for the days at either end (ADR 0009).
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet, Sum

from hqzt.accounts.models import User
from hqzt.dashboard.aggregates import FLAGS, VECTOR
from hqzt.dashboard.models import NeedStat
from hqzt.enterprises.models import Chain, Town
from hqzt.intake.models import SuggestionRecord
from hqzt.needs.figures import pct, rates
from hqzt.needs.models import Channel, EvaluationLevel, NeedType
from hqzt.org.models import Section
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_visible_to

Month = NeedStat.Grain.MONTH
Day = NeedStat.Grain.DAY
# The names behind a dimension's ids; dimensions without a model count their own values.
NAMES = {
    "station": Station,
    "section": Section,
    "type": NeedType,
    "channel": Channel,
    "town": Town,
    "chain": Chain,
}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def query(self) -> str:
        return f"date_from={self.start:%Y-%m-%d}&date_to={self.end:%Y-%m-%d}"

    def rows(self, dim: str) -> Q:
        """A dimension's month rows for the whole months inside the period, day rows for the
        rest; each branch names the dimension, so each is a range of the bucket index."""
        first = self.start if self.start.day == 1 else next_month(self.start)
        after = next_month(self.end)
        last = after if self.end == after - datetime.timedelta(days=1) else self.end.replace(day=1)
        if first >= last:
            return Q(dim=dim, grain=Day, day__gte=self.start, day__lte=self.end)
        rows = Q(dim=dim, grain=Month, day__gte=first, day__lt=last)
        if self.start < first:  # an empty range still costs an index probe per station
            rows |= Q(dim=dim, grain=Day, day__gte=self.start, day__lt=first)
        if last <= self.end:
            rows |= Q(dim=dim, grain=Day, day__gte=last, day__lte=self.end)
        return rows


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def scope(user: User) -> Q:
    """The rows of the needs the user may see: needs_visible_to, in NeedStat's terms."""
    if user.is_admin:
        return Q(sections="")
    if user.is_handler:
        ids = list(user.sections.values_list("pk", flat=True))
        return reduce(or_, (Q(sections__contains=f",{i},") for i in ids), Q(pk__in=[]))
    # The stations as a list of ids, not a subquery: the planner guesses a subquery at one row
    # and joins it row by row to every bucket of the period (issue 18).
    return Q(sections="", station__in=list(stations_visible_to(user).values_list("pk", flat=True)))


class Statistics:
    """The figures of one user's scope over one period."""

    def __init__(self, user: User, period: Period) -> None:
        self.period = period
        # A row left at zero (its needs moved away or were destroyed) names no group.
        self.rows = NeedStat.objects.filter(scope(user), n__gt=0)

    def _sums(self, dim: str, *group: str) -> QuerySet:
        sums = {name: Sum(name) for name in VECTOR}
        return self.rows.filter(self.period.rows(dim)).values(*group).annotate(**sums).order_by()

    def totals(self) -> dict[str, Any]:
        """The period's figures and the needs per latest evaluation level (满意度分布)."""
        row = self.rows.filter(self.period.rows("all")).aggregate(
            **{name: Sum(name) for name in VECTOR}
        )
        levels = {r["value"]: r["n"] for r in self._sums("level", "value")}
        return {
            **_rates(row),
            "satisfaction": [
                (value, label, levels.get(value, 0)) for value, label in EvaluationLevel.choices
            ],
        }

    def compare_by(self, dim: str) -> list[dict[str, Any]]:
        """One row of figures per station (dim="station") or lead section (dim="section"):
        响应率, 解决率, on-time rate, average working days, 满意率 and re-handle rate (R-5.1).

        Each row carries its group's id under "key" and its name under "name"."""
        if dim == "station":
            rows = [{**r, "value": r["station"]} for r in self._sums("all", "station")]
        else:
            rows = list(self._sums("section", "value"))
        names = _names(dim, [r["value"] for r in rows])
        result = [
            {**_rates(r), "key": _id(r["value"]), "name": names.get(_id(r["value"]))} for r in rows
        ]
        result.sort(key=lambda r: (r["name"] is None, r["name"] or "", r["key"] or 0))
        return [{**r, "name": r["name"] or "（无牵头科室）"} for r in result]

    def monthly(self) -> list[dict[str, Any]]:
        """Per month of registration: registered, completed and 满意率 (the trend chart)."""
        months: dict[datetime.date, dict[str, int]] = {}
        for r in self._sums("all", "day"):
            month = months.setdefault(r["day"].replace(day=1), dict.fromkeys(VECTOR, 0))
            for name in VECTOR:
                month[name] += r[name]
        return [{**_rates(months[m]), "month": m} for m in sorted(months)]

    def counts_by(self, dim: str) -> list[tuple[Any, str, int]]:
        """(filter value, label, count) for a ledger filter field, the largest first."""
        rows = list(self._sums(dim, "value"))
        if dim in NAMES:
            names = _names(dim, [r["value"] for r in rows])
            counted = [(_id(r["value"]), names.get(_id(r["value"])) or "—", r["n"]) for r in rows]
        else:
            counted = [(r["value"], r["value"], r["n"]) for r in rows]
        return sorted(counted, key=lambda c: (-c[2], c[1]))

    def adoption(self) -> list[dict]:
        """建议采纳率 per decision, over the suggestion records of the needs counted."""
        by_stage = {r["value"]: r for r in self._sums("stage", "value")}
        result = []
        for stage, label in SuggestionRecord.Stage.choices:
            row = by_stage.get(stage, {"n": 0, "accepted": 0})
            total, accepted = row["n"], row["accepted"]
            rate = pct(accepted, total)
            result.append({"label": label, "total": total, "accepted": accepted, "rate": rate})
        return result


def _id(value: str | int) -> int | None:
    return int(value) if value not in ("", None) else None


def _names(dim: str, values: list) -> dict[int, str]:
    ids = [i for i in map(_id, values) if i is not None]
    return dict(NAMES[dim].objects.filter(pk__in=ids).values_list("pk", "name"))


def _rates(sums: dict[str, Any]) -> dict[str, Any]:
    row = {name: sums.get(name) or 0 for name in VECTOR}
    avg = row["workdays_sum"] / row["workdays_n"] if row["workdays_n"] else None
    return rates({"registered": row["n"], **{f: row[f] for f in FLAGS}, "avg_workdays": avg})
