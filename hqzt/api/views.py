"""REST API (R-8.2): the portal for a mini-program, staff operations with the same scoping and
services as the pages, and integration endpoints for external platforms (12345 …)."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hqzt.api import serializers as s
from hqzt.api.authentication import IntegrationTokenAuthentication, PersonalTokenAuthentication
from hqzt.api.pagination import NeedCursor
from hqzt.api.permissions import IsIntegration, IsStaffUser
from hqzt.api.throttling import PortalRateThrottle
from hqzt.audit.services import PhoneRevealRefused, phone_reveal
from hqzt.core.clientip import client_key
from hqzt.core.filters import refused_notice
from hqzt.core.text import search_term_problem
from hqzt.needs.actions import ACTIONS, action_form, need_phone_access
from hqzt.needs.intake import KeyReused, Submission, submission_receive
from hqzt.needs.ledger import ledger_filter, with_related
from hqzt.needs.ledger_forms import LedgerFilterForm
from hqzt.needs.models import EvaluationLevel, NeedType, SubmissionKey
from hqzt.needs.selectors import need_get_for_user
from hqzt.needs.services.evaluation import invitation_for_token, need_evaluate
from hqzt.needs.workflow import TransitionForbidden
from hqzt.policies.selectors import policy_search
from hqzt.portal.selectors import need_lookup, station_public, stations_public
from hqzt.supervision.models import Feedback
from hqzt.supervision.services import feedback_receive

KEY_REUSED = {
    "detail": "idempotency_key 已用于内容不同的另一次提交：重试请发送与第一次相同的内容，"
    "新的提交请使用新的 idempotency_key。"
}
EXTERNAL_ID_REUSED = {
    "detail": "external_id 已用于内容不同的另一次推送：重复推送请发送相同内容，"
    "新工单请使用新的编号。"
}
NOT_FOUND = {"detail": "未找到匹配的需求，请核对跟踪单号和手机号后四位。"}
INVALID_LINK = {"detail": "评价链接无效或已过期。"}
DISSATISFIED_NEXT = (
    "已收到您的评价：不满意。{station}将核实了解具体情况并重新办理您的需求，"
    "进展会以短信告知您，办理完毕后会再请您评价。"
)


class PortalView(APIView):
    """Public: no login, writes throttled per client."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_throttles(self):
        return [PortalRateThrottle()] if self.request.method == "POST" else []


class StationList(PortalView, generics.ListAPIView):
    serializer_class = s.StationSerializer
    pagination_class = None

    def get_queryset(self):
        return stations_public().order_by("name")


class StationDetail(PortalView):
    @extend_schema(responses=s.StationDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.StationDetailSerializer(station_public(pk)).data)


class NeedTypeList(PortalView, generics.ListAPIView):
    serializer_class = s.NeedTypeSerializer
    pagination_class = None
    queryset = NeedType.objects.filter(is_active=True).order_by("sort_order")


@extend_schema(parameters=[OpenApiParameter("q", str, description="政策名称或文号")])
class PolicyList(PortalView, generics.ListAPIView):
    serializer_class = s.PolicySerializer
    pagination_class = None

    def get_queryset(self):
        term = self.request.query_params.get("q", "")[:50]
        problem = search_term_problem(term)
        if problem:
            raise serializers.ValidationError({"q": [problem]})
        return (
            policy_search(term)
            .prefetch_related("chains", "towns", "need_types")
            .order_by("-issued_on")[:100]
        )


