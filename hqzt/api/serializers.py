from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from hqzt.accounts.forms import USERNAME_MAX, USERNAME_TOO_LONG
from hqzt.accounts.otp import token_login_refusal
from hqzt.core import clock
from hqzt.core.phones import phone_clean, phone_display, phone_mask
from hqzt.core.text import CONTROL, name_clean
from hqzt.enterprises.credit_code import credit_code_clean
from hqzt.needs.actions import available_actions, need_phone_full
from hqzt.needs.deadlines import warn_date
from hqzt.needs.models import EvaluationLevel, Need, NeedType
from hqzt.needs.selectors import deadline_flag, standing_for
from hqzt.needs.services.evaluation import DISSATISFIED_REASON_REQUIRED
from hqzt.policies.models import Policy
from hqzt.portal.printing import PROCESS
from hqzt.portal.selectors import duty_staff, public_steps
from hqzt.stations.models import Station
from hqzt.supervision.models import Feedback


def _django_clean(func, value):
    """Run one of our Django validators and report its Chinese message the DRF way."""
    try:
        return func(value)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from None


class NeedTypeCodeField(serializers.SlugRelatedField):
    """A need type by its code. Control characters are refused before the lookup: PostgreSQL
    answers a NUL in a query with an error, not with "no such type"."""

    def to_internal_value(self, data):
        if isinstance(data, str) and CONTROL.search(data):
            raise serializers.ValidationError("需求类型代码含有不可见的控制字符。")
        return super().to_internal_value(data)


class StationSerializer(serializers.ModelSerializer):
    domain_kind = serializers.CharField(source="domain_kind.name")
    domain = serializers.CharField(source="domain_display")
    site_kind = serializers.CharField(source="site_kind.name")

    class Meta:
        model = Station
        fields = ["id", "name", "domain_kind", "domain", "site_kind", "address"]


class StationDetailSerializer(StationSerializer):
    contact_phones = serializers.SerializerMethodField()
    supervision_phone = serializers.SerializerMethodField()
    duty_staff = serializers.SerializerMethodField()
    process = serializers.SerializerMethodField()

    class Meta(StationSerializer.Meta):
        fields = [
            *StationSerializer.Meta.fields,
            "service_content",
            "route_guidance",
            "contact_phones",
            "supervision_phone",
            "duty_staff",
            "process",
        ]

    def get_contact_phones(self, obj: Station) -> list[str]:
        return [phone_display(n) for n in obj.contact_phones.split("、") if n]

    def get_supervision_phone(self, obj: Station) -> str:
        return phone_display(obj.supervision_phone)

    def get_duty_staff(self, obj: Station) -> list[str]:
        return duty_staff(obj)

    def get_process(self, obj: Station) -> list[str]:
        return PROCESS


class NeedTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedType
        fields = ["code", "name"]


class SubmissionSerializer(serializers.Serializer):
    """What an enterprise submits (the portal form, for a mini-program)."""

    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.filter(is_active=True))
    enterprise_name = serializers.CharField(max_length=200, min_length=2)
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=30)
    need_type = NeedTypeCodeField(
        slug_field="code", queryset=NeedType.objects.filter(is_active=True)
    )
    content = serializers.CharField(max_length=2000)

    def validate_credit_code(self, value: str) -> str:
        return _django_clean(credit_code_clean, value) if value.strip() else ""

    def validate_contact_phone(self, value: str) -> str:
        return _django_clean(phone_clean, value)

    def validate_enterprise_name(self, value: str) -> str:
        name = name_clean(value)
        if len(name) < 2:
            raise serializers.ValidationError("请填写企业全称。")
        return name

    def validate_contact_name(self, value: str) -> str:
        name = name_clean(value)
        if not name:
            raise serializers.ValidationError("请填写联系人姓名。")
        return name


class PortalSubmissionSerializer(SubmissionSerializer):
    idempotency_key = serializers.UUIDField(help_text="每次填写生成一个新的 UUID；重试时沿用。")


class IntegrationSubmissionSerializer(SubmissionSerializer):
    external_id = serializers.CharField(max_length=100, help_text="对方平台的工单编号")


class ReceiptSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(help_text="服务站台账上的跟踪单号（年代号+流水号）")
    station = serializers.IntegerField(help_text="服务站 id")
    reference = serializers.CharField(
        help_text="全市唯一的写法：服务站编号-跟踪单号，如 03-20250001；查询进度时填写它"
    )
    status = serializers.CharField()


class TrackSerializer(serializers.Serializer):
    tracking_number = serializers.CharField(
        max_length=20, help_text="回执上的跟踪单号，如 03-20250001（旧回执上的 20250001 也可）"
    )
    phone_last4 = serializers.RegexField(r"^\d{4}$", error_messages={"invalid": "请输入4位数字。"})


