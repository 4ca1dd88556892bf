from django.contrib import admin

from hqzt.accounts.admin import UserAdmin
from hqzt.accounts.models import User
from hqzt.core.admin import ReferenceItemAdmin
from hqzt.stations.models import DomainKind, SiteKind, StationMember


@admin.register(DomainKind)
class DomainKindAdmin(ReferenceItemAdmin):
    # The code decides which register a station's domain points at; only the name is editable.
    readonly_fields = ["code"]

    def has_add_permission(self, request) -> bool:
        return False


admin.site.register(SiteKind, ReferenceItemAdmin)


@admin.register(StationMember)
class StationMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "station", "role", "is_active", "onboarding_trained_on"]
    list_filter = ["role", "is_active", "station"]
    search_fields = ["user__full_name", "user__username", "station__name"]
    autocomplete_fields = ["user"]


class StationMemberInline(admin.TabularInline):
    model = StationMember
    extra = 0
    fields = ["station", "role", "is_active", "onboarding_trained_on"]


# A user's page lists their station posts. accounts may not import stations (ADR 0011), so the
# user admin is registered again here, the same admin with the inline added.
admin.site.unregister(User)


@admin.register(User)
class StationUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StationMemberInline]
