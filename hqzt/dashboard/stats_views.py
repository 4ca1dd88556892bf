"""The statistics page (R-7): figures for the user's scope and period, every figure linking to the
needs behind it in the ledger, charts drawn in the browser, the table exportable to .xlsx."""

import datetime
import tempfile
from typing import Any
from urllib.parse import urlencode

import xlsxwriter
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hqzt.core import clock
from hqzt.core.widgets import DateInput
from hqzt.dashboard import statistics
from hqzt.needs.measures import MEASURES
from hqzt.needs.models import Source
from hqzt.needs.states import Status

# (figure key, column header, the measure whose needs the cell opens)
COMPARISON_COLUMNS = [
    ("registered", "登记", "registered"),
    ("completed", "办理完毕", "completed"),
    ("response_rate", "响应率%", "answered"),
    ("resolution_rate", "解决率%", "resolved"),
    ("on_time_rate", "按时办结率%", "on_time"),
    ("avg_workdays", "平均办理工作日", "completed"),
    ("satisfaction_rate", "满意率%", "satisfied"),
    ("rehandle_rate", "重新办理率%", "rehandled"),
]
# (figure key, label, the measure it opens, its denominator's measure or None, test id)
FIGURES = [
    ("registered", "登记需求", "registered", None, "registered"),
    ("completed", "办理完毕", "completed", None, "completed"),
    ("on_time_rate", "按时办结率（%）", "on_time", "completed", "on-time"),
    ("satisfaction_rate", "满意率（%）", "satisfied", "evaluated", "satisfaction"),
    ("avg_workdays", "平均办理用时（工作日）", "completed", None, "workdays"),
    ("rehandle_rate", "重新办理率（%）", "rehandled", "completed", "rehandle"),
    ("evaluated", "已评价", "evaluated", None, "evaluated"),
    ("response_rate", "响应率（%）", "answered", "registered", "response"),
    ("resolution_rate", "解决率（%）", "resolved", "completed", "resolution"),
]
# Rows of the station comparison on the page; 展开 loads the others (`stats_stations`). All of a
# city's 200 stations × 9 linked cells were 180 KB of a 230 KB page and most of its rendering
# (issue 18); the .xlsx export holds every station.
STATION_ROWS = 20
# (sheet title, dimension, the ledger's filter field, first column header)
COMPARISONS = [
    ("服务站对比", "station", "station", "服务站"),
    ("科室对比", "section", "lead_section", "牵头科室"),
]


def _ledger_url(period: statistics.Period, *, measure: str = "registered", **params: Any) -> str:
    """The ledger narrowed to what a figure counts: its period, its measure and its group."""
    query = {**params, "measure": measure, "date_from": period.start, "date_to": period.end}
    return f"{reverse('needs:ledger')}?{urlencode(query)}"


def _figures(totals: dict[str, Any], period: statistics.Period) -> list[dict[str, Any]]:
    return [
        {
            "key": testid,
            "label": label,
            "value": totals[key],
            "url": _ledger_url(period, measure=measure),
            "basis": (
                f"{MEASURES[measure].label} {totals[measure]} / "
                f"{MEASURES[denominator].label} {totals[denominator]}"
                if denominator
                else ""
            ),
        }
        for key, label, measure, denominator, testid in FIGURES
    ]


def _comparison(figures: statistics.Statistics, dim: str, field: str, period) -> list[dict]:
    """Rows for the comparison tables and their export: key, name and (value, url) cells.

    The cells' URLs are `_ledger_url`'s, put together from parts made once per table: a city's
    station table has 1,800 of them, and reversing and encoding each cost ~40 ms a page."""
    base = reverse("needs:ledger")
    dates = urlencode({"date_from": period.start, "date_to": period.end})
    tails = {measure: f"measure={measure}&{dates}" for _, _, measure in COMPARISON_COLUMNS}
    result = []
    for row in figures.compare_by(dim):
        head = f"{base}?{field}={row['key'] or ''}&"  # an id: nothing to encode
        cells = [(row[key], head + tails[measure]) for key, _, measure in COMPARISON_COLUMNS]
        result.append({"key": row["key"], "name": row["name"], "cells": cells})
    return result


def _month_span(month: datetime.date, period: statistics.Period) -> statistics.Period:
    last_day = statistics.next_month(month) - datetime.timedelta(days=1)
    return statistics.Period(max(month, period.start), min(last_day, period.end))


