"""Registering needs: the sheet's common fields, the need items and the duplicate choice."""

from django import forms
from django.db.models import QuerySet

from hqzt.core.phones import phone_clean
from hqzt.core.text import name_clean
from hqzt.core.widgets import PhoneInput
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.picker import EnterprisePicker
from hqzt.intake import widgets as intake_widgets
from hqzt.needs.models import Channel, NeedType, Source, TrackingSheet
from hqzt.stations.models import Station

CONTENT_MAX = 2000


class RegisterForm(forms.Form):
    """Appendix B fields common to the needs an enterprise raises together (one sheet)."""

    station = forms.ModelChoiceField(label="服务站", queryset=Station.objects.none())
    enterprise = forms.ModelChoiceField(
        label="企业名称",
        queryset=Enterprise.objects.none(),
        widget=EnterprisePicker,
        help_text="在本站服务的企业中查找（名称中的一两个字或信用代码开头即可）；新企业点“新建企业”。",
        error_messages={"invalid_choice": "请从查找结果中选择企业。"},
    )
    contact_name = forms.CharField(label="企业联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30, widget=PhoneInput())
    source = forms.ChoiceField(label="需求来源", choices=Source.choices, initial=Source.INBOUND)
    channel = forms.ModelChoiceField(
        label="受理渠道",
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        help_text="企业“找上门”时填写。",
    )

    def __init__(
        self, *args, stations: QuerySet[Station], enterprises: QuerySet[Enterprise], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        self.fields["enterprise"].queryset = enterprises.order_by("name")
        if stations.count() == 1:
            self.fields["station"].initial = stations.first()

    def clean_contact_name(self) -> str:
        name = name_clean(self.cleaned_data["contact_name"])
        if not name:
            raise forms.ValidationError("请填写企业联系人姓名。")
        return name

    def clean_contact_phone(self) -> str:
        return phone_clean(self.cleaned_data["contact_phone"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") == Source.INBOUND and not data.get("channel"):
            self.add_error("channel", "企业“找上门”的需求请选择受理渠道。")
        station, enterprise = data.get("station"), data.get("enterprise")
        if station and enterprise and not station.enterprises.filter(pk=enterprise.pk).exists():
            self.add_error("enterprise", "该企业不是所选服务站的服务企业。")
        return data


class DuplicateChoiceForm(forms.Form):
    """Registration found probable duplicates (intake.similar): the staff member has seen them
    (`checked`) and registers a new sheet or adds the needs to one of those sheets."""

    checked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    attach_to = forms.ModelChoiceField(
        label="登记方式",
        queryset=TrackingSheet.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label="登记为新的跟踪单",
    )

    def __init__(self, *args, sheets: QuerySet[TrackingSheet], **kwargs) -> None:
        super().__init__(*args, prefix="dup", **kwargs)
        field = self.fields["attach_to"]
        field.queryset = sheets
        field.label_from_instance = lambda sheet: f"加入已有跟踪单 {sheet.tracking_number}"


class NeedItemForm(forms.Form):
    need_type = forms.ModelChoiceField(
        label="企业需求类型", queryset=NeedType.objects.filter(is_active=True)
    )
    content = forms.CharField(
        label="企业需求",
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, **intake_widgets.TYPE_SUGGEST_ATTRS}),
    )


class BaseNeedItemFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "请至少填写一项企业需求。",
    }


NeedItemFormSet = forms.formset_factory(
    NeedItemForm,
    formset=BaseNeedItemFormSet,
    extra=3,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)