class PublicStepSerializer(serializers.Serializer):
    at = serializers.CharField()
    text = serializers.CharField()


class PublicNeedSerializer(serializers.Serializer):
    station = serializers.CharField(source="station.name")
    need_type = serializers.CharField(source="need_type.name")
    content = serializers.CharField()
    status = serializers.CharField(source="get_status_display")
    result = serializers.CharField()
    handling_opinion = serializers.CharField()
    steps = serializers.SerializerMethodField()

    def get_steps(self, obj: Need) -> list[dict[str, str]]:
        return PublicStepSerializer(public_steps(obj), many=True).data


class EvaluationSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(choices=EvaluationLevel.choices)
    comments = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="意见建议；评价为“不满意”（dissatisfied）时必填，写明不满意的原因。",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs["level"] == EvaluationLevel.DISSATISFIED and not attrs["comments"].strip():
            raise serializers.ValidationError({"comments": [DISSATISFIED_REASON_REQUIRED]})
        return attrs


class FeedbackSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Feedback.Kind.choices)
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    content = serializers.CharField(max_length=2000)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")

    def validate_phone(self, value: str) -> str:
        return _django_clean(phone_clean, value) if value.strip() else ""


class NeedListSerializer(serializers.ListSerializer):
    """Reads where the user stands to the page's needs once, for every row's phone and actions."""

    def to_representation(self, data):
        needs = list(data.all() if hasattr(data, "all") else data)
        self.child.context["standing"] = standing_for(self.context["request"].user, needs)
        return super().to_representation(needs)


class NeedSerializer(serializers.ModelSerializer):
    """A need as staff see it through the API: the same scope and masking as the pages."""

    tracking_number = serializers.CharField(source="sheet.tracking_number")
    reference = serializers.CharField(source="sheet.reference")
    label = serializers.CharField()
    station_id = serializers.IntegerField()
    station = serializers.CharField(source="station.name")
    enterprise = serializers.CharField(source="enterprise.name")
    contact_phone = serializers.SerializerMethodField()
    need_type = serializers.CharField(source="need_type.code")
    status_label = serializers.CharField(source="get_status_display")
    first_contact = serializers.SerializerMethodField()
    lead_section = serializers.CharField(source="lead_section.name", default=None)
    flag = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Need
        list_serializer_class = NeedListSerializer
        fields = [
            "id",
            "label",
            "tracking_number",
            "reference",
            "station_id",
            "station",
            "enterprise",
            "registered_on",
            "contact_name",
            "contact_phone",
            "need_type",
            "content",
            "status",
            "status_label",
            "first_contact",
            "lead_section",
            "round",
            "escalated",
            "due_on",
            "flag",
            "result",
            "handling_opinion",
            "actions",
        ]

    def _user(self):
        return self.context["request"].user

    def get_contact_phone(self, obj: Need) -> str:
        full = need_phone_full(self._user(), obj, self.context.get("standing"))
        return phone_display(obj.contact_phone) if full else phone_mask(obj.contact_phone)

    def get_first_contact(self, obj: Need) -> str | None:
        return obj.first_contact.display_name if obj.first_contact_id else None

    def get_flag(self, obj: Need) -> str:
        # Worked out once per response, not per need of a list (setdefault would work out its
        # default, two queries, for every row).
        if "warn_on" not in self.context:
            self.context["warn_on"] = warn_date(clock.today())
        return deadline_flag(obj, warn_on=self.context["warn_on"])

    def get_actions(self, obj: Need) -> list[str]:
        return available_actions(self._user(), obj, self.context.get("standing"))


class IntegrationStatusSerializer(serializers.Serializer):
    external_id = serializers.CharField()
    tracking_number = serializers.CharField()
    station = serializers.IntegerField()
    reference = serializers.CharField()
    needs = serializers.ListField(child=serializers.DictField())


class PolicySerializer(serializers.ModelSerializer):
    chains = serializers.StringRelatedField(many=True)
    towns = serializers.StringRelatedField(many=True)
    need_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Policy
        fields = [
            "id",
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
        ]


class TokenLoginSerializer(AuthTokenSerializer):
    """A personal token is a login: it takes the second factor like the login page does."""

    # Refused before `authenticate`, as on the login page (accounts/forms.py, probe 2 L1).
    username = serializers.CharField(
        label="用户名",
        write_only=True,
        max_length=USERNAME_MAX,
        error_messages={"max_length": USERNAME_TOO_LONG},
    )

    otp = serializers.CharField(
        label="两步验证码",
        default="",
        allow_blank=True,
        max_length=20,
        help_text="已启用两步验证的账号必填：身份验证器中的 6 位数字，或一个恢复码。",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        refusal = token_login_refusal(
            user=attrs["user"], code=attrs["otp"], request=self.context.get("request")
        )
        if refusal:
            raise serializers.ValidationError(refusal, code="authorization")
        return attrs
