import pytest

from hqzt.notifications.tests.factories import NotificationFactory, OutboundMessageFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    notification = NotificationFactory()
    assert notification.pk is not None and notification.read_at is None
    notification.full_clean()
    message = OutboundMessageFactory()
    assert message.pk is not None and message.to_masked == "138****5678"
    message.full_clean()
