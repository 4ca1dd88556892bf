import pytest

from hqzt.intake.tests.factories import SuggestionRecordFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    record = SuggestionRecordFactory()
    assert record.pk is not None and record.actor == record.need.first_contact
    record.full_clean()
