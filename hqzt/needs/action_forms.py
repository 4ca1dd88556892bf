"""The forms of the need's workflow actions (hqzt.needs.actions) and the public evaluation."""

from django import forms
from django.db.models import Case, When

from hqzt.accounts.models import User
from hqzt.intake import services as intake
from hqzt.needs.models import (
    Complexity,
    Evaluation,
    EvaluationLevel,
    HandlingMode,
    Need,
    NeedType,
    Outcome,
    Scope,
)
from hqzt.needs.services.evaluation import DISSATISFIED_REASON_REQUIRED
from hqzt.org.models import Section
from hqzt.policies.selectors import policies_in_force


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予受理理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class IdentifyForm(forms.Form):
    scope = forms.ChoiceField(label="职能范围", choices=Scope.choices, widget=forms.RadioSelect)
    complexity = forms.ChoiceField(
        label="难易程度（市场监管职能范围内）",
        choices=Complexity.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, need: Need, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            return
        # Pre-filled with the classifier's suggestion (hqzt.intake); the person decides.
        suggestion = intake.suggestion_for_need(need)
        scopes = {label: value for value, label in Scope.choices}
        complexities = {label: value for value, label in Complexity.choices}
        self.initial["scope"] = scopes[suggestion.scope.name]
        self.fields["scope"].help_text = intake.describe(
            [(r.name, r.confidence) for r in suggestion.scopes], suggestion.lead_words
        )
        if suggestion.scope.name == intake.labels.SCOPE_MARKET:
            self.initial["complexity"] = complexities[suggestion.complexity.name]
            self.fields["complexity"].help_text = intake.describe(
                [(r.name, r.confidence) for r in suggestion.complexities], []
            )
        self.fields["scope"].help_text += "。需求类型建议：" + "、".join(
            f"{r.name}（{r.confidence:.0%}）" for r in suggestion.types[:3]
        )


class DispatchForm(forms.Form):
    handling_mode = forms.ChoiceField(label="办理方式", choices=HandlingMode.choices)
    lead_section = forms.ModelChoiceField(
        label="牵头科室",
        queryset=Section.objects.filter(kind=Section.Kind.BUREAU_SECTION, is_active=True),
    )
    co_sections = forms.ModelMultipleChoiceField(
        label="协办科室（共同办理时）",
        queryset=Section.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label="分发说明", max_length=500, required=False)

    def __init__(self, *args, need: Need, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _list_sections(self)
        self.fields["lead_section"].initial = need.need_type.default_section_id
        if not self.is_bound:
            _prefill_lead(self, "lead_section", need, departments=False)


class LiaiseForm(forms.Form):
    department = forms.ModelChoiceField(
        label="相关部门",
        queryset=Section.objects.filter(kind=Section.Kind.OTHER_DEPARTMENT, is_active=True),
    )
    department_contact = forms.CharField(label="部门联系人及电话", max_length=100)
    assistance = forms.CharField(
        label="服务站如何协助企业", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, need: Need, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _list_sections(self)
        if not self.is_bound:
            _prefill_lead(self, "department", need, departments=True)


# The section fields of the action forms and the kind each offers (None: every active one).
_SECTION_KINDS = {
    "lead_section": Section.Kind.BUREAU_SECTION,
    "co_sections": None,
    "department": Section.Kind.OTHER_DEPARTMENT,
}


def _list_sections(form: forms.Form, *, other_lead_than: int | None = None) -> None:
    """Offer every section field of the form from one read of the active sections. Each field
    re-read its queryset when shown: the need page, which holds several dialogs, paid a query per
    field. Validation still reads the chosen row through the field's queryset, so nothing that
    the queryset leaves out is ever accepted. `other_lead_than`: the lead field leaves out the
    need's present lead section (改派 names another)."""
    sections = list(Section.objects.filter(is_active=True))
    for name, kind in _SECTION_KINDS.items():
        if (field := form.fields.get(name)) is None:
            continue
        left_out = other_lead_than if name == "lead_section" else None
        empty = [] if getattr(field, "empty_label", None) is None else [("", field.empty_label)]
        field.choices = empty + [
            (section.pk, field.label_from_instance(section))
            for section in sections
            if kind in (None, section.kind) and section.pk != left_out
        ]


def _prefill_lead(form: forms.Form, field: str, need: Need, *, departments: bool) -> None:
    """The lead field opens on the suggested section or department, with the next two and the
    deciding words under it."""
    suggestion = intake.suggestion_for_need(need)
    options = intake.suggested_sections(suggestion, departments=departments, need=need)
    allowed = {value for value, _ in form.fields[field].choices if value}
    options = [(section, ranked) for section, ranked in options if section.pk in allowed]
    if not options:
        return
    form.initial[field] = options[0][0].pk
    form.fields[field].help_text = intake.describe(
        [(section.name, ranked.confidence) for section, ranked in options],
        suggestion.lead_words,
    )


class AcceptTaskForm(forms.Form):
    responsible_person = forms.ModelChoiceField(
        label="责任人", queryset=User.objects.none(), required=False, empty_label="（本人）"
    )

    def __init__(self, *args, need: Need, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = User.objects.filter(
            sections=need.lead_section_id, is_active=True
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="回退理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepForm(forms.Form):
    description = forms.CharField(
        label="处理过程", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    answered_enterprise = forms.BooleanField(label="已就此向企业答复", required=False)
    attachment = forms.FileField(label="附件（可选）", required=False)


class AttachForm(forms.Form):
    file = forms.FileField(label="附件", help_text="PDF、图片、Word、Excel，单个不超过 10 MB。")


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=Outcome.choices, widget=forms.RadioSelect)
    result = forms.CharField(
        label="处理过程及结果", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    handling_opinion = forms.CharField(
        label="处理意见（需求未满足时，分析研判后提出并告知企业）",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    remarks = forms.CharField(label="备注", max_length=200, required=False)


COMMENTS_HELP = "选择“不满意”时必填：请写明不满意的原因，服务站将据此核实并重新办理。"


class _LevelWithReason(forms.Form):
    """不满意 needs its reason (§6.5.2: it is verified and handled again), on every path."""

    def clean(self) -> dict:
        data = super().clean()
        reason = data.get("comments", "").strip()
        if data.get("level") == EvaluationLevel.DISSATISFIED and not reason:
            self.add_error("comments", DISSATISFIED_REASON_REQUIRED)
        return data


class EvaluateForm(_LevelWithReason):
    level = forms.ChoiceField(
        label="评价结果", choices=EvaluationLevel.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label="意见建议",
        max_length=1000,
        required=False,
        help_text=COMMENTS_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    method = forms.ChoiceField(
        label="征集方式",
        choices=[c for c in Evaluation.Method.choices if c[0] != Evaluation.Method.LINK],
    )


class PublicEvaluateForm(_LevelWithReason):
    level = forms.ChoiceField(
        label="评价结果", choices=EvaluationLevel.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label="意见建议",
        max_length=1000,
        required=False,
        help_text=COMMENTS_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerifyForm(forms.Form):
    """§6.5.2: what the verification found, and where the need goes next."""

    DECISIONS = [
        ("rehandle", "由原办理人员重新办理"),
        ("redispatch", "改派其他科室办理"),
        ("reliaise", "改由其他部门办理（服务站协调）"),
        ("close", "说明情况后结束"),
    ]
    decision = forms.ChoiceField(label="核实结论", choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(
        label="核实情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_section = forms.ModelChoiceField(
        label="改派的牵头科室",
        queryset=Section.objects.filter(kind=Section.Kind.BUREAU_SECTION, is_active=True),
        required=False,
    )
    handling_mode = forms.ChoiceField(
        label="办理方式", choices=HandlingMode.choices, initial=HandlingMode.INDEPENDENT
    )
    co_sections = forms.ModelMultipleChoiceField(
        label="协办科室（共同办理时）",
        queryset=Section.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ModelChoiceField(
        label="改由办理的部门",
        queryset=Section.objects.filter(kind=Section.Kind.OTHER_DEPARTMENT, is_active=True),
        required=False,
    )
    department_contact = forms.CharField(label="部门联系人及电话", max_length=100, required=False)
    assistance = forms.CharField(
        label="服务站如何协助企业",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, need: Need, allowed: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["decision"].choices = [c for c in self.DECISIONS if c[0] in allowed]
        if need.lead_section_id:
            self.fields["lead_section"].queryset = self.fields["lead_section"].queryset.exclude(
                pk=need.lead_section_id
            )
        _list_sections(self, other_lead_than=need.lead_section_id)

    def clean(self) -> dict:
        data = super().clean()
        decision = data.get("decision")
        if decision == "redispatch" and not data.get("lead_section"):
            self.add_error("lead_section", "改派其他科室时，请选择牵头科室。")
        if decision == "reliaise":
            if not data.get("department"):
                self.add_error("department", "改由其他部门办理时，请选择部门。")
            if not data.get("assistance", "").strip():
                self.add_error("assistance", "请填写服务站协助企业的方式。")
        return data


class ArchiveForm(forms.Form):
    category = forms.ModelChoiceField(label="归档类别", queryset=NeedType.objects.all())

    def __init__(self, *args, need: Need, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = need.need_type_id


class RemindForm(forms.Form):
    note = forms.CharField(label="催办说明", max_length=500, required=False)


class ExtensionForm(forms.Form):
    working_days = forms.IntegerField(label="延期（工作日）", min_value=1, max_value=30)
    reason = forms.CharField(label="延期理由", max_length=500)


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批结果",
        choices=[("1", "批准"), ("0", "不批准")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审批意见", max_length=500, required=False)


class LinkPolicyForm(forms.Form):
    policy = forms.ModelChoiceField(label="政策", queryset=None)

    def __init__(self, *args, need: Need, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Policies about this need's type first, then the rest, newest first, in one read.
        in_force = policies_in_force()
        self.fields["policy"].queryset = in_force.order_by("-issued_on")
        about_type = in_force.filter(need_types=need.need_type_id).values("pk")
        listed = in_force.annotate(
            about_type=Case(When(pk__in=about_type, then=1), default=0)
        ).order_by("-about_type", "-issued_on", "-pk")[:250]
        self.fields["policy"].choices = [("", "请选择")] + [(p.pk, str(p)) for p in listed]
