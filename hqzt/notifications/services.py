"""Sending notifications: always to the in-app inbox, and by SMS/e-mail where configured.

Call inside the transaction of the change being announced: the inbox rows commit with it, and
the outbound messages are queued only after commit, so a rolled-back change notifies nobody.
"""

from collections.abc import Iterable

from django.db import transaction

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.notifications.models import Notification, OutboundMessage


def _queue(message: OutboundMessage) -> None:
    from hqzt.notifications.tasks import deliver

    transaction.on_commit(lambda: deliver(message.pk))


def notify_users(
    users: Iterable[User], *, kind: str, title: str, body: str = "", url: str = ""
) -> int:
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    Notification.objects.bulk_create(
        Notification(recipient=u, kind=kind, title=title, body=body, url=url)
        for u in recipients.values()
    )
    for user in recipients.values():
        if user.email:
            _queue(
                OutboundMessage.objects.create(
                    channel=OutboundMessage.Channel.EMAIL,
                    to=user.email,
                    subject=f"【惠企直通】{title}",
                    body=f"{body}\n\n{url}".strip(),
                )
            )
    return len(recipients)


def sms_send(*, to: str, body: str) -> OutboundMessage:
    """An SMS to someone without an account (an enterprise contact)."""
    message = OutboundMessage.objects.create(
        channel=OutboundMessage.Channel.SMS, to=to, body=f"【惠企直通】{body}"
    )
    _queue(message)
    return message


def notification_mark_read(*, user: User, pk: int | None = None) -> int:
    inbox = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        inbox = inbox.filter(pk=pk)
    return inbox.update(read_at=clock.now())
