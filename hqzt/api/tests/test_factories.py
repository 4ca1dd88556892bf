import pytest

from hqzt.api.models import IntegrationToken, token_hash
from hqzt.api.tests.factories import IntegrationTokenFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    token = IntegrationTokenFactory()
    assert token.pk is not None and token.is_active
    token.full_clean()
    assert IntegrationToken.objects.get(key_hash=token_hash(token.raw_key)) == token
