from django import forms

from hqzt.core.phones import phone_clean
from hqzt.core.text import name_clean
from hqzt.core.widgets import DigitsInput, MultipleFileInput, PhoneInput
from hqzt.enterprises.credit_code import credit_code_clean
from hqzt.enterprises.models import Town
from hqzt.intake.widgets import TYPE_SUGGEST_ATTRS
from hqzt.needs.attachments import MAX_BYTES
from hqzt.needs.models import NeedType
from hqzt.stations.models import DomainKind, Station
from hqzt.supervision.models import Feedback

MAX_FILES = 3


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"最多上传 {MAX_FILES} 个附件。")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class StationSearchForm(forms.Form):
    q = forms.CharField(label="服务站名称", required=False, max_length=30)
    domain_kind = forms.ModelChoiceField(
        label="服务领域", queryset=DomainKind.objects.all(), required=False, empty_label="全部"
    )
    town = forms.ModelChoiceField(
        label="专业镇",
        queryset=Town.objects.filter(is_active=True),
        required=False,
        empty_label="全部",
    )


class SubmitForm(forms.Form):
    enterprise_name = forms.CharField(label="企业名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码（选填）", max_length=30, required=False)
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="手机号码", max_length=30, widget=PhoneInput())
    need_type = forms.ModelChoiceField(
        label="需求类型", queryset=NeedType.objects.filter(is_active=True), empty_label="请选择"
    )
    content = forms.CharField(
        label="需求内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, **TYPE_SUGGEST_ATTRS}),
    )
    attachments = MultipleFileField(
        label="附件（选填）",
        required=False,
        help_text=(
            f"最多 {MAX_FILES} 个，PDF、图片、Word、Excel，每个不超过 {MAX_BYTES // 2**20} MB。"
        ),
    )
    key = forms.UUIDField(widget=forms.HiddenInput)

    def clean_enterprise_name(self) -> str:
        name = name_clean(self.cleaned_data["enterprise_name"])
        if len(name) < 2:
            raise forms.ValidationError("请填写企业全称。")
        return name

    def clean_contact_name(self) -> str:
        name = name_clean(self.cleaned_data["contact_name"])
        if not name:
            raise forms.ValidationError("请填写联系人姓名。")
        return name

    def clean_credit_code(self) -> str:
        raw = self.cleaned_data["credit_code"].strip()
        return credit_code_clean(raw) if raw else ""

    def clean_contact_phone(self) -> str:
        return phone_clean(self.cleaned_data["contact_phone"])


class TrackForm(forms.Form):
    tracking_number = forms.CharField(
        label="跟踪单号", max_length=20, help_text="回执或短信上的单号，如 03-20250001"
    )
    phone_last4 = forms.RegexField(
        label="提交时所留手机号码的后四位",
        regex=r"^\d{4}$",
        error_messages={"invalid": "请输入4位数字。"},
        widget=DigitsInput(attrs={"maxlength": 4}),
    )


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    station = forms.ModelChoiceField(
        label="涉及的服务站（选填）",
        queryset=Station.objects.filter(is_active=True),
        required=False,
        empty_label="不涉及具体服务站",
    )
    content = forms.CharField(
        label="内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    name = forms.CharField(label="姓名或单位（选填）", max_length=100, required=False)
    phone = forms.CharField(
        label="联系电话（选填）", max_length=30, required=False, widget=PhoneInput()
    )

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return phone_clean(raw) if raw else ""