def _trend(figures: statistics.Statistics, period: statistics.Period) -> list[dict[str, Any]]:
    """The monthly trend: registered, completed and 满意率, each month linking to its needs."""
    return [
        {
            "month": f"{row['month']:%Y-%m}",
            "registered": row["registered"],
            "completed": row["completed"],
            "satisfaction_rate": row["satisfaction_rate"],
            "url": _ledger_url(_month_span(row["month"], period)),
            "completed_url": _ledger_url(_month_span(row["month"], period), measure="completed"),
        }
        for row in figures.monthly()
    ]


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="登记日期从", required=False, widget=DateInput())
    date_to = forms.DateField(label="至", required=False, widget=DateInput())


# The last day a period may reach: its month's end must still have a next month (probe P3-S1:
# 9999-12-31 overflowed the month arithmetic into a 500).
LATEST = datetime.date(9999, 11, 30)


def _period(request: HttpRequest) -> statistics.Period:
    form = PeriodForm(request.GET)
    today = clock.today()
    start, end = today - datetime.timedelta(days=365), today
    if form.is_valid():
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
    return statistics.Period(min(start, LATEST), min(end, LATEST))


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    figures = statistics.Statistics(request.user, period)
    totals = figures.totals()

    def linked(rows, param: str) -> list[tuple[str, int, str]]:
        """(label, count, ledger URL or "" where the group has no filter value)."""
        return [
            (label, n, _ledger_url(period, **{param: value}) if value else "")
            for value, label, n in rows
        ]

    by_type = linked(figures.counts_by("type"), "need_type")
    satisfaction = [
        (label, n, _ledger_url(period, evaluation=value))
        for value, label, n in totals["satisfaction"]
    ]
    trend = _trend(figures, period)
    return render(
        request,
        "dashboard/stats.html",
        {
            "form": PeriodForm(
                request.GET or None, initial={"date_from": period.start, "date_to": period.end}
            ),
            "period": period,
            "figures": _figures(totals, period),
            **_station_rows(request, figures, period),
            "sections": _comparison(figures, "section", "lead_section", period),
            "columns": [label for _, label, _ in COMPARISON_COLUMNS],
            "by_type": by_type,
            "satisfaction": satisfaction,
            "trend": trend,
            "adoption": figures.adoption(),
            "breakdowns": [
                (
                    "按需求来源",
                    [
                        (Source(value).label, n, _ledger_url(period, source=value))
                        for value, _, n in figures.counts_by("source")
                    ],
                    "source",
                ),
                (
                    "按产业链",
                    linked(figures.counts_by("chain"), "chain"),
                    "chain",
                ),
                (
                    "按专业镇",
                    linked(figures.counts_by("town"), "town"),
                    "town",
                ),
            ],
            "by_status": [
                (Status(value).label, n, _ledger_url(period, status=value))
                for value, _, n in figures.counts_by("status")
            ],
            "by_channel": [
                (label, n, _ledger_url(period, channel=value) if value else "")
                for value, label, n in figures.counts_by("channel")
            ],
            "chart": {
                "types": [[label, n, url] for label, n, url in by_type],
                "satisfaction": satisfaction,
                "trend": trend,
            },
        },
    )


def _station_rows(request: HttpRequest, figures, period) -> dict[str, Any]:
    """The first STATION_ROWS of the station comparison and how many more there are; all of
    them with ?stations=all (the 展开 link without script)."""
    rows = _comparison(figures, "station", "station", period)
    if request.GET.get("stations") == "all":
        return {"stations": rows, "stations_more": 0}
    return {"stations": rows[:STATION_ROWS], "stations_more": max(0, len(rows) - STATION_ROWS)}


@login_required
def stats_stations(request: HttpRequest) -> HttpResponse:
    """展开: the station comparison's rows after the first STATION_ROWS, for the same user's
    scope and period as the page (HTMX puts them in place of the 展开 row)."""
    period = _period(request)
    figures = statistics.Statistics(request.user, period)
    rows = _comparison(figures, "station", "station", period)[STATION_ROWS:]
    return render(request, "dashboard/_comparison_rows.html", {"rows": rows})


@login_required
def stats_xlsx(request: HttpRequest) -> FileResponse:
    period = _period(request)
    figures = statistics.Statistics(request.user, period)
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 (closed by FileResponse)
    workbook = xlsxwriter.Workbook(tmp, {"in_memory": True})
    for title, dim, field, header in COMPARISONS:
        sheet = workbook.add_worksheet(title)
        sheet.write_string(0, 0, f"{title}（{period.start}至{period.end}）")
        for col, label in enumerate([header, *(label for _, label, _ in COMPARISON_COLUMNS)]):
            sheet.write_string(1, col, label)
        for r, row in enumerate(_comparison(figures, dim, field, period), start=2):
            sheet.write_string(r, 0, row["name"])
            for col, (value, _) in enumerate(row["cells"], start=1):
                if value is not None:
                    sheet.write_number(r, col, value)
    workbook.close()
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=f"服务站与科室对比-{clock.today():%Y%m%d}.xlsx"
    )
