"""Pluggable SMS backends (e-mail uses Django's EMAIL_BACKEND, so SMTP works by configuration).

SMS_BACKEND names a class with `send(to: str, body: str) -> None`. The default logs the message;
a deployment plugs in its SMS gateway's client the same way.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from hqzt.core.phones import phone_mask

logger = logging.getLogger("hqzt.sms")


class LogSmsBackend:
    """Writes the message to the log instead of sending it (development and demos). The number
    is masked: logs are read by more people than the send record, and need not say who."""

    def send(self, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", phone_mask(to), body)


def sms_backend() -> LogSmsBackend:
    return import_string(settings.SMS_BACKEND)()
