from django import forms
from django.db.models import QuerySet

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.core.phones import phone_clean
from hqzt.core.widgets import DateInput, PhoneInput
from hqzt.needs.models import EvaluationLevel
from hqzt.stations.models import Station
from hqzt.supervision.access import MAX_TEXT
from hqzt.supervision.models import Callback, Feedback


def _text_area(
    label: str, rows: int = 4, required: bool = True, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_TEXT,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StationForm(forms.Form):
    station = forms.ModelChoiceField(label="服务站", queryset=Station.objects.none())

    def __init__(self, *args, stations: QuerySet[Station], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.filter(is_active=True).order_by("name")

    def fix_station(self, station: Station) -> None:
        """The station follows from what the form was opened from (a need, a complaint …), and
        may be one that has since been closed."""
        self.initial["station"] = station.pk
        self.fields["station"].queryset = Station.objects.filter(pk=station.pk)
        self.fields["station"].disabled = True


class OrderForm(StationForm):
    instruction = _text_area("督办事项及要求")
    due_on = forms.DateField(label="回复期限", widget=DateInput())

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < clock.today():
            raise forms.ValidationError("回复期限不能早于今天。")
        return due_on


class OrderResponseForm(forms.Form):
    response = _text_area("回复内容（落实情况）", rows=5)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结果",
        choices=[("accept", "同意办结"), ("return", "退回重新回复")],
        widget=forms.RadioSelect,
    )
    note = _text_area("审核意见（退回时必填）", rows=3, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("note") or "").strip():
            self.add_error("note", "退回时请写明理由。")
        return data


class OrderReviewForm(ReviewForm):
    due_on = forms.DateField(label="新的回复期限（退回时必填）", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return":
            if not data.get("due_on"):
                self.add_error("due_on", "退回时请重新确定回复期限。")
            elif data["due_on"] < clock.today():
                self.add_error("due_on", "回复期限不能早于今天。")
        return data


class SampleForm(forms.Form):
    date_from = forms.DateField(label="评价日期从", widget=DateInput())
    date_to = forms.DateField(label="至", widget=DateInput())
    size = forms.IntegerField(label="抽取条数", min_value=1, max_value=200, initial=10)
    station = forms.ModelChoiceField(
        label="服务站", queryset=Station.objects.none(), required=False, empty_label="全部"
    )

    def __init__(self, *args, stations: QuerySet[Station], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data


class CallbackResultForm(forms.Form):
    reached = forms.ChoiceField(
        label="是否联系上企业",
        choices=[("yes", "已联系上"), ("no", "无法联系")],
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label="回访方式", choices=Callback.Method.choices, widget=forms.RadioSelect
    )
    confirmed_level = forms.ChoiceField(
        label="企业确认的评价",
        choices=[("", "请选择"), *EvaluationLevel.choices],
        required=False,
    )
    notes = _text_area("回访记录（企业意见、与原评价不符的原因等）", rows=4, required=False)

    def clean(self):
        data = super().clean()
        if data.get("reached") == "yes" and not data.get("confirmed_level"):
            self.add_error("confirmed_level", "联系上企业时，请选择企业确认的评价。")
        if data.get("reached") == "no" and not (data.get("notes") or "").strip():
            self.add_error("notes", "无法联系时，请说明联系情况（拨打时间、次数等）。")
        return data


class PhoneFeedbackForm(forms.Form):
    """A call to the supervision phone, written down by the supervisor who took it."""

    kind = forms.ChoiceField(label="类别", choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    station = forms.ModelChoiceField(
        label="涉及的服务站",
        queryset=Station.objects.none(),
        required=False,
        empty_label="不涉及具体服务站",
    )
    content = _text_area("来电内容", rows=5)
    name = forms.CharField(label="来电人姓名或单位", max_length=100, required=False)
    phone = forms.CharField(label="来电号码", max_length=30, required=False, widget=PhoneInput())

    def __init__(self, *args, stations: QuerySet[Station], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations.filter(is_active=True).order_by("name")

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return phone_clean(raw) if raw else ""


class FeedbackCloseForm(forms.Form):
    reply = _text_area("办理结果及答复", rows=4)


class PlanForm(forms.Form):
    problem = _text_area(
        "存在问题",
        rows=3,
        help_text="服务站和任务责任人可以看到整改计划，请勿写入投诉人、企业联系人的姓名和电话。",
    )
    measures = _text_area("改进措施", rows=4)


class TaskForm(forms.Form):
    description = forms.CharField(label="整改任务", max_length=300)
    owner = forms.ModelChoiceField(label="责任人", queryset=User.objects.none())
    due_on = forms.DateField(label="完成期限", widget=DateInput())

    def __init__(self, *args, owners: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.get_role_display()}）"
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < clock.today():
            raise forms.ValidationError("完成期限不能早于今天。")
        return due_on


class TaskSubmitForm(forms.Form):
    evidence = _text_area("整改情况", rows=4)
    file = forms.FileField(label="佐证材料（照片或文件，选填）", required=False)


class PlanCloseForm(forms.Form):
    conclusion = _text_area("整改结论", rows=3)
