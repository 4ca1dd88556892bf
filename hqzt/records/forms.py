import re

from django import forms

from hqzt.core import clock
from hqzt.core.widgets import MultipleFileInput
from hqzt.needs.selectors import station_need_by_label
from hqzt.records.practices import MAX_PHOTOS
from hqzt.stations.models import Station


class PhotosField(forms.FileField):
    """Several files in one input; their type and number are checked by the service."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(f, initial) for f in files]


class PracticeForm(forms.Form):
    station = forms.ModelChoiceField(label="服务站", queryset=Station.objects.none())
    title = forms.CharField(label="案例标题", max_length=100)
    summary = forms.CharField(
        label="经验做法",
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="做了什么、怎么做的、效果如何，可供其他服务站借鉴的做法。",
    )
    need_labels = forms.CharField(
        label="相关需求（跟踪单号-序号，多个用顿号分隔，选填）", required=False, max_length=300
    )
    photos = PhotosField(label=f"照片（JPG/PNG，最多 {MAX_PHOTOS} 张，选填）", required=False)
    publish = forms.BooleanField(label="在企业服务门户公开发布", required=False)

    def __init__(self, *args, stations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        if stations.count() == 1:
            self.fields["station"].initial = stations.first()

    def clean(self):
        data = super().clean()
        station = data.get("station")
        needs = []
        for label in [x for x in re.split(r"[、，,;；\s]+", data.get("need_labels", "")) if x]:
            need = station_need_by_label(label, station)
            if need is None:
                self.add_error("need_labels", f"本站没有需求「{label}」（格式如 20250012-1）。")
            else:
                needs.append(need)
        data["needs"] = needs
        return data


class CloseBookForm(forms.Form):
    station = forms.ModelChoiceField(label="服务站", queryset=Station.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, stations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["year"].initial = clock.today().year - 1
        if stations.count() == 1:
            self.fields["station"].initial = stations.first()


class ShowcaseForm(forms.Form):
    """发布为典型案例 (§6.6.3), an action on the need page that records adds (RecordsConfig)."""

    title = forms.CharField(label="案例标题", max_length=100)
    summary = forms.CharField(
        label="案例介绍（做法与成效，供宣传推广）",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
