from django.contrib import admin

from hqzt.core.models import WorkdayOverride


class ReferenceItemAdmin(admin.ModelAdmin):
    """Reference data is renamed, reordered and deactivated, never deleted: records point at it."""

    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "code"]
    list_filter = ["is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that may be inspected but never added, edited or deleted (history, send logs)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
