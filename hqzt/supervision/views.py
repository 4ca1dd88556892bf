from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hqzt.core import clock
from hqzt.stations.selectors import stations_visible_to
from hqzt.supervision.access import (
    callbacks_visible_to,
    feedback_visible_to,
    orders_visible_to,
    plans_visible_to,
)
from hqzt.supervision.conformance import station_checks
from hqzt.supervision.models import (
    Callback,
    Feedback,
    ImprovementPlan,
    RectificationTask,
    SupervisionOrder,
)


@login_required
def conformance(request: HttpRequest) -> HttpResponse:
    """Every visible station against the standard's checkable clauses: a summary per station."""
    stations = stations_visible_to(request.user).filter(is_active=True).order_by("name")[:200]
    rows = []
    for station in stations:
        checks = station_checks(station)
        rows.append(
            {"station": station, "checks": checks, "failed": [c for c in checks if not c.passed]}
        )
    clauses = [c.clause for c in rows[0]["checks"]] if rows else []
    return render(request, "supervision/conformance.html", {"rows": rows, "clauses": clauses})


@login_required
def conformance_station(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(stations_visible_to(request.user), pk=pk)
    return render(
        request,
        "supervision/conformance_station.html",
        {"station": station, "checks": station_checks(station)},
    )


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """What supervision asks of this user now, each figure linking to its list."""
    user = request.user
    today = clock.today()
    orders = orders_visible_to(user).aggregate(
        issued=Count("pk", filter=Q(status=SupervisionOrder.Status.ISSUED)),
        overdue=Count("pk", filter=Q(status=SupervisionOrder.Status.ISSUED, due_on__lt=today)),
        responded=Count("pk", filter=Q(status=SupervisionOrder.Status.RESPONDED)),
    )
    callbacks = callbacks_visible_to(user).aggregate(
        pending=Count("pk", filter=Q(status=Callback.Status.PENDING)),
        mismatch=Count("pk", filter=Q(mismatch=True)),
    )
    open_feedback = feedback_visible_to(user).exclude(status=Feedback.Status.CLOSED).count()
    plans = plans_visible_to(user)
    my_tasks = (
        RectificationTask.objects.filter(owner=user)
        .exclude(status=RectificationTask.Status.VERIFIED)
        .select_related("plan__station")
        .order_by("due_on")[:50]
    )
    to_verify = RectificationTask.objects.filter(
        plan__in=plans, status=RectificationTask.Status.SUBMITTED
    ).count()
    return render(
        request,
        "supervision/hub.html",
        {
            "orders": orders,
            "callbacks": callbacks,
            "open_feedback": open_feedback,
            "open_plans": plans.filter(status=ImprovementPlan.Status.OPEN).count(),
            "to_verify": to_verify if user.is_supervisor else 0,
            "my_tasks": my_tasks,
            "is_supervisor": user.is_supervisor,
            "sees_callbacks": user.is_supervisor or user.is_admin,
        },
    )
