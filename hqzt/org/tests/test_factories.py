import pytest

from hqzt.org.tests.factories import OrgUnitFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    unit = OrgUnitFactory()
    assert unit.pk is not None and unit.path == f"{unit.parent.path}{unit.pk}/"
    unit.full_clean()
    assert unit in unit.parent.subtree()
    section = SectionFactory(org_unit=unit)
    assert section.pk is not None
    section.full_clean()
