from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hqzt.notifications.models import Notification
from hqzt.notifications.services import notification_mark_read


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient=request.user).order_by("-id")[:200]
    return render(request, "notifications/inbox.html", {"items": items})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one message (then follow its link) or all messages as read."""
    notification_mark_read(user=request.user, pk=pk)
    target = request.POST.get("next", "")
    if pk is not None and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:inbox")
