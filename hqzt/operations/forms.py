import re

from django import forms

from hqzt.accounts.models import Role, User
from hqzt.core.widgets import DateInput
from hqzt.enterprises.models import Enterprise
from hqzt.needs.models import Need
from hqzt.needs.numbering import parse_reference
from hqzt.needs.selectors import station_need_by_label
from hqzt.operations.models import (
    ActionItem,
    AnnualPlan,
    Meeting,
    Metric,
    Training,
    Visit,
    WorkSuggestion,
)
from hqzt.stations.models import LEAD_ROLES, Station, StationRole

DATE = DateInput()


class StationScopedForm(forms.ModelForm):
    """A form for a record of one of the user's stations; people and enterprises are limited to
    that station's."""

    def __init__(self, *args, stations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "station" in self.fields:
            self.fields["station"].queryset = stations
            if stations.count() == 1:
                self.fields["station"].initial = stations.first()
        members = User.objects.filter(
            station_memberships__station__in=stations, station_memberships__is_active=True
        ).distinct()
        for name in ("attendees", "staff", "owner"):
            if name in self.fields:
                self.fields[name].queryset = members
        if "convened_by" in self.fields:
            self.fields["convened_by"].queryset = User.objects.filter(
                station_memberships__station__in=stations,
                station_memberships__is_active=True,
                station_memberships__role__in=LEAD_ROLES,
            ).distinct()
        for name in ("enterprise", "enterprises"):
            if name in self.fields:
                self.fields[name].queryset = (
                    Enterprise.objects.filter(stations__in=stations).distinct().order_by("name")
                )


class PlanForm(StationScopedForm):
    class Meta:
        model = AnnualPlan
        fields = ["station", "year", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class GoalsForm(forms.Form):
    """One target per metric; blank leaves the metric out of the plan."""

    def __init__(self, *args, plan: AnnualPlan | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = {g.metric: g.target for g in plan.goals.all()} if plan and plan.pk else {}
        for metric, label in Metric.choices:
            self.fields[metric] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=1_000_000,
                required=False,
                initial=current.get(metric),
            )


class MeetingForm(StationScopedForm):
    class Meta:
        model = Meeting
        fields = [
            "station",
            "kind",
            "held_on",
            "topic",
            "convened_by",
            "attendees",
            "other_attendees",
            "minutes",
            "decisions",
        ]
        help_texts = {"convened_by": "临时专题会议由站长或副站长召集（§5.5.3），必填。"}
        widgets = {
            "held_on": DATE,
            "attendees": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 2}),
        }


class ActionItemForm(forms.ModelForm):
    need_label = forms.CharField(
        label="关联需求（跟踪单号-序号，选填）", required=False, max_length=30
    )

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DATE}

    def __init__(self, *args, owners, station_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.station_ids = station_ids

    def clean_need_label(self) -> Need | None:
        label = self.cleaned_data["need_label"].strip()
        if not label:
            return None
        # "20250012-1", or "03-20250012-1" when the writer serves stations that share numbers.
        match = re.match(r"^(.*?\d{8,9})(?:\s*-\s*(\d{1,3}))?$", label)
        parsed = parse_reference(match.group(1)) if match else None
        if parsed is None:
            raise forms.ValidationError("本站没有这个需求（格式如 20250012-1）。")
        station_id, number = parsed
        needs = Need.objects.filter(
            sheet__tracking_number=number,
            row_number=int(match.group(2) or 1),
            station_id__in=self.station_ids,
        )
        if station_id is not None:
            needs = needs.filter(station_id=station_id)
        found = list(needs[:2])
        if not found:
            raise forms.ValidationError("本站没有这个需求（格式如 20250012-1）。")
        if len(found) > 1:
            raise forms.ValidationError(
                "您所在的几个服务站都有这个跟踪单号，请在前面写上服务站编号（如 03-20250012-1）。"
            )
        return found[0]


class TrainingForm(StationScopedForm):
    class Meta:
        model = Training
        fields = [
            "station",
            "topic",
            "held_on",
            "organiser_kind",
            "organiser",
            "experts",
            "enterprises",
            "materials",
        ]
        widgets = {
            "held_on": DATE,
            "enterprises": forms.CheckboxSelectMultiple,
            "materials": forms.Textarea(attrs={"rows": 2}),
        }


class VisitForm(StationScopedForm):
    class Meta:
        model = Visit
        fields = ["station", "enterprise", "planned_on", "purpose", "staff"]
        widgets = {"planned_on": DATE, "staff": forms.CheckboxSelectMultiple}


class VisitRecordForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["visited_on", "findings"]
        widgets = {"visited_on": DATE, "findings": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        if not data.get("visited_on"):
            self.add_error("visited_on", "请填写走访日期。")
        if not (data.get("findings") or "").strip():
            self.add_error("findings", "请填写走访情况。")
        return data


class ReportForm(forms.Form):
    work_done = forms.CharField(
        label="本周工作完成情况", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_week_plan = forms.CharField(
        label="下周工作计划", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label="批阅意见", widget=forms.Textarea(attrs={"rows": 3}))


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label="人员", queryset=User.objects.filter(role=Role.STATION_STAFF, is_active=True)
    )
    role = forms.ChoiceField(
        label="岗位", choices=StationRole.choices, initial=StationRole.RESIDENT_STAFF
    )
    trained_on = forms.DateField(label="上岗培训完成日期", required=False, widget=DATE)
    is_active = forms.BooleanField(label="在岗", required=False, initial=True)


class RotaForm(forms.Form):
    start = forms.DateField(label="起始日期（周一）", widget=DATE)
    weeks = forms.IntegerField(label="周数", min_value=1, max_value=26, initial=4)


class ShiftForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    user = forms.ModelChoiceField(label="值班人员", queryset=User.objects.none())

    def __init__(self, *args, station: Station, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            station_memberships__station=station, station_memberships__is_active=True
        )


class SuggestionForm(StationScopedForm):
    """工作建议 (§5.3 a): the related visit and needs are limited to the chosen station's."""

    need_labels = forms.CharField(
        label="相关需求（跟踪单号-序号，多个用顿号分隔，选填）",
        required=False,
        max_length=300,
        help_text="例如：20250012-1、20250015-2。企业反复提出的需求，列出几项作为依据。",
    )

    class Meta:
        model = WorkSuggestion
        fields = ["station", "title", "source", "visit", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, stations, **kwargs) -> None:
        super().__init__(*args, stations=stations, **kwargs)
        self.fields["visit"].queryset = (
            Visit.objects.filter(station__in=stations)
            .select_related("enterprise")
            .order_by("-planned_on")
        )
        self.fields["content"].max_length = 4000

    def clean(self):
        data = super().clean()
        station = data.get("station")
        labels = [x for x in re.split(r"[、，,;；\s]+", data.get("need_labels", "")) if x]
        needs = []
        for label in labels:
            need = station_need_by_label(label, station)
            if need is None:
                self.add_error("need_labels", f"本站没有需求「{label}」（格式如 20250012-1）。")
            else:
                needs.append(need)
        data["needs"] = needs
        visit = data.get("visit")
        if visit is not None and station is not None and visit.station_id != station.pk:
            self.add_error("visit", "相关走访须是本站的走访。")
        return data


class SuggestionAnswerForm(forms.Form):
    reply = forms.CharField(
        label="答复意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
