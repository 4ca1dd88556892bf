from django.contrib import admin

from hqzt.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """Read-only record of SMS and e-mail handed to the backends."""

    list_display = ["created_at", "channel", "to", "sent_at", "error"]
    list_filter = ["channel"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
