from django.contrib import admin

from hqzt.core.admin import ReferenceItemAdmin
from hqzt.needs.models import Channel, NeedType, NeedTypeAlias, TimeLimit


@admin.register(NeedType)
class NeedTypeAdmin(ReferenceItemAdmin):
    list_display = [*ReferenceItemAdmin.list_display, "default_section"]


admin.site.register(Channel, ReferenceItemAdmin)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ["stage", "working_days", "warn_days"]
    list_editable = ["working_days", "warn_days"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NeedTypeAlias)
class NeedTypeAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "need_type"]
    list_filter = ["need_type"]
    search_fields = ["alias"]
