"""Queue tasks: delivery of SMS and e-mail, outside the request that caused them."""

from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import db_task

from hqzt.core import clock
from hqzt.notifications.backends import sms_backend
from hqzt.notifications.models import OutboundMessage


@db_task(retries=3, retry_delay=60)
def deliver(message_id: int) -> None:
    message = OutboundMessage.objects.get(pk=message_id)
    if message.sent_at:
        return
    try:
        if message.channel == OutboundMessage.Channel.SMS:
            sms_backend().send(message.to, message.body)
        else:
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
    except Exception as exc:
        message.error = repr(exc)[:2000]
        message.save(update_fields=["error"])
        raise
    message.sent_at = clock.now()
    message.error = ""
    message.save(update_fields=["sent_at", "error"])
