import pytest

from hqzt.enterprises.tests.factories import ChainFactory, EnterpriseFactory, TownFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    for factory in (EnterpriseFactory, ChainFactory, TownFactory):
        obj = factory()
        assert obj.pk is not None
        obj.full_clean()
