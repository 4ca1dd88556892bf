import pytest

from hqzt.audit.chain import chain_breaks
from hqzt.audit.tests.factories import AuditEventFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    first, second = AuditEventFactory(), AuditEventFactory()
    for event in (first, second):
        assert event.pk is not None and event.hash
        event.full_clean()
    assert second.prev_hash == first.hash
    assert list(chain_breaks()) == []
