import random

import factory

from hqzt.demo.names import credit_code
from hqzt.enterprises.models import Chain, Enterprise, Town


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"晋城市测试{n}机械有限公司")
    credit_code = factory.Sequence(lambda n: credit_code(random.Random(n), "140502"))
    industry = "机械制造"
    size = "small"


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain

    name = factory.Sequence(lambda n: f"测试产业链{n}")


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    name = factory.Sequence(lambda n: f"测试专业镇{n}")
    county = "泽州县"
    leading_industry = "铸造"
