"""The ledger's filters and the limit of one list selection."""

from django import forms
from django.db.models import QuerySet

from hqzt.core.choices import ListedModelChoiceField, QuickSelect
from hqzt.core.text import as_id
from hqzt.core.widgets import DateInput
from hqzt.enterprises.models import Chain, Town
from hqzt.needs.measures import MEASURES
from hqzt.needs.models import Channel, EvaluationLevel, NeedType, Source
from hqzt.needs.states import Status
from hqzt.org.models import Section
from hqzt.stations.models import Station

# Quick date ranges of the ledger (ledger.period_range works out their dates).
PERIODS = [("week", "本周"), ("month", "本月"), ("quarter", "本季度"), ("year", "本年")]
# The most needs one list selection may carry (batch actions, 导出所选).
SELECTED_MAX = 200


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label="关键词或联系电话", required=False, max_length=50)
    date_from = forms.DateField(label="登记日期从", required=False, widget=DateInput())
    date_to = forms.DateField(label="至", required=False, widget=DateInput())
    station = ListedModelChoiceField(
        label="服务站", queryset=Station.objects.none(), required=False, empty_label="全部"
    )
    need_type = ListedModelChoiceField(
        label="需求类型", queryset=NeedType.objects.all(), required=False, empty_label="全部"
    )
    source = forms.ChoiceField(
        label="来源", widget=QuickSelect(), choices=[("", "全部"), *Source.choices], required=False
    )
    channel = ListedModelChoiceField(
        label="渠道", queryset=Channel.objects.all(), required=False, empty_label="全部"
    )
    status = forms.ChoiceField(
        label="状态", widget=QuickSelect(), choices=[("", "全部"), *Status.choices], required=False
    )
    lead_section = ListedModelChoiceField(
        label="牵头科室", queryset=Section.objects.all(), required=False, empty_label="全部"
    )
    chain = ListedModelChoiceField(
        label="产业链", queryset=Chain.objects.all(), required=False, empty_label="全部"
    )
    town = ListedModelChoiceField(
        label="专业镇", queryset=Town.objects.all(), required=False, empty_label="全部"
    )
    archive_category = ListedModelChoiceField(
        label="归档类别", queryset=NeedType.objects.all(), required=False, empty_label="全部"
    )
    evaluation = forms.ChoiceField(
        label="评价结果",
        widget=QuickSelect(),
        choices=[("", "全部"), *EvaluationLevel.choices],
        required=False,
    )
    measure = forms.ChoiceField(
        label="统计指标",
        widget=QuickSelect(),
        choices=[("", "全部"), *((key, m.label) for key, m in MEASURES.items())],
        required=False,
    )
    overdue = forms.BooleanField(label="仅看超期", required=False)
    period = forms.ChoiceField(label="快捷时间", choices=[("", "不限"), *PERIODS], required=False)
    # 导出所选: the ids picked in the list (still within the user's scope and the other filters).
    ids = forms.CharField(
        label="所选需求",
        required=False,
        max_length=SELECTED_MAX * 12,
        help_text=f"逗号分隔的需求 id，最多 {SELECTED_MAX} 个",
    )

    def __init__(
        self, *args, stations: QuerySet[Station], any_station: bool = False, **kwargs
    ) -> None:
        """`stations`: those the user sees, which the filter bar lists. `any_station`: the
        user's needs may come from any station whatever that list holds — a section handler
        gets needs dispatched from every station of the city (action_forms.py)."""
        super().__init__(*args, **kwargs)
        self.any_station = any_station
        self.fields["station"].queryset = stations.only("pk", "name")  # a city lists 200
        # 归档类别 offers the same need types as 需求类型.
        self.fields["archive_category"].list_with(self.fields["need_type"])

    def spans_stations(self) -> bool:
        """Whether the user's ledger may hold several stations' needs, whose numbers may
        coincide: then each number is shown with its station's number in front (R-3.2, ADR
        0008). Read from the stations the filter bar lists anyway — counting them again was one
        query more on every page."""
        return self.any_station or len(self.fields["station"].listed()) > 1

    def clean_ids(self) -> list[int]:
        raw = [part.strip() for part in self.cleaned_data["ids"].split(",") if part.strip()]
        ids = list(dict.fromkeys(as_id(part) for part in raw))
        if None in ids:
            raise forms.ValidationError("所选需求的编号无效。")
        if len(ids) > SELECTED_MAX:
            raise forms.ValidationError(f"一次最多选择 {SELECTED_MAX} 条需求。")
        return ids
