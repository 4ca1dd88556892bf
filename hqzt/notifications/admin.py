from django.contrib import admin

from hqzt.core.admin import ReadOnlyAdmin
from hqzt.notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """Read-only record of SMS and e-mail handed to the backends."""

    list_display = ["created_at", "channel", "to_masked", "sent_at", "error"]
    exclude = ["to"]
    list_filter = ["channel"]
