from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Exists, OuterRef

from hqzt.accounts.models import PersonalToken, SecondFactor, User
from hqzt.accounts.otp import otp_reset
from hqzt.accounts.tokens import personal_tokens_revoke


class InitialPasswordForm(AdminPasswordChangeForm):
    """A password the administrator sets is an initial one: the user must replace it."""

    def save(self, commit: bool = True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = InitialPasswordForm
    list_display = [
        "username",
        "full_name",
        "role",
        "org_unit",
        "is_active",
        "has_second_factor",
        "last_login",
    ]
    list_filter = ["role", "is_active", "org_unit"]
    search_fields = ["username", "full_name", "phone"]
    ordering = ["username"]
    filter_horizontal = ["sections"]
    # stations/admin.py registers this admin again with the station memberships inline (ADR 0011).
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone", "email"]}),
        ("角色与范围", {"fields": ["role", "org_unit", "sections", "is_active"]}),
        ("安全", {"fields": ["must_change_password", "password_changed_at"]}),
        ("时间", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "role", "password1", "password2"],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    actions = ["second_factor_reset"]

    def get_queryset(self, request):
        active = SecondFactor.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
        return super().get_queryset(request).annotate(otp_active=Exists(active))

    @admin.display(boolean=True, description="两步验证")
    def has_second_factor(self, obj: User) -> bool:
        return obj.otp_active

    @admin.action(description="重置两步验证（用户须重新绑定身份验证器）")
    def second_factor_reset(self, request, queryset) -> None:
        for user in queryset:
            otp_reset(user=user, actor=request.user)
        messages.success(request, f"已重置 {len(queryset)} 个用户的两步验证。")

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # created with a password the administrator chose
            obj.must_change_password = True
        with transaction.atomic():
            if change and not obj.is_active:  # revoked with the administrator as the actor
                personal_tokens_revoke(
                    tokens=obj.personal_tokens.all(), actor=request.user, reason="账号已停用"
                )
            super().save_model(request, obj, form, change)


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    """Staff tokens are issued by the API (api/auth/token/) and shown only there; here they are
    listed (never their value: only a hash is kept) and revoked, with an audit row each."""

    list_display = ["user", "key_prefix", "created", "last_used_at"]
    list_filter = ["created"]
    search_fields = ["user__username", "user__full_name", "key_prefix"]
    fields = ["user", "key_prefix", "created", "last_used_at"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset) -> None:
        with transaction.atomic():
            count = personal_tokens_revoke(tokens=queryset, actor=request.user, reason="管理员吊销")
        messages.success(request, f"已吊销 {count} 个令牌。")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoking is the audited way to remove a token
        return actions

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


_PERMISSION_VERBS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission: Permission) -> str:
    """权限 as people read them: '需求 · 修改', not Django's stored 'Can change need'."""
    model = permission.content_type.model_class()
    what = str(model._meta.verbose_name) if model else permission.content_type.model
    verb, _, _rest = permission.codename.partition("_")
    if verb in _PERMISSION_VERBS:
        return f"{what} · {_PERMISSION_VERBS[verb]}"
    return f"{what} · {permission.name}"


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field
