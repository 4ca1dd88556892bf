"""The staff API's login: a personal token for the password, with the login page's limits."""

from drf_spectacular.utils import extend_schema
from rest_framework import parsers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hqzt.accounts.login_limit import (
    LOCKED,
    REFUSED,
    login_attempt_begin,
    login_attempt_succeeded,
    login_user_attempt,
)
from hqzt.accounts.tokens import personal_token_issue
from hqzt.api import serializers as s


class TokenLogin(APIView):
    """A personal API token for staff: the same password, lock-out and second factor as the
    login page (DRF's own endpoint would hand out a token for the password alone)."""

    permission_classes = [AllowAny]
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser]

    @extend_schema(
        request=s.TokenLoginSerializer,
        responses=s.TokenLoginSerializer,
        description=(
            "签发一个新的个人 API 令牌（Authorization: Token …）。令牌只在此返回这一次，"
            "系统只保存其摘要；修改密码、停用或重置两步验证后须重新获取。每人最多持有"
            "API_TOKEN_MAX_PER_USER 个令牌（默认 10 个），超出时先吊销已失效的、"
            "再吊销最久未使用的令牌。"
        ),
    )
    def post(self, request):
        # As the login page: counted first; an address over its failed logins tries nothing.
        if hit := login_attempt_begin(request):
            return Response(
                {"detail": REFUSED},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(hit.retry_after)},
            )
        data = request.data if hasattr(request.data, "get") else {}
        with login_user_attempt(request, str(data.get("username", "")).strip()) as allowed:
            if not allowed:  # the user name's lock-out, counted before the check (probe R4)
                return Response({"detail": LOCKED}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            serializer = s.TokenLoginSerializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            login_attempt_succeeded(request)
        return Response({"token": personal_token_issue(user=serializer.validated_data["user"])})
