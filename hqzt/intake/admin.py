from django.contrib import admin

from hqzt.intake.models import SuggestionRecord


@admin.register(SuggestionRecord)
class SuggestionRecordAdmin(admin.ModelAdmin):
    list_display = ["need", "stage", "suggested", "confidence", "chosen", "accepted", "created_at"]
    list_filter = ["stage", "accepted"]
    raw_id_fields = ["need", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