def _submission(data: dict, channel_code: str) -> Submission:
    return Submission(
        station=data["station"],
        enterprise_name=data["enterprise_name"],
        credit_code=data["credit_code"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        need_type=data["need_type"],
        content=data["content"],
        channel_code=channel_code,
    )


def _receipt(sheet, created: bool) -> Response:
    body = {
        "tracking_number": sheet.tracking_number,
        "station": sheet.station_id,
        "reference": sheet.reference,
        "status": sheet.needs.first().status,
    }
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PortalSubmit(PortalView):
    @extend_schema(
        request=s.PortalSubmissionSerializer,
        responses={
            201: s.ReceiptSerializer,
            200: s.ReceiptSerializer,
            409: OpenApiTypes.OBJECT,
        },
        description=(
            "提交企业需求。同一 idempotency_key 重复提交相同内容只产生一条需求（返回 200）；"
            "用于不同内容时返回 409。"
        ),
    )
    def post(self, request):
        serializer = s.PortalSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            sheet, created = submission_receive(
                _submission(data, "miniprogram"), key=f"portal:{data['idempotency_key']}"
            )
        except KeyReused:
            return Response(KEY_REUSED, status=status.HTTP_409_CONFLICT)
        return _receipt(sheet, created)


class PortalTrack(PortalView):
    @extend_schema(
        request=s.TrackSerializer,
        responses={200: s.PublicNeedSerializer(many=True), 404: OpenApiTypes.OBJECT},
        description="凭跟踪单号和手机号后四位查询进度；单号不存在与手机号不符的回答完全相同。",
    )
    def post(self, request):
        serializer = s.TrackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        needs = need_lookup(**serializer.validated_data, client=client_key(request))
        if not needs:
            return Response(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
        return Response(s.PublicNeedSerializer(needs, many=True).data)


class PortalEvaluate(PortalView):
    @extend_schema(request=s.EvaluationSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        serializer = s.EvaluationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = invitation_for_token(data["token"])
        if invitation is None:
            return Response(INVALID_LINK, status=status.HTTP_404_NOT_FOUND)
        need = need_evaluate(
            need=invitation.need,
            actor=None,
            level=data["level"],
            comments=data["comments"],
            invitation=invitation,
        )
        if data["level"] == EvaluationLevel.DISSATISFIED:
            return Response({"detail": DISSATISFIED_NEXT.format(station=need.station.name)})
        return Response({"detail": "感谢您的评价。"})


class PortalFeedback(PortalView):
    @extend_schema(request=s.FeedbackSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        serializer = s.FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback_receive(channel=Feedback.Channel.PORTAL, **serializer.validated_data)
        return Response({"detail": "已收到，感谢您的监督。"}, status=status.HTTP_201_CREATED)


# --- Staff --------------------------------------------------------------------------------------


def _ledger_parameter_help(field: forms.Field) -> str:
    """A filter's Chinese description; model choices are ids (never read at import time)."""
    if field.help_text:
        return f"{field.label}（{field.help_text}）"
    if isinstance(field, forms.ModelChoiceField):
        return f"{field.label}（id）"
    if isinstance(field, forms.BooleanField):
        return f"{field.label}（on/true）"
    if isinstance(field, forms.DateField):
        return f"{field.label}（YYYY-MM-DD）"
    if isinstance(field, forms.ChoiceField):
        listed = "，".join(f"{value}={label}" for value, label in field.choices if value)
        return f"{field.label}：{listed}"
    return str(field.label)


class StaffView:
    authentication_classes = [SessionAuthentication, PersonalTokenAuthentication]
    permission_classes = [IsStaffUser]


@extend_schema(
    # Every filter the ledger takes (ledger_filter reads the same form), so the schema cannot
    # fall behind the page: 快捷时间 (period), 所选需求 (ids), 仅看超期 and the rest.
    parameters=[
        OpenApiParameter(name, str, description=_ledger_parameter_help(field))
        for name, field in LedgerFilterForm.base_fields.items()
    ]
)
class NeedList(StaffView, generics.ListAPIView):
    serializer_class = s.NeedSerializer
    pagination_class = NeedCursor

    def get_queryset(self):
        needs, filters = ledger_filter(self.request.user, self.request.query_params)
        if filters.ignored:
            raise serializers.ValidationError(
                {"detail": refused_notice(filters.ignored), **filters.errors}
            )
        return with_related(needs).select_related("lead_section")


class NeedDetail(StaffView, generics.RetrieveAPIView):
    serializer_class = s.NeedSerializer

    def get_object(self):
        return need_get_for_user(self.request.user, self.kwargs["pk"])


class NeedAction(StaffView, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(ACTIONS))],
        request=OpenApiTypes.OBJECT,
        responses={
            200: s.NeedSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
        description="执行一项办理操作（字段与网页表单相同）。操作名见需求的 actions 字段。",
    )
    def post(self, request, pk: int, action: str):
        need = need_get_for_user(request.user, pk)
        if action not in ACTIONS:
            return Response({"detail": "没有这个操作。"}, status=status.HTTP_404_NOT_FOUND)
        form = action_form(action, need, request.data, request.FILES, prefixed=False)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        if action not in s.NeedSerializer(need, context={"request": request}).data["actions"]:
            raise TransitionForbidden(f"您当前不能执行「{ACTIONS[action].title}」。")
        with transaction.atomic():
            ACTIONS[action].run(request, need, form.cleaned_data)
        fresh = need_get_for_user(request.user, pk)
        return Response(s.NeedSerializer(fresh, context={"request": request}).data)


class NeedPhone(StaffView, APIView):
    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("NeedPhone", {"contact_phone": serializers.CharField()}),
            403: OpenApiTypes.OBJECT,
        },
        description=(
            "显示完整联系电话（需求列表与详情中为部分隐藏的号码）。每次查看均记入操作日志。"
            "只有需回访或处理已上报需求的监督人员（及可直接看到完整号码的人员）可以查看，"
            "其他人员返回 403。"
        ),
    )
    def post(self, request, pk: int):
        need = need_get_for_user(request.user, pk)
        try:
            phone = phone_reveal(
                actor=request.user,
                obj=need,
                field="contact_phone",
                access=need_phone_access(request.user, need),
            )
        except PhoneRevealRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        return Response({"contact_phone": phone})


# --- Integration --------------------------------------------------------------------------------


class IntegrationView:
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [IsIntegration]


def _external_key(token, external_id: str) -> str:
    return f"ext:{token.pk}:{external_id}"


class IntegrationPush(IntegrationView, APIView):
    @extend_schema(
        request=s.IntegrationSubmissionSerializer,
        responses={
            201: s.ReceiptSerializer,
            200: s.ReceiptSerializer,
            409: OpenApiTypes.OBJECT,
        },
        description=(
            "外部平台推送需求；同一 external_id 重复推送相同内容不会重复登记（返回 200），"
            "推送不同内容返回 409。"
        ),
    )
    def post(self, request):
        serializer = s.IntegrationSubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token = request.auth
        if token.station_id and data["station"].pk != token.station_id:
            return Response(
                {"detail": "该令牌只能向指定的服务站推送。"}, status=status.HTTP_403_FORBIDDEN
            )
        try:
            sheet, created = submission_receive(
                _submission(data, "hotline_12345"), key=_external_key(token, data["external_id"])
            )
        except KeyReused:
            return Response(EXTERNAL_ID_REUSED, status=status.HTTP_409_CONFLICT)
        return _receipt(sheet, created)


class IntegrationStatus(IntegrationView, APIView):
    @extend_schema(
        responses={
            200: inline_serializer(
                "IntegrationStatus",
                {
                    "external_id": serializers.CharField(),
                    "tracking_number": serializers.CharField(),
                    "station": serializers.IntegerField(),
                    "reference": serializers.CharField(),
                    "needs": serializers.ListField(child=serializers.DictField()),
                },
            )
        }
    )
    def get(self, request, external_id: str):
        key = get_object_or_404(
            SubmissionKey.objects.select_related("sheet"),
            key=_external_key(request.auth, external_id),
        )
        needs = key.sheet.needs.order_by("row_number")
        return Response(
            {
                "external_id": external_id,
                "tracking_number": key.sheet.tracking_number,
                "station": key.sheet.station_id,
                "reference": key.sheet.reference,
                "needs": [
                    {
                        "status": n.status,
                        "status_label": n.get_status_display(),
                        "result": n.result,
                        "handling_opinion": n.handling_opinion,
                        "updated_at": n.updated_at,
                    }
                    for n in needs
                ],
            }
        )
