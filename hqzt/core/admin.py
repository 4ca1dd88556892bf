import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from hqzt.core import clock
from hqzt.core.models import WorkdayOverride
from hqzt.core.notices import admin_notices


class ReferenceItemAdmin(admin.ModelAdmin):
    """Reference data is renamed, reordered and deactivated, never deleted: records point at it."""

    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


_DATE = r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?"
_SPAN = re.compile(rf"^{_DATE}(?:\s*(?:至|到|~|～|-|—|–)\s*{_DATE})?$")


def _dates(text: str, year: int, label: str) -> list[datetime.date]:
    """One date or one span (2027-02-05 至 2027-02-12) per line, inside `year`."""
    found: list[datetime.date] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _SPAN.match(line)
        if not match:
            raise forms.ValidationError(
                f"{label}第{number}行“{line}”无法识别，"
                "请写成 2027-02-05 或 2027-02-05 至 2027-02-12。"
            )
        parts = [int(p) for p in match.groups() if p is not None]
        try:
            start = datetime.date(*parts[:3])
            end = datetime.date(*parts[3:]) if len(parts) == 6 else start
        except ValueError as exc:
            raise forms.ValidationError(f"{label}第{number}行“{line}”不是有效日期。") from exc
        if end < start or (end - start).days > 31:
            raise forms.ValidationError(f"{label}第{number}行的起止日期有误。")
        if start.year != year or end.year != year:
            raise forms.ValidationError(f"{label}第{number}行不在 {year} 年内。")
        found += [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    return found


class ArrangementForm(forms.Form):
    """A year's 放假调休 arrangement as the State Council's notice states it."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    source = forms.CharField(
        label="依据",
        max_length=60,
        help_text="例如：国办发明电〔2026〕X号《关于2027年部分节假日安排的通知》",
    )
    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text="每行一个日期或一段日期，例如 2027-01-01 至 2027-01-03（含周末的整段放假）。",
    )
    workdays = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="每行一个周六或周日的上班日期，例如 2027-02-20。",
    )

    def clean(self) -> dict:
        data = super().clean()
        year = data.get("year")
        if year is None:
            return data
        try:
            data["holiday_dates"] = _dates(data.get("holidays", ""), year, "放假日期")
            data["workday_dates"] = _dates(data.get("workdays", ""), year, "调休上班日期")
        except forms.ValidationError as exc:
            raise exc
        clash = set(data["holiday_dates"]) & set(data["workday_dates"])
        if clash:
            raise forms.ValidationError(f"{min(clash):%Y-%m-%d} 同时填在放假日期和调休上班日期中。")
        if not data["holiday_dates"]:
            raise forms.ValidationError("请填写放假日期。")
        return data


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    change_list_template = "admin/core/workdayoverride/change_list.html"

    def get_urls(self):
        return [
            path(
                "arrangement/",
                self.admin_site.admin_view(self.arrangement_view),
                name="core_workdayoverride_arrangement",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "notices": admin_notices()}
        return super().changelist_view(request, extra_context)

    def arrangement_view(self, request: HttpRequest) -> HttpResponse:
        """Enter a year's whole arrangement at once (replacing that year's rows)."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:index")
        form = ArrangementForm(request.POST or None, initial={"year": clock.today().year + 1})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            year, source = data["year"], data["source"]
            rows = [(d, False) for d in data["holiday_dates"]]
            rows += [(d, True) for d in data["workday_dates"]]
            with transaction.atomic():
                WorkdayOverride.objects.filter(date__year=year).delete()
                WorkdayOverride.objects.bulk_create(
                    WorkdayOverride(
                        date=day,
                        is_workday=workday,
                        note=f"{'调休上班' if workday else '放假'}（{source}）"[:100],
                    )
                    for day, workday in rows
                )
            self.log_addition(
                request, WorkdayOverride(date=rows[0][0]), f"录入{year}年放假安排：{source}"
            )
            messages.success(
                request,
                f"已录入 {year} 年放假安排：放假 {len(data['holiday_dates'])} 天，"
                f"调休上班 {len(data['workday_dates'])} 天。",
            )
            return redirect(
                reverse("admin:core_workdayoverride_changelist") + f"?date__year={year}"
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "录入年度放假调休安排",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/core/workdayoverride/arrangement.html", context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that may be inspected but never added, edited or deleted (history, send logs)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
