"""Each conformance check has a passing and a failing case (R-10.2)."""

import datetime

import pytest
from django.urls import reverse

from hqzt.core import clock
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.operations.models import Meeting
from hqzt.operations.reports import week_of, weekly_report_draft, weekly_report_submit
from hqzt.operations.suggestions import suggestion_submit
from hqzt.records.practices import practice_save
from hqzt.records.retention import need_purge
from hqzt.supervision.conformance import WEEKS, station_checks

pytestmark = pytest.mark.django_db


def _check(station, clause):
    return next(c for c in station_checks(station) if c.clause == clause)


@pytest.fixture
def good_station(station_a, chief_a, staff_a):
    """A station that keeps the rules for the last weeks."""
    station_a.route_guidance = "3路公交到站"
    station_a.im_contact = "微信群“甲站惠企直通”"
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


def test_a_station_that_keeps_the_rules_passes_everything(good_station, drive, staff_a, chief_a):
    practice_save(actor=chief_a, station=good_station, title="经验", summary="做法", publish=True)
    suggestion_submit(
        actor=staff_a,
        station=good_station,
        title="建议开通检测绿色通道",
        content="企业反映检测周期长。",
        source="recurring_needs",
    )
    drive(Status.ARCHIVED)
    failed = [c.clause for c in station_checks(good_station) if not c.passed]
    assert failed == []


# DB1405 §5.2.2 §5.2.4
def test_route_guidance_and_public_information(good_station):
    good_station.route_guidance = ""
    good_station.supervision_phone = ""
    good_station.save()
    assert not _check(good_station, "5.2.2").passed
    check = _check(good_station, "5.2.4")
    assert not check.passed and "监督投诉电话" in check.evidence


def test_instant_messaging_contact_is_published(good_station):
    assert _check(good_station, "6.2 公示").passed
    good_station.im_contact = ""
    good_station.save()
    check = _check(good_station, "6.2 公示")
    assert not check.passed and "即时通讯" in check.evidence
    good_station.im_link = "https://work.weixin.qq.com/gm/abc"
    good_station.save()
    assert _check(good_station, "6.2 公示").passed


def test_work_suggestions_to_the_superior(good_station, staff_a):
    check = _check(good_station, "5.3 a")
    assert not check.passed and "没有提出工作建议" in check.evidence
    suggestion_submit(
        actor=staff_a, station=good_station, title="建议", content="内容", source="survey"
    )
    check = _check(good_station, "5.3 a")
    assert check.passed and "1 项" in check.evidence


def test_good_practices_are_published(good_station, chief_a, drive):
    check = _check(good_station, "6.6.3")
    assert not check.passed and "没有发布典型案例" in check.evidence
    practice = practice_save(
        actor=chief_a, station=good_station, title="集中送检", summary="按季度集中检定"
    )
    assert not _check(good_station, "6.6.3").passed  # written but not published
    practice_save(
        actor=chief_a,
        station=good_station,
        title="集中送检",
        summary="按季度集中检定",
        publish=True,
        practice=practice,
    )
    check = _check(good_station, "6.6.3")
    assert check.passed and "1 个" in check.evidence


def test_one_chief(good_station, chief_a):
    good_station.members.filter(user=chief_a).update(is_active=False)
    check = _check(good_station, "5.4.1")
    assert not check.passed and "0 名" in check.evidence


# DB1405 §5.4.2
def test_resident_staff(good_station, staff_a):
    check = _check(good_station, "5.4.2")
    assert check.passed and "1 名" in check.evidence
    good_station.members.filter(user=staff_a).update(is_active=False)
    check = _check(good_station, "5.4.2")
    assert not check.passed and "没有在岗的驻站工作人员" in check.evidence
    # A deputy is not resident staff: the post decides, not the number of people.
    good_station.members.filter(user=staff_a).update(is_active=True, role="deputy_chief")
    assert not _check(good_station, "5.4.2").passed


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


def test_special_meetings_are_convened_by_the_chief(good_station, chief_a, staff_a):
    meeting = Meeting.objects.create(
        station=good_station,
        kind="special",
        held_on=clock.today() - datetime.timedelta(days=3),
        topic="专题",
        minutes="纪要",
        convened_by=chief_a,
    )
    assert _check(good_station, "5.5.3").passed
    Meeting.objects.filter(pk=meeting.pk).update(convened_by=staff_a)
    check = _check(good_station, "5.5.3")
    assert not check.passed and "专题" in check.evidence
    Meeting.objects.filter(pk=meeting.pk).update(convened_by=None)
    assert not _check(good_station, "5.5.3").passed


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


# DB1405 §6.6.4
def test_retention_counts_the_stations_real_purges(good_station, drive, admin_user, station_b):
    """A purge after the retention date (need_purge, as `manage.py purge_archived` runs it) is
    counted for the station whose record it was, and keeps the check passing."""
    need = drive(Status.ARCHIVED)
    check = _check(good_station, "6.6.4")
    assert check.passed and "依规销毁 0 项" in check.evidence
    Need.objects.filter(pk=need.pk).update(retention_until=datetime.date(2020, 1, 1))
    need_purge(actor=admin_user, need=need, reason="晋市监〔2026〕1号")
    check = _check(good_station, "6.6.4")
    assert check.passed and "依规销毁 1 项" in check.evidence
    assert "依规销毁 0 项" in _check(station_b, "6.6.4").evidence  # not city-wide


def test_retention_fails_for_an_archived_need_without_its_retention_date(good_station, drive):
    need = drive(Status.ARCHIVED)
    Need.objects.filter(pk=need.pk).update(retention_until=None)
    check = _check(good_station, "6.6.4")
    assert not check.passed and "1 项已归档需求没有保存期限" in check.evidence
    short = need.archived_at.date() + datetime.timedelta(days=365)
    Need.objects.filter(pk=need.pk).update(retention_until=short)
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
