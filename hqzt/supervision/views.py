from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from hqzt.stations.selectors import stations_visible_to
from hqzt.supervision.conformance import station_checks


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
