"""Annual plan progress (R-1.5), computed live from the records, one aggregate per metric."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from hqzt.needs.measures import SATISFIED
from hqzt.needs.models import Evaluation, Need
from hqzt.operations.models import AnnualPlan, Meeting, Metric, Training, Visit


@dataclass(frozen=True)
class GoalProgress:
    metric: str
    label: str
    target: int
    actual: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.actual / self.target)) if self.target else 100


def _rate(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def metric_values(plan: AnnualPlan) -> dict[str, int]:
    station, year = plan.station, plan.year
    needs = Need.objects.filter(station=station)
    completed = needs.filter(ended_at__year=year)
    done = completed.aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(ended_at__date__lte=F("complete_due_on")))
    )
    evaluations = Evaluation.objects.filter(need__station=station, at__year=year).aggregate(
        total=Count("pk"),
        satisfied=Count(
            "pk",
            filter=Q(level__in=SATISFIED),
        ),
    )
    return {
        Metric.VISITS: Visit.objects.filter(station=station, visited_on__year=year).count(),
        Metric.NEEDS_REGISTERED: needs.filter(registered_on__year=year).count(),
        Metric.NEEDS_CLOSED: done["total"],
        Metric.ON_TIME_RATE: _rate(done["on_time"], done["total"]),
        Metric.SATISFACTION_RATE: _rate(evaluations["satisfied"], evaluations["total"]),
        Metric.TRAININGS: Training.objects.filter(station=station, held_on__year=year).count(),
        Metric.MEETINGS: Meeting.objects.filter(
            station=station, held_on__year=year, kind=Meeting.Kind.REGULAR
        ).count(),
        Metric.POLICIES: station.policies.filter(created_at__year=year)
        .exclude(interpretation="")
        .count(),
    }


def plan_progress(plan: AnnualPlan) -> list[GoalProgress]:
    values = metric_values(plan)
    return [
        GoalProgress(g.metric, g.get_metric_display(), g.target, values[g.metric])
        for g in plan.goals.all()
    ]
