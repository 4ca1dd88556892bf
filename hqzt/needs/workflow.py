"""The one code path that changes a need's state (STYLE: lock, check, apply, record, notify).

need_transition locks the row, checks the TRANSITIONS table for the current state and the
actor's capacity, lets the caller's `apply` fill in the fields of the step, sets the new state and
its deadline, writes a NeedEvent with the before/after values (and what the caller's `data` adds,
e.g. a completion's result as it stood in that round), and queues notifications, all in one
transaction. Anything refused raises TransitionRefused with a Chinese message and changes
nothing.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.audit.services import model_snapshot, snapshot_diff
from hqzt.needs.announcements import announce
from hqzt.needs.deadlines import apply_stage_deadline
from hqzt.needs.models import Need, NeedEvent
from hqzt.needs.selectors import actor_roles
from hqzt.needs.states import ACTION_LABELS, Actor, Status, transition_for
from hqzt.stations.models import UNTRAINED_MESSAGE
from hqzt.stations.selectors import untrained_at

# Fields whose before/after values the history shows.
TRACKED_FIELDS = [
    "status",
    "first_contact",
    "scope",
    "complexity",
    "dispatched_by",
    "handling_mode",
    "lead_section",
    "responsible_person",
    "department",
    "department_contact",
    "assistance",
    "outcome",
    "result",
    "handling_opinion",
    "remarks",
    "round",
    "escalated",
    "complete_due_on",
    "archive_category",
]


class TransitionRefused(Exception):
    """The step is not allowed now, or not for this user. str(exc) is shown to the user."""


class TransitionForbidden(TransitionRefused):
    """The step exists in this state, but this user may not take it."""


def _who(actors: frozenset[Actor]) -> str:
    return "、".join(Actor(a).label for a in sorted(actors))


def lock_need(need: Need) -> Need:
    return (
        Need.objects.select_for_update()
        .select_related("sheet", "station", "enterprise")
        .get(pk=need.pk)
    )


def record_event(
    *,
    need: Need,
    actor: User | None,
    action: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    from_status: str | None = None,
    public: bool = True,
    round: int | None = None,
) -> NeedEvent:
    """Record a step in the need's history. Without `from_status` the step left the state as it
    was (a handling step, a reminder …); without `round`, it belongs to the need's current round."""
    return NeedEvent.objects.create(
        need=need,
        actor=actor,
        action=action,
        round=need.round if round is None else round,
        from_status=need.status if from_status is None else from_status,
        to_status=need.status,
        note=note,
        data=data or {},
        public=public,
    )


@transaction.atomic
def need_transition(
    *,
    need: Need,
    action: str,
    actor: User | None,
    target: Status | None = None,
    note: str = "",
    apply: Callable[[Need], None] | None = None,
    public: bool = True,
    data: Callable[[Need], dict[str, Any]] | None = None,
) -> Need:
    locked = lock_need(need)
    row = transition_for(action, locked.status, target)
    if row is None:
        raise TransitionRefused(
            f"该需求当前为「{locked.get_status_display()}」，"
            f"不能执行「{ACTION_LABELS.get(action, action)}」。"
        )
    if not row.actors & actor_roles(actor, locked):
        raise TransitionForbidden(f"您无权执行「{row.label}」，该操作应由{_who(row.actors)}办理。")
    if actor is not None and untrained_at(actor, locked.station_id):
        # §5.4.4: identification, dispatch, evaluation… are the station's work; its chief and
        # deputies are refused exactly like its resident staff until trained.
        raise TransitionRefused(UNTRAINED_MESSAGE.format(who="您", what=f"执行「{row.label}」"))
    before = model_snapshot(locked, TRACKED_FIELDS)
    round_taken_in = locked.round
    if apply is not None:
        apply(locked)
    from_status = locked.status
    locked.status = row.target
    apply_stage_deadline(locked)
    locked._transition_in_progress = True
    locked.save()
    locked._transition_in_progress = False
    changes = snapshot_diff(Need, before, model_snapshot(locked, TRACKED_FIELDS))
    event = record_event(
        need=locked,
        actor=actor,
        action=action,
        note=note,
        data={"changes": changes, **(data(locked) if data else {})},
        from_status=from_status,
        public=public,
        round=round_taken_in,
    )
    announce(event)
    return locked
