"""Statistics (R-7) summed from the maintained NeedStat rows of the user's scope and period.

Each count is a measure of `needs.measures`, which the ledger's 指标 filter shares, so a figure
opens exactly the needs it counts (`dashboard.aggregates` evaluates the same conditions when it
fills the rows). 满意率 = needs whose latest evaluation is 满意 or 非常满意 / needs evaluated (a
不满意 that sent the need round again shows in 重新办理率); on-time = completed by the completion
deadline; handling time is the working days stored on each need at completion; 响应率 = needs
answered / registered; 解决率 = completed with the need met / completed. A period reads month
rows for its whole months and, for a month it covers only partly, day rows or the month's row
less the day rows outside the period, whichever are fewer (ADR 0009).
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Sum, When

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

    def rows(self, dim: str) -> tuple[Q, Q | None]:
        """A dimension's rows for the period: (rows to add, day rows to subtract or None).

        Month rows for the whole months inside the period, and for a month the period covers
        only partly, whichever reads fewer rows: the day rows of its days inside the period, or
        its month row less the day rows of its days outside. A year to date read 30 days of
        day rows for the first month (51,000 rows of a dimension at 10M needs, ≈60 ms); its
        month row less one day reads 1/15 of that. Each branch names the dimension and grain,
        so each is a range of the bucket index (ADR 0009)."""
        stop = self.end + datetime.timedelta(days=1)
        if stop <= self.start:  # an empty period
            return Q(pk__in=[]), None
        first, last = self.start.replace(day=1), self.end.replace(day=1)
        whole_from = first if self.start == first else next_month(first)
        whole_to = next_month(last) if stop == next_month(last) else last
        add = [_months(dim, whole_from, whole_to)] if whole_from < whole_to else []
        subtract = []
        for month in dict.fromkeys([first, last]):  # only the months at either end are partly in
            after = next_month(month)
            inside = (max(month, self.start), min(after, stop))
            if inside == (month, after):
                continue
            if (inside[1] - inside[0]).days * 2 <= (after - month).days:
                add.append(_days(dim, *inside))
            else:
                add.append(_months(dim, month, after))
                subtract += [_days(dim, month, inside[0]), _days(dim, inside[1], after)]
        subtract = [q for q in subtract if q]
        return reduce(or_, add), reduce(or_, subtract) if subtract else None


def _days(dim: str, first: datetime.date, stop: datetime.date) -> Q | None:
    """Day rows of [first, stop); None for an empty range (it would still cost an index probe
    per station)."""
    return Q(dim=dim, grain=Day, day__gte=first, day__lt=stop) if first < stop else None


def _months(dim: str, first: datetime.date, stop: datetime.date) -> Q:
    return Q(dim=dim, grain=Month, day__gte=first, day__lt=stop)


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

    def _summed(self, dim: str) -> tuple[QuerySet, dict[str, Sum]]:
        """The dimension's rows of the period and the sum of each figure over them, the day
        rows a partly covered month's row stands in for counted negatively."""
        add, subtract = self.period.rows(dim)
        if subtract is None:
            return self.rows.filter(add), {name: Sum(name) for name in VECTOR}
        signed = {
            name: Sum(Case(When(subtract, then=-F(name)), default=F(name))) for name in VECTOR
        }
        return self.rows.filter(add | subtract), signed

    def _sums(self, dim: str, *group: str) -> list[dict[str, Any]]:
        """The sums per group; a group whose needs a subtraction cancels names nothing, as a
        row left at zero names nothing."""
        rows, sums = self._summed(dim)
        return [r for r in rows.values(*group).annotate(**sums).order_by() if r["n"]]

    def totals(self) -> dict[str, Any]:
        """The period's figures and the needs per latest evaluation level (满意度分布)."""
        rows, sums = self._summed("all")
        row = rows.aggregate(**sums)
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
        # A month whose day rows a subtraction cancels (its needs all outside the period) is
        # left out, as a month without needs is.
        return [{**_rates(months[m]), "month": m} for m in sorted(months) if months[m]["n"]]

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
