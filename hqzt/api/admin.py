from django.contrib import admin, messages

from hqzt.api.models import IntegrationToken
from hqzt.core import clock


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(admin.ModelAdmin):
    """Tokens are created here; the secret is shown once, then only its hash is kept."""

    list_display = ["name", "key_prefix", "station", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "station"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            raw = obj.issue()
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            messages.warning(
                request, f"对接令牌已创建，请立即复制并妥善保存（只显示这一次）：{raw}"
            )
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=clock.now())
        messages.success(request, f"已吊销 {count} 个令牌。")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
