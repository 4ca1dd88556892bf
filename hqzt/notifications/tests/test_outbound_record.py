"""The record of SMS and e-mail handed to the backends keeps recipients encrypted at rest."""

import pytest
from django.db import connection

from hqzt.notifications.models import OutboundMessage
from hqzt.notifications.services import sms_send

pytestmark = pytest.mark.django_db


def test_recipients_are_encrypted_at_rest_and_masked_when_shown():
    message = sms_send(to="13812345678", body="您的需求已受理")
    email = OutboundMessage.objects.create(channel="email", to="wang@example.cn", body="x")
    with connection.cursor() as cursor:
        cursor.execute('SELECT "to" FROM notifications_outboundmessage')
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert "13812345678" not in stored and "wang@example.cn" not in stored
    message.refresh_from_db()
    assert message.to == "13812345678"
    assert str(message) == "短信 → 138****5678"
    assert email.to_masked == "w***@example.cn"
