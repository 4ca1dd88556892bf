import pytest

from hqzt.policies.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    policy = PolicyFactory()
    assert policy.pk is not None and policy.search_ngrams
    policy.full_clean()
