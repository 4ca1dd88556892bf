"""The rules several apps ask about a station, each answered by one selector (issue 17 item 5):
who leads it, who is trained and active there, which supervisors stand over it."""

import datetime

import pytest

from hqzt.accounts.tests.factories import UserFactory
from hqzt.stations.selectors import (
    leads_station,
    supervisors_over,
    trained_members,
    trained_staff,
)

pytestmark = pytest.mark.django_db


def test_a_lead_leads_only_their_own_station(chief_a, staff_a, station_a, station_b):
    assert leads_station(chief_a, station_a.pk)
    assert not leads_station(chief_a, station_b.pk)
    assert not leads_station(staff_a, station_a.pk)
    chief_a.station_memberships.update(is_active=False)
    assert not leads_station(chief_a, station_a.pk)


def test_trained_members_are_active_and_trained(chief_a, staff_a, station_a):
    untrained = UserFactory(role="station_staff")
    station_a.members.create(user=untrained, onboarding_trained_on=None)
    gone = UserFactory(role="station_staff")
    station_a.members.create(
        user=gone, onboarding_trained_on=datetime.date(2025, 1, 1), is_active=False
    )
    people = {m.user for m in trained_members(station_a)}
    assert chief_a in people and staff_a in people
    assert untrained not in people and gone not in people
    assert set(trained_staff(station_a)) == people
    assert trained_staff(station_a)[0] == chief_a  # the chief first


def test_supervisors_over_a_station_are_those_of_its_units_subtree(
    station_a, station_b, supervisor, county_supervisor
):
    assert supervisors_over(station_a) == [supervisor]
    assert set(supervisors_over(station_b)) == {supervisor, county_supervisor}
    county_supervisor.is_active = False
    county_supervisor.save()
    assert supervisors_over(station_b) == [supervisor]
