import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hqzt.core import clock
from hqzt.operations.reports import week_of
from hqzt.operations.selectors import hub_rows


@login_required
def hub(request: HttpRequest) -> HttpResponse:
    """站务: this week's state of each visible station at a glance."""
    last_week = week_of(clock.today()) - datetime.timedelta(days=7)
    rows = hub_rows(request.user, last_week)
    return render(request, "operations/hub.html", {"rows": rows, "last_week": last_week})
