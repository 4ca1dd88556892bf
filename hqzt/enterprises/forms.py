from django import forms
from django.db.models import QuerySet

from hqzt.core.formsets import parent_inline_formset
from hqzt.core.phones import phone_clean, phone_mask
from hqzt.core.text import name_clean
from hqzt.enterprises.credit_code import DUPLICATE_CREDIT_CODE, credit_code_clean
from hqzt.enterprises.models import Chain, Enterprise, EnterpriseContact, Town
from hqzt.enterprises.selectors import (
    REGISTERED_ELSEWHERE,
    SAME_NAME_AT_STATION,
    enterprise_twin_exists,
)
from hqzt.stations.models import Station


class EnterpriseForm(forms.ModelForm):
    stations = forms.ModelMultipleChoiceField(
        label="服务站",
        queryset=Station.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="由哪些服务站为该企业提供服务；只有这些服务站的人员可以查看企业信息。",
    )

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "legal_representative",
            "address",
            "industry",
            "size",
            "main_products",
            "management_situation",
            "chains",
            "town",
        ]
        widgets = {
            "main_products": forms.Textarea(attrs={"rows": 3}),
            "management_situation": forms.Textarea(attrs={"rows": 3}),
            "chains": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args, allowed_stations: QuerySet[Station], require_station: bool, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stations"].queryset = allowed_stations
        self.fields["stations"].required = require_station
        self.fields["stations"].error_messages["required"] = (
            "请至少选择一个服务站，否则保存后您将无法查看该企业。"
        )
        # Django's message repeats the submitted id; a tampered id is said without it.
        for code in ("invalid_choice", "invalid_pk_value"):
            self.fields["stations"].error_messages[code] = "所选服务站不在您的权限范围内。"
        self.fields["chains"].queryset = Chain.objects.filter(is_active=True)
        self.fields["town"].queryset = Town.objects.filter(is_active=True)
        if self.instance.pk:
            self.initial["stations"] = list(
                self.instance.stations.filter(pk__in=allowed_stations.values("pk"))
            )
        elif require_station:
            self.initial["stations"] = list(allowed_stations)

    def clean_name(self) -> str:
        name = name_clean(self.cleaned_data["name"])
        if len(name) < 2:
            raise forms.ValidationError("企业名称至少2个字。")
        return name

    def clean_credit_code(self) -> str | None:
        raw = self.cleaned_data.get("credit_code") or ""
        if not raw.strip():
            return None
        code = credit_code_clean(raw)
        others = Enterprise.objects.filter(credit_code=code).exclude(pk=self.instance.pk)
        if others.filter(stations__in=self.fields["stations"].queryset).exists():
            raise forms.ValidationError(DUPLICATE_CREDIT_CODE)
        if others.exists():  # ADR 0006: served by another station only, and not named here
            raise forms.ValidationError(REGISTERED_ELSEWHERE)
        return code

    def clean(self) -> dict:
        """The friendly early answer to a name the chosen stations already serve; the service
        asks again under a lock (enterprise_save), where a double click is decided."""
        cleaned = super().clean()
        name, stations = cleaned.get("name"), cleaned.get("stations")
        if enterprise_twin_exists(
            name=name, stations=list(stations or []), exclude_pk=self.instance.pk
        ):
            self.add_error("name", SAME_NAME_AT_STATION)
        return cleaned


class EnterpriseContactForm(forms.ModelForm):
    class Meta:
        model = EnterpriseContact
        fields = ["name", "position", "phone", "is_primary"]

    def __init__(self, *args, full_phone: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not full_phone and self.instance.pk:
            # An editor who sees numbers masked (a supervisor, contact_phone_access) keeps a
            # saved contact's number as it is: shown masked, not editable, never sent back.
            field = self.fields["phone"]
            field.disabled = True
            field.widget.attrs["title"] = "号码已部分隐藏，如需更改请联系服务站工作人员。"
            self.initial["phone"] = phone_mask(self.instance.phone)

    def clean_name(self) -> str:
        name = name_clean(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("请填写联系人姓名。")
        return name

    def clean_phone(self) -> str:
        if self.fields["phone"].disabled:
            return self.instance.phone
        return phone_clean(self.cleaned_data["phone"])


EnterpriseContactFormSet = parent_inline_formset(
    Enterprise,
    EnterpriseContact,
    form=EnterpriseContactForm,
    extra=1,
    max_num=10,
    can_delete=True,
)


class ChainForm(forms.ModelForm):
    class Meta:
        model = Chain
        fields = ["name", "description", "chain_leader", "backbone_enterprises", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "backbone_enterprises": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # 链主 and backbone firms are chosen among the chain's own enterprises: a bounded list
        # even when the register holds millions.
        members = (
            Enterprise.objects.filter(chains=self.instance).order_by("name")
            if self.instance.pk
            else Enterprise.objects.none()
        )
        self.fields["chain_leader"].queryset = members
        self.fields["backbone_enterprises"].queryset = members
        hint = "从本产业链的企业中选择；企业需先在企业信息中选择所属产业链。"
        self.fields["chain_leader"].help_text = hint
        self.fields["backbone_enterprises"].help_text = hint

    def clean(self) -> dict:
        data = super().clean()
        leader = data.get("chain_leader")
        if leader and leader in (data.get("backbone_enterprises") or []):
            self.add_error("backbone_enterprises", "链主企业无需再列为骨干企业。")
        return data


class TownForm(forms.ModelForm):
    class Meta:
        model = Town
        fields = ["name", "county", "leading_industry", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
