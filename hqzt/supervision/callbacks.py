"""回访 (§7.1): supervisors re-contact enterprises to confirm their evaluations.

Every 不满意 gets a callback as soon as it is recorded; the rest are sampled by a supervisor. A
confirmed level different from the recorded one is flagged as a mismatch, and the supervisor may
open an improvement plan from it.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, QuerySet

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.core.workdays import add_workdays
from hqzt.needs.models import Evaluation, EvaluationLevel
from hqzt.stations.selectors import stations_visible_to
from hqzt.supervision.access import SupervisionRefused, require_overseer
from hqzt.supervision.models import Callback

# Working days a supervisor has to make a callback.
CALLBACK_WORKDAYS = 5
MAX_SAMPLE = 200


def _create(evaluation: Evaluation, reason: str) -> Callback | None:
    """One callback per evaluation: a second request for the same one creates nothing."""
    try:
        with transaction.atomic():
            return Callback.objects.create(
                evaluation=evaluation,
                need_id=evaluation.need_id,
                station_id=evaluation.need.station_id,
                reason=reason,
                due_on=add_workdays(clock.today(), CALLBACK_WORKDAYS),
            )
    except IntegrityError:
        return None


def callback_for_evaluation(evaluation: Evaluation) -> Callback | None:
    """Subscribed to `needs.hooks.evaluation_recorded` (SupervisionConfig.ready), so it runs in the
    evaluation's transaction: 不满意 is always called back (R-5.1)."""
    if evaluation.level != EvaluationLevel.DISSATISFIED:
        return None
    return _create(evaluation, Callback.Reason.DISSATISFIED)


def _candidates(
    actor: User, start: datetime.date, end: datetime.date, station_id: int | None
) -> QuerySet[Evaluation]:
    stations = stations_visible_to(actor)
    if station_id is not None:
        stations = stations.filter(pk=station_id)
    return Evaluation.objects.filter(
        need__station__in=stations.values("pk"),
        at__date__gte=start,
        at__date__lte=end,
        callback__isnull=True,
    )


# DB1405 §7.1
def callbacks_sample(
    *,
    actor: User,
    start: datetime.date,
    end: datetime.date,
    size: int,
    station_id: int | None = None,
) -> list[Callback]:
    """Draw up to `size` evaluations of the period that have no callback yet.

    Random ids are probed over the id range with the primary-key index, so drawing stays cheap
    however many evaluations a province holds (the draw leans slightly towards evaluations that
    follow gaps in the ids, which does not matter for a spot check).
    """
    if not actor.is_supervisor:
        raise SupervisionRefused("只有监督人员可以抽取回访。")
    if not 1 <= size <= MAX_SAMPLE:
        raise SupervisionRefused(f"每次抽取 1 至 {MAX_SAMPLE} 条。")
    if start > end:
        raise SupervisionRefused("开始日期不能晚于结束日期。")
    pool = _candidates(actor, start, end, station_id)
    bounds = pool.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    rng = secrets.SystemRandom()
    chosen: set[int] = set()
    attempts = 0
    while len(chosen) < size and attempts < size * 10:
        attempts += 1
        probe = rng.randint(bounds["low"], bounds["high"])
        found = (
            pool.exclude(pk__in=chosen).filter(pk__gte=probe).order_by("pk").values("pk").first()
            or pool.exclude(pk__in=chosen).filter(pk__lt=probe).order_by("-pk").values("pk").first()
        )
        if found is None:
            break
        chosen.add(found["pk"])
    created = []
    for evaluation in Evaluation.objects.filter(pk__in=chosen).select_related("need"):
        callback = _create(evaluation, Callback.Reason.SAMPLED)
        if callback is not None:
            created.append(callback)
    audit_record(
        actor=actor,
        action="callbacks_sample",
        object_type="supervision.callback",
        object_id=f"{start}~{end}",
        changes=[{"field": "count", "label": "抽取条数", "before": "", "after": str(len(created))}],
    )
    return created


@transaction.atomic
def callback_record(
    *,
    actor: User,
    callback: Callback,
    reached: bool,
    method: str,
    confirmed_level: str = "",
    notes: str = "",
) -> Callback:
    """Record the result; a reached enterprise's level decides whether it is a mismatch."""
    require_overseer(actor, callback.station)

    def result(c: Callback) -> None:
        if method not in Callback.Method.values:
            raise SupervisionRefused("请选择回访方式。")
        if reached and confirmed_level not in EvaluationLevel.values:
            raise SupervisionRefused("联系上企业时，请选择企业确认的评价。")
        text = (notes or "").strip()
        if not reached and not text:
            raise SupervisionRefused("无法联系时，请说明联系情况。")
        c.method, c.notes = method, text[:2000]
        c.confirmed_level = confirmed_level if reached else ""
        c.mismatch = reached and confirmed_level != c.evaluation.level

    return transition(
        callback,
        "callback_record",
        actor,
        target=Callback.Status.DONE if reached else Callback.Status.UNREACHABLE,
        apply=result,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
