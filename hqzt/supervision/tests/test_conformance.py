"""Each conformance check has a passing and a failing case (R-10.2)."""

import datetime

import pytest
from django.urls import reverse

from hqzt.accounts.tests.factories import UserFactory
from hqzt.audit.services import audit_record
from hqzt.core import clock
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.operations.models import Meeting
from hqzt.operations.reports import week_of, weekly_report_draft, weekly_report_submit
from hqzt.supervision.conformance import WEEKS, station_checks

pytestmark = pytest.mark.django_db


def _check(station, clause):
    return next(c for c in station_checks(station) if c.clause == clause)


@pytest.fixture
def good_station(station_a, chief_a, staff_a):
    """A station that keeps the rules for the last weeks."""
    station_a.route_guidance = "3路公交到站"
    station_a.save()
    last = week_of(clock.today()) - datetime.timedelta(weeks=1)
    for i in range(WEEKS):
        week = last - datetime.timedelta(weeks=i)
        report = weekly_report_draft(station_a, week)
        with clock.travel(report.due_at - datetime.timedelta(hours=2)):
            weekly_report_submit(
                actor=chief_a, report=report, work_done="完成", next_week_plan="计划"
            )
        Meeting.objects.create(
            station=station_a, kind="regular", held_on=week, topic="例会", minutes="纪要"
        )
    return station_a


def test_a_station_that_keeps_the_rules_passes_everything(good_station, drive):
    drive(Status.ARCHIVED)
    failed = [c.clause for c in station_checks(good_station) if not c.passed]
    assert failed == []


def test_route_guidance_and_public_information(good_station):
    good_station.route_guidance = ""
    good_station.supervision_phone = ""
    good_station.save()
    assert not _check(good_station, "5.2.2").passed
    check = _check(good_station, "5.2.4")
    assert not check.passed and "监督投诉电话" in check.evidence


def test_one_chief(good_station, chief_a):
    good_station.members.filter(user=chief_a).update(is_active=False)
    check = _check(good_station, "5.4.1")
    assert not check.passed and "0 名" in check.evidence


def test_trained_staff(good_station, staff_a):
    good_station.members.filter(user=staff_a).update(onboarding_trained_on=None)
    check = _check(good_station, "5.4.4")
    assert not check.passed and staff_a.full_name in check.evidence


def test_weekly_reports_on_time(good_station):
    last = week_of(clock.today()) - datetime.timedelta(weeks=1)
    good_station.reports.filter(week_start=last).delete()
    check = _check(good_station, "5.5.1")
    assert not check.passed and "1 周" in check.evidence


def test_weekly_meetings(good_station):
    Meeting.objects.filter(station=good_station).first().delete()
    assert not _check(good_station, "5.5.2").passed


def test_ledger_fields_and_tracking_sheet(good_station, drive):
    need = drive(Status.ARCHIVED)
    Need.objects.filter(pk=need.pk).update(contact_phone="", result="")
    assert not _check(good_station, "6.2").passed
    assert not _check(good_station, "6.4.3").passed


def test_completed_needs_evaluated(good_station, drive):
    need = drive(Status.AWAITING_EVALUATION)
    assert _check(good_station, "6.5").passed
    Need.objects.filter(pk=need.pk).update(due_on=clock.today() - datetime.timedelta(days=1))
    assert not _check(good_station, "6.5").passed


def test_nothing_deleted_before_retention(good_station, admin_user):
    assert _check(good_station, "6.6.4").passed
    audit_record(actor=admin_user, action="delete", object_type="needs.need", object_id="1")
    assert not _check(good_station, "6.6.4").passed


def test_pages_are_scoped(client_for, supervisor, staff_b, station_a, station_b):
    text = client_for(supervisor).get(reverse("supervision:conformance")).text
    assert station_a.name in text and station_b.name in text
    text = client_for(staff_b).get(reverse("supervision:conformance")).text
    assert station_a.name not in text
    url = reverse("supervision:conformance_station", args=[station_a.pk])
    assert client_for(staff_b).get(url).status_code == 404
    assert "5.4.1" in client_for(supervisor).get(url).text


def test_a_station_whose_chief_left_fails(good_station):
    good_station.members.filter(role="chief").update(is_active=False)
    assert not _check(good_station, "5.4.1").passed
