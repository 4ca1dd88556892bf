from django.contrib import admin

from hqzt.supervision.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "channel", "station", "name"]
    list_filter = ["kind", "channel"]
    search_fields = ["content", "name"]

    # Feedback may be recorded (e.g. from the supervision phone) but not rewritten or removed.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
