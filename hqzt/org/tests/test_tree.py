import pytest
from django.core.exceptions import ValidationError

from hqzt.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_reference_tree_is_loaded_by_migrations(city):
    counties = OrgUnit.objects.filter(parent=city)
    assert counties.count() == 6
    assert {u.path for u in counties} == {f"{city.path}{u.pk}/" for u in counties}


def test_moving_a_unit_moves_its_subtree(city, county, other_county):
    office = OrgUnit.objects.create(name="巴公市场监管所", level="county", parent=county)
    assert office.path == f"{county.path}{office.pk}/"
    county.parent = other_county
    county.save()
    office.refresh_from_db()
    assert office.path == f"{other_county.path}{county.pk}/{office.pk}/"
    assert office in other_county.subtree()


def test_a_unit_cannot_be_put_under_its_own_subtree(city, county):
    city.parent = county
    with pytest.raises(ValidationError) as exc:
        city.full_clean()
    assert "不能是本单位或其下级单位" in str(exc.value)
