"""工作建议 (§5.3 a "提出工作建议"): a station proposes, its superior unit reads and answers.

Who may do what is decided here, next to the writes: the station's own active staff propose
(any post, trained — proposing is station work, §5.4.4); supervisors whose unit's subtree holds the
station read and answer. Everyone else who sees the station (admins) only reads.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.needs.models import Need
from hqzt.notifications.services import notify_users
from hqzt.operations.models import Visit, WorkSuggestion
from hqzt.stations.models import UNTRAINED_MESSAGE, Station
from hqzt.stations.selectors import station_membership, stations_visible_to, supervisors_over

MAX_TEXT = 4000


def suggestions_visible_to(user: User) -> QuerySet[WorkSuggestion]:
    return WorkSuggestion.objects.filter(station__in=stations_visible_to(user).values("pk"))


def suggestion_get_for_user(user: User, pk: int) -> WorkSuggestion:
    """The suggestion if the user may see it, else 404 (its existence is not revealed)."""
    suggestion = (
        suggestions_visible_to(user)
        .select_related("station", "visit", "submitted_by", "replied_by", "read_by")
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404("工作建议不存在或无权查看")
    return suggestion


def suggestion_stations(user: User) -> QuerySet[Station]:
    """The stations the user may propose for: their own, as active station staff."""
    if not user.is_station_staff:
        return Station.objects.none()
    return stations_visible_to(user)


def may_answer(user: User, suggestion: WorkSuggestion) -> bool:
    """The superior unit answers: a supervisor whose subtree holds the station."""
    return (
        user.is_supervisor and stations_visible_to(user).filter(pk=suggestion.station_id).exists()
    )


def _text(value: str, label: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(f"请填写{label}。")
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{label}不能超过 {MAX_TEXT} 个字。")
    return value


# DB1405 §5.3 a
@transaction.atomic
def suggestion_submit(
    *,
    actor: User,
    station: Station,
    title: str,
    content: str,
    source: str,
    visit: Visit | None = None,
    needs: Iterable[Need] = (),
) -> WorkSuggestion:
    """A station's staff propose to the superior unit; the superiors are told."""
    membership = station_membership(actor, station.pk) if actor.is_station_staff else None
    if membership is None:
        raise PermissionDenied("只有本站在岗工作人员可以提出工作建议。")
    if membership.onboarding_trained_on is None:
        raise ValidationError(UNTRAINED_MESSAGE.format(who="您", what="提出工作建议"))
    if source not in WorkSuggestion.Source.values:
        raise ValidationError("请选择建议来源。")
    needs = list(needs)
    if visit is not None and visit.station_id != station.pk:
        raise ValidationError("相关走访须是本站的走访。")
    if any(n.station_id != station.pk for n in needs):
        raise ValidationError("相关需求须是本站的需求。")
    suggestion = WorkSuggestion.objects.create(
        station=station,
        title=_text(title, "建议事项")[:200],
        content=_text(content, "建议内容"),
        source=source,
        visit=visit,
        submitted_by=actor,
    )
    suggestion.needs.set(needs)
    url = reverse("operations:suggestion_detail", args=[suggestion.pk])
    transaction.on_commit(
        lambda: notify_users(
            supervisors_over(station),
            kind="suggestion",
            title=f"{station.name}提出工作建议：{suggestion.title}",
            url=url,
        )
    )
    return suggestion


def suggestion_mark_read(*, actor: User, suggestion: WorkSuggestion) -> None:
    """The first time an answering superior opens it, the station sees it was read."""
    if suggestion.read_at is None and may_answer(actor, suggestion):
        WorkSuggestion.objects.filter(pk=suggestion.pk, read_at__isnull=True).update(
            read_at=clock.now(), read_by=actor
        )


# DB1405 §5.3 a
@transaction.atomic
def suggestion_answer(*, actor: User, suggestion: WorkSuggestion, reply: str) -> WorkSuggestion:
    """The superior unit's answer; the proposer is told. An answer may be revised."""
    if not may_answer(actor, suggestion):
        raise PermissionDenied("只有该服务站的上级单位可以答复工作建议。")
    now = clock.now()

    def answer(s: WorkSuggestion) -> None:
        s.reply = _text(reply, "答复意见")
        if s.read_at is None:
            s.read_by, s.read_at = actor, now

    locked = transition(
        suggestion, "suggestion_answer", actor, apply=answer, replied_by=actor, replied_at=now
    )
    url = reverse("operations:suggestion_detail", args=[locked.pk])
    transaction.on_commit(
        lambda: notify_users(
            [locked.submitted_by],
            kind="suggestion",
            title=f"上级单位已答复工作建议：{locked.title}",
            url=url,
        )
    )
    return locked
