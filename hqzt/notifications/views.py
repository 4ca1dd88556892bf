from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hqzt.notifications.models import Notification
from hqzt.notifications.services import notification_mark_read

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """One person's messages, newest first: all or 未读 only, 20 to a page with page numbers
    (counting one person's messages is cheap on the notif_inbox index)."""
    mine = Notification.objects.filter(recipient=request.user)
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "unread_only": unread_only,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Mark one message (then follow its link) or all messages as read."""
    notification_mark_read(user=request.user, pk=pk)
    target = request.POST.get("next", "")
    if pk is not None and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:inbox")
