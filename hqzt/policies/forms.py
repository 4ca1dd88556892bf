from django import forms

from hqzt.core.widgets import DateInput
from hqzt.policies.models import Policy


class PolicyForm(forms.ModelForm):
    file = forms.FileField(label="附件（选填）", required=False)

    class Meta:
        model = Policy
        fields = [
            "title",
            "issuer",
            "document_number",
            "issued_on",
            "valid_until",
            "chains",
            "towns",
            "industries",
            "need_types",
            "summary",
            "interpretation",
            "station",
        ]
        widgets = {
            "issued_on": DateInput(),
            "valid_until": DateInput(),
            "chains": forms.CheckboxSelectMultiple,
            "towns": forms.CheckboxSelectMultiple,
            "need_types": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "interpretation": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, stations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations

    def clean(self):
        data = super().clean()
        issued, until = data.get("issued_on"), data.get("valid_until")
        if issued and until and until < issued:
            self.add_error("valid_until", "有效期不能早于发布日期。")
        return data


class PolicySearchForm(forms.Form):
    q = forms.CharField(label="政策名称或文号", required=False, max_length=50)
    expired = forms.BooleanField(label="含已失效", required=False)
