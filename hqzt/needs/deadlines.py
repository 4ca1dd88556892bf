"""Time limits in working days (R-3.7): which deadline applies in which state."""

import datetime

from hqzt.core import clock
from hqzt.core.workdays import add_workdays, workdays_between
from hqzt.needs.models import Need, TimeLimit
from hqzt.needs.states import Stage, Status

# Defaults loaded by migration; reference points from comparable government rules (SPEC ).
DEFAULT_LIMITS = {
    Stage.ACCEPT: 1,
    Stage.RETURN: 2,
    Stage.ANSWER: 3,
    Stage.COMPLETE: 15,
    Stage.EVALUATE: 3,
}
EXTENSION_CAP_DAYS = 15  # total working days a need may be extended by, over all requests


def working_days(stage: Stage) -> int:
    row = TimeLimit.objects.filter(stage=stage).first()
    return row.working_days if row else DEFAULT_LIMITS[stage]


def warn_days() -> int:
    row = TimeLimit.objects.filter(stage=Stage.COMPLETE).first()
    return row.warn_days if row else 1


def warn_date(today: datetime.date) -> datetime.date:
    return add_workdays(today, warn_days())


def start_clock(need: Need, start: datetime.date | None = None) -> None:
    """On registration: the answer and completion deadlines run from the registration date
    (or from `start`, for a need imported from an old ledger that is still to be handled)."""
    day = start or need.registered_on
    need.answer_due_on = add_workdays(day, working_days(Stage.ANSWER))
    need.complete_due_on = add_workdays(day, working_days(Stage.COMPLETE))


def restart_completion(need: Need) -> None:
    """A new round of handling after verification gets a fresh completion limit."""
    need.complete_due_on = add_workdays(clock.today(), working_days(Stage.COMPLETE))


def apply_stage_deadline(need: Need) -> None:
    """Set due_on/due_stage for the state the need is now in."""
    today = clock.today()
    status = need.status
    if status in (Status.PENDING_ACCEPTANCE, Status.DISPATCHED):
        need.due_stage = Stage.ACCEPT
        need.due_on = add_workdays(today, working_days(Stage.ACCEPT))
    elif status == Status.AWAITING_EVALUATION:
        need.due_stage = Stage.EVALUATE
        need.due_on = add_workdays(today, working_days(Stage.EVALUATE))
    elif status == Status.AWAITING_VERIFICATION:
        need.due_stage = Stage.ANSWER
        need.due_on = add_workdays(today, working_days(Stage.ANSWER))
    elif status in (Status.AWAITING_ARCHIVE, Status.ARCHIVED, Status.REJECTED):
        need.due_stage = ""
        need.due_on = None
    else:
        need.due_stage = Stage.COMPLETE
        need.due_on = need.complete_due_on


def return_allowed(need: Need) -> bool:
    """A wrongly routed task may be returned only within the 回退 limit after dispatch."""
    dispatched = (
        need.events.filter(action__in=["dispatch", "redispatch"]).order_by("-at", "-id").first()
    )
    if dispatched is None:
        return True
    since = workdays_between(clock.localdate(dispatched.at), clock.today())
    return since <= working_days(Stage.RETURN)
