from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hqzt.dashboard import selectors


def index(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One home page per role, each showing what that role works with."""
    user = request.user
    if user.is_admin:
        template, figures = "dashboard/home_admin.html", selectors.home_admin(user)
    elif user.is_supervisor:
        template, figures = "dashboard/home_supervisor.html", selectors.home_supervisor(user)
    elif user.is_station_staff:
        template, figures = "dashboard/home_station.html", selectors.home_station(user)
    else:
        template, figures = "dashboard/home_handler.html", selectors.home_handler(user)
    return render(request, template, figures)
