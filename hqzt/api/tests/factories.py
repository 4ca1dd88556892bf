import factory

from hqzt.api.models import IntegrationToken


class IntegrationTokenFactory(factory.django.DjangoModelFactory):
    """A city-wide token; the raw key is on `raw_key` (only its hash is stored)."""

    class Meta:
        model = IntegrationToken

    name = factory.Sequence(lambda n: f"12345政务服务便民热线平台{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = model_class(*args, **kwargs)
        token.raw_key = token.issue()
        token.save()
        return token
