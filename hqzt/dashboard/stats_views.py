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
from hqzt.needs.models import Source
from hqzt.needs.states import Status

COMPARISON_COLUMNS = [
    ("registered", "登记"),
    ("completed", "办理完毕"),
    ("response_rate", "响应率%"),
    ("resolution_rate", "解决率%"),
    ("on_time_rate", "按时办结率%"),
    ("avg_workdays", "平均办理工作日"),
    ("satisfaction_rate", "满意率%"),
    ("rehandle_rate", "重新办理率%"),
]
# (sheet title, group field, its label field, first column header)
COMPARISONS = [
    ("服务站对比", "station", "station__name", "服务站"),
    ("科室对比", "lead_section", "lead_section__name", "牵头科室"),
]


def _comparison(needs, field: str, label_field: str) -> list[dict]:
    """Rows for the comparison tables and their export: key, name and the cells in order."""
    return [
        {"key": row["key"], "name": row["name"], "cells": [row[k] for k, _ in COMPARISON_COLUMNS]}
        for row in statistics.compare_by(needs, field, label_field)
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
    by_source = [
        (value, Source(value).label, n)
        for value, _, n in statistics.counts_by(needs, "source", "source")
    ]
    return render(
        request,
        "dashboard/stats.html",
        {
            "form": PeriodForm(
                request.GET or None, initial={"date_from": period.start, "date_to": period.end}
            ),
            "period": period,
            "totals": totals,
            "stations": _comparison(needs, "station", "station__name"),
            "sections": _comparison(needs, "lead_section", "lead_section__name"),
            "columns": [label for _, label in COMPARISON_COLUMNS],
            "by_type": by_type,
            "breakdowns": [
                ("按需求来源", by_source, "source"),
                (
                    "按产业链",
                    statistics.counts_by(needs, "enterprise__chains", "enterprise__chains__name"),
                    "chain",
                ),
                (
                    "按专业镇",
                    statistics.counts_by(needs, "enterprise__town", "enterprise__town__name"),
                    "town",
                ),
            ],
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
    needs = _needs(request, period)
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    workbook = xlsxwriter.Workbook(tmp, {"in_memory": True})
    for title, field, label_field, header in COMPARISONS:
        sheet = workbook.add_worksheet(title)
        sheet.write_string(0, 0, f"{title}（{period.start}至{period.end}）")
        for col, label in enumerate([header, *(label for _, label in COMPARISON_COLUMNS)]):
            sheet.write_string(1, col, label)
        for r, row in enumerate(_comparison(needs, field, label_field), start=2):
            sheet.write_string(r, 0, row["name"])
            for col, value in enumerate(row["cells"], start=1):
                if value is not None:
                    sheet.write_number(r, col, value)
    workbook.close()
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=f"服务站与科室对比-{clock.today():%Y%m%d}.xlsx"
    )
