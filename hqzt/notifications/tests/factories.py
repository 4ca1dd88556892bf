import factory

from hqzt.accounts.tests.factories import UserFactory
from hqzt.notifications.models import Notification, OutboundMessage


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread message in a user's inbox."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "need"
    title = factory.Sequence(lambda n: f"新的企业需求{n}")
    body = "请及时识别。"
    url = "/needs/"


class OutboundMessageFactory(factory.django.DjangoModelFactory):
    """An SMS waiting to be sent."""

    class Meta:
        model = OutboundMessage

    channel = OutboundMessage.Channel.SMS
    to = "13812345678"
    body = "【惠企直通】您的需求已登记。"
