"""The statistics page (R-7): figures for the user's scope and period, every figure linking to the
needs behind it in the ledger, charts drawn in the browser, the table exportable to .xlsx."""

import datetime
import tempfile

import xlsxwriter
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from hqzt.core import clock
from hqzt.core.widgets import DateInput
from hqzt.dashboard import statistics
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.states import Status

STATION_COLUMNS = [
    ("station__name", "服务站"),
    ("registered", "登记"),
    ("completed", "办理完毕"),
    ("on_time_rate", "按时办结率%"),
    ("avg_workdays", "平均办理工作日"),
    ("satisfaction_rate", "满意率%"),
    ("rehandle_rate", "重新办理率%"),
]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="登记日期从", required=False, widget=DateInput())
    date_to = forms.DateField(label="至", required=False, widget=DateInput())


def _period(request: HttpRequest) -> statistics.Period:
    form = PeriodForm(request.GET)
    today = clock.today()
    start, end = today - datetime.timedelta(days=365), today
    if form.is_valid():
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
    return statistics.Period(start, end)


def _needs(request: HttpRequest, period: statistics.Period):
    needs, _ = ledger_filter(
        request.user, {"date_from": f"{period.start}", "date_to": f"{period.end}"}
    )
    return needs.exclude(status=Status.REJECTED)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    needs = _needs(request, period)
    totals = statistics.totals(needs)
    by_type = statistics.counts_by(needs, "need_type", "need_type__name")
    by_status = [
        (value, Status(value).label, n)
        for value, _, n in statistics.counts_by(needs, "status", "status")
    ]
    by_channel = statistics.counts_by(needs, "channel", "channel__name")
    return render(
        request,
        "dashboard/stats.html",
        {
            "form": PeriodForm(
                request.GET or None, initial={"date_from": period.start, "date_to": period.end}
            ),
            "period": period,
            "totals": totals,
            "stations": statistics.by_station(needs),
            "by_type": by_type,
            "by_status": by_status,
            "by_channel": by_channel,
            "chart": {
                "types": [[label, n] for _, label, n in by_type],
                "satisfaction": totals["satisfaction"],
            },
        },
    )


@login_required
def stats_xlsx(request: HttpRequest) -> FileResponse:
    period = _period(request)
    rows = statistics.by_station(_needs(request, period))
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    workbook = xlsxwriter.Workbook(tmp, {"in_memory": True})
    sheet = workbook.add_worksheet("服务站对比")
    sheet.write_string(0, 0, f"服务站对比（{period.start}至{period.end}）")
    for col, (_, label) in enumerate(STATION_COLUMNS):
        sheet.write_string(1, col, label)
    for r, row in enumerate(rows, start=2):
        for col, (key, _) in enumerate(STATION_COLUMNS):
            value = row[key]
            if isinstance(value, str):
                sheet.write_string(r, col, value)
            elif value is not None:
                sheet.write_number(r, col, value)
    workbook.close()
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"服务站对比-{clock.today():%Y%m%d}.xlsx")
