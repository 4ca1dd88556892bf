"""Who sees and does what in supervision. Supervisors oversee the stations of their unit's
subtree; a station's chief and deputy answer for their station; owners work on their own tasks.
Every supervision query in views and services starts from these functions."""

from django.db.models import Q, QuerySet

from hqzt.accounts.models import Role, User
from hqzt.accounts.phone_access import PhoneAccess, phone_access
from hqzt.needs.selectors import needs_visible_to
from hqzt.stations.models import Station
from hqzt.stations.selectors import stations_led_by, stations_visible_to
from hqzt.supervision.models import (
    Callback,
    Feedback,
    ImprovementPlan,
    RectificationTask,
    SupervisionOrder,
)


class SupervisionRefused(Exception):
    """The step is not allowed now or not for this user; str(exc) is shown to the user."""


MAX_TEXT = 2000


def required_text(value: str, label: str) -> str:
    """Stripped text that must be there and fit, refused with a message naming the field."""
    value = (value or "").strip()
    if not value:
        raise SupervisionRefused(f"请填写{label}。")
    if len(value) > MAX_TEXT:
        raise SupervisionRefused(f"{label}不能超过 {MAX_TEXT} 字。")
    return value


def oversees(user: User, station: Station) -> bool:
    """A supervisor whose subtree holds the station (admins configure, they do not supervise)."""
    return user.is_supervisor and stations_visible_to(user).filter(pk=station.pk).exists()


def require_overseer(user: User, station: Station) -> None:
    if not oversees(user, station):
        raise SupervisionRefused("只有负责该服务站的监督人员可以进行此操作。")


def orders_visible_to(user: User) -> QuerySet[SupervisionOrder]:
    """A section's handlers see the orders on needs dispatched to them, not a station's."""
    if user.is_handler:
        return SupervisionOrder.objects.filter(need__in=needs_visible_to(user).values("pk"))
    return SupervisionOrder.objects.filter(station__in=stations_visible_to(user).values("pk"))


def callbacks_visible_to(user: User) -> QuerySet[Callback]:
    """Callbacks check a station's work, so only its supervisors (and admins) see them."""
    if not (user.is_supervisor or user.is_admin):
        return Callback.objects.none()
    return Callback.objects.filter(station__in=stations_visible_to(user).values("pk"))


def feedback_visible_to(user: User) -> QuerySet[Feedback]:
    """Complainants' names and numbers stay with the supervisors; feedback about no particular
    station reaches every supervisor."""
    if user.is_admin:
        return Feedback.objects.all()
    if not user.is_supervisor:
        return Feedback.objects.none()
    return Feedback.objects.filter(
        Q(station__isnull=True) | Q(station__in=stations_visible_to(user).values("pk"))
    )


def feedback_phone_access(user: User) -> PhoneAccess:
    """How a complainant's number is shown to a user who sees the feedback, by the one rule
    (accounts/phone_access.py): the supervisors who receive it call the person back (R-5.2),
    by an audited reveal; administrators see it in full."""
    return phone_access(user, follows_up=True)


def plans_visible_to(user: User) -> QuerySet[ImprovementPlan]:
    """Supervisors and the station see a plan; anyone who owns one of its tasks sees it too."""
    mine = RectificationTask.objects.filter(owner=user).values("plan_id")
    if user.is_handler:
        return ImprovementPlan.objects.filter(pk__in=mine)
    return ImprovementPlan.objects.filter(
        Q(station__in=stations_visible_to(user).values("pk")) | Q(pk__in=mine)
    )


def _ancestor_paths(path: str) -> list[str]:
    """'/1/5/' → ['/1/', '/1/5/']: the unit and every unit above it."""
    ids = [part for part in path.split("/") if part]
    return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


def task_owner_choices(station: Station) -> QuerySet[User]:
    """Who may own a rectification task: the station's active staff, the supervisors above it
    and the handlers of the sections of the units above it."""
    paths = _ancestor_paths(station.superior_unit.path)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(station_memberships__station=station, station_memberships__is_active=True)
            | Q(role=Role.SUPERVISOR, org_unit__path__in=paths)
            | Q(role=Role.SECTION_HANDLER, sections__org_unit__path__in=paths)
        )
        .distinct()
        .order_by("role", "full_name")
    )


def supervision_todo_count(user: User) -> int:
    """What supervision waits for from this user: orders to answer (station leads) or to review
    and callbacks to make (supervisors), and their own open rectification tasks."""
    count = RectificationTask.objects.filter(
        owner=user, status=RectificationTask.Status.OPEN
    ).count()
    if user.is_station_staff:
        count += (
            orders_visible_to(user)
            .filter(station__in=stations_led_by(user).values("pk"))
            .filter(status=SupervisionOrder.Status.ISSUED)
            .count()
        )
    if user.is_supervisor:
        count += orders_visible_to(user).filter(status=SupervisionOrder.Status.RESPONDED).count()
        count += callbacks_visible_to(user).filter(status=Callback.Status.PENDING).count()
        count += RectificationTask.objects.filter(
            plan__in=plans_visible_to(user), status=RectificationTask.Status.SUBMITTED
        ).count()
    return count
