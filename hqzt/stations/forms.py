from django import forms

from hqzt.accounts.models import User
from hqzt.core.phones import phone_clean, phone_list_clean
from hqzt.core.widgets import DateInput
from hqzt.enterprises.models import Chain, Town
from hqzt.stations.models import DomainKind, SiteKind, Station
from hqzt.stations.selectors import superior_units_for

PUBLIC_INFO_FIELDS = [
    "address",
    "route_guidance",
    "service_content",
    "contact_phones",
    "im_contact",
    "im_link",
]


class StationPublicInfoForm(forms.ModelForm):
    """What a station's chief keeps current: the §5.2.4 public information and the §6.2
    contacts."""

    im_link = forms.URLField(
        label=Station._meta.get_field("im_link").verbose_name,
        help_text=Station._meta.get_field("im_link").help_text,
        max_length=300,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Station
        fields = PUBLIC_INFO_FIELDS
        widgets = {
            "route_guidance": forms.Textarea(attrs={"rows": 3}),
            "service_content": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_contact_phones(self) -> str:
        return phone_list_clean(self.cleaned_data["contact_phones"])

    def clean_im_link(self) -> str:
        link = self.cleaned_data["im_link"].strip()
        if link and not link.lower().startswith("https://"):
            raise forms.ValidationError("即时通讯加入链接须以 https:// 开头。")
        return link


class StationForm(StationPublicInfoForm):
    """The whole register entry, for admins and supervisors."""

    class Meta(StationPublicInfoForm.Meta):
        fields = [
            "name",
            "domain_kind",
            "chain",
            "town",
            "domain_name",
            "site_kind",
            "host_organization",
            *PUBLIC_INFO_FIELDS,
            "supervision_phone",
            "superior_unit",
            "established_on",
            "is_active",
        ]
        widgets = {
            **StationPublicInfoForm.Meta.widgets,
            "established_on": DateInput(),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain_kind"].queryset = DomainKind.objects.filter(is_active=True)
        self.fields["site_kind"].queryset = SiteKind.objects.filter(is_active=True)
        self.fields["chain"].queryset = Chain.objects.filter(is_active=True)
        self.fields["town"].queryset = Town.objects.filter(is_active=True)
        self.fields["superior_unit"].queryset = superior_units_for(user)

    def clean_supervision_phone(self) -> str:
        return phone_clean(self.cleaned_data["supervision_phone"])

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("domain_kind")
        if kind is None:
            return data
        if kind.code == DomainKind.Code.CHAIN:
            data["town"] = None
            if not data.get("chain"):
                self.add_error("chain", "服务领域为产业链时，请选择所服务的产业链。")
        elif kind.code == DomainKind.Code.TOWN:
            data["chain"] = None
            if not data.get("town"):
                self.add_error("town", "服务领域为专业镇时，请选择所服务的专业镇。")
        else:
            data["chain"] = data["town"] = None
            if not data.get("domain_name", "").strip():
                self.add_error(
                    "domain_name", "服务领域为行业重点企业时，请填写所服务的行业或企业。"
                )
        return data
