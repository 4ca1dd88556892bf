"""The needs each statistics figure counts (R-7), defined once for the figures and the ledger.

The statistics page counts `Count("pk", filter=measure.q)` over the needs of a period and the
ledger's 指标 filter narrows to `measure.q`: both read the same definition, so every figure opens
exactly the rows it counts. A rate opens its numerator (满意率 → the satisfied needs) beside its
denominator's own figure. Needs refused at acceptance (不予受理) are never counted.
"""

from dataclasses import dataclass

from django.db.models import F, Q

from hqzt.needs.models import EvaluationLevel, Outcome
from hqzt.needs.states import Status

SATISFIED = [EvaluationLevel.VERY_SATISFIED, EvaluationLevel.SATISFIED]
COUNTED = ~Q(status=Status.REJECTED)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    q: Q


MEASURES = {
    m.key: m
    for m in [
        Measure("registered", "登记需求（不含不予受理）", Q()),
        Measure("answered", "已首次答复", Q(first_answered_at__isnull=False)),
        Measure("completed", "办理完毕", Q(ended_at__isnull=False)),
        Measure("resolved", "需求满足（办结）", Q(outcome=Outcome.MET)),
        Measure("on_time", "按时办结", Q(ended_at__date__lte=F("complete_due_on"))),
        Measure("rehandled", "重新办理过", Q(round__gt=1)),
        Measure("evaluated", "已评价", ~Q(evaluation="")),
        Measure("satisfied", "满意或非常满意", Q(evaluation__in=SATISFIED)),
    ]
}


def measure_q(key: str) -> Q:
    """The ledger condition of a figure: counted needs that meet the measure."""
    return COUNTED & MEASURES[key].q
