from django.contrib import admin

from hqzt.core.admin import ReadOnlyAdmin
from hqzt.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """Read-only record of SMS and e-mail handed to the backends."""

    list_display = ["created_at", "channel", "recipient", "sent_at", "error"]
    exclude = ["to"]
    list_filter = ["channel"]

    @admin.display(description="收件人")
    def recipient(self, obj: OutboundMessage) -> str:
        return obj.to_masked
