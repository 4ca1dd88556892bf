from rest_framework.permissions import BasePermission

from hqzt.api.models import IntegrationToken


class IsStaffUser(BasePermission):
    """A logged-in person (session or personal token); integration tokens are not people."""

    message = "请先登录。"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)


class IsIntegration(BasePermission):
    message = "需要有效的对接令牌。"

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, IntegrationToken)
