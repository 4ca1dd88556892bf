import datetime

import factory

from hqzt.policies.models import Policy
from hqzt.stations.tests.factories import StationFactory


class PolicyFactory(factory.django.DjangoModelFactory):
    """A policy a station collected (§5.3 a), valid with no end date."""

    class Meta:
        model = Policy

    title = factory.Sequence(lambda n: f"关于支持中小企业质量提升的若干措施（第{n}号）")
    station = factory.SubFactory(StationFactory)
    issuer = "晋城市市场监督管理局"
    document_number = factory.Sequence(lambda n: f"晋市监发〔2025〕{n}号")
    issued_on = datetime.date(2025, 3, 1)
    summary = "对首次通过计量体系认证的企业给予奖励。"
