import pytest

from hqzt.stations.tests.factories import StationFactory, StationMemberFactory

pytestmark = pytest.mark.django_db


def test_each_factory_builds_a_valid_saved_object():
    station = StationFactory()
    assert station.pk is not None
    station.full_clean()
    member = StationMemberFactory(station=station)
    assert member.pk is not None and member.onboarding_trained_on
    member.full_clean()
    chief = StationMemberFactory(station=station, role="chief")
    chief.full_clean()
