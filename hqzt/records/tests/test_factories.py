import pytest

from hqzt.records.tests.factories import GoodPracticeFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    practice = GoodPracticeFactory()
    assert practice.pk is not None and practice.published_at is None
    practice.full_clean()
