from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm

from hqzt.accounts.models import User
from hqzt.stations.models import StationMember


class StationMemberInline(admin.TabularInline):
    model = StationMember
    extra = 0
    fields = ["station", "is_active", "onboarding_trained_on"]


class InitialPasswordForm(AdminPasswordChangeForm):
    """A password the administrator sets is an initial one: the user must replace it."""

    def save(self, commit: bool = True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = InitialPasswordForm
    list_display = ["username", "full_name", "role", "org_unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "org_unit"]
    search_fields = ["username", "full_name", "phone"]
    ordering = ["username"]
    filter_horizontal = ["sections"]
    inlines = [StationMemberInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "phone", "email"]}),
        ("角色与范围", {"fields": ["role", "org_unit", "sections", "is_active"]}),
        ("安全", {"fields": ["must_change_password"]}),
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
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # created with a password the administrator chose
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
