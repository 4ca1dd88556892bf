from django.http import HttpRequest

from hqzt.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, int]:
    """The unread count shown on every page's inbox link (an indexed count)."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"unread_count": 0}
    return {
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    }
