import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hqzt.accounts.tests.factories import UserFactory
from hqzt.core import clock
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.models import NeedType, Source
from hqzt.needs.services.registration import NeedItem
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionRefused
from hqzt.operations.meetings import meeting_record
from hqzt.operations.models import (
    ActionItem,
    DutyShift,
    Meeting,
    Visit,
    WeeklyReport,
)
from hqzt.operations.plans import plan_progress
from hqzt.operations.reports import (
    report_figures,
    weekly_report_comment,
    weekly_report_draft,
    weekly_report_submit,
)
from hqzt.operations.rota import rota_generate, rota_set
from hqzt.operations.tests.factories import (
    AnnualPlanFactory,
    PlanGoalFactory,
    TrainingFactory,
    VisitFactory,
)
from hqzt.operations.visits import visit_register_needs
from hqzt.stations.models import StationMember
from hqzt.stations.services import station_member_save

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), TZ)


# --- Staff (§5.4) -------------------------------------------------------------------------------


# DB1405 §5.4.1
def test_a_second_active_chief_is_refused(station_a, chief_a, admin_user):
    other = UserFactory(full_name="另一位站长")
    with pytest.raises(ValidationError, match="已有在岗站长"):
        station_member_save(
            actor=admin_user, station=station_a, user=other, role="chief", trained_on=D(2025, 1, 1)
        )
    assert not station_a.members.filter(user=other).exists()
    # Once the current chief leaves, the new one may start.
    station_member_save(
        actor=admin_user, station=station_a, user=chief_a, is_active=False, trained_on=D(2025, 1, 1)
    )
    station_member_save(
        actor=admin_user, station=station_a, user=other, role="chief", trained_on=D(2025, 1, 1)
    )
    assert station_a.members.filter(user=other, role="chief", is_active=True).exists()


def test_only_station_roles_join_a_station(station_a, supervisor, admin_user):
    with pytest.raises(ValidationError, match="只有角色为“服务站人员”的用户"):
        station_member_save(actor=admin_user, station=station_a, user=supervisor)


# --- Duty rota (§5.5.4) -------------------------------------------------------------------------


# DB1405 §5.5.4
def test_rota_uses_only_trained_staff_and_skips_holidays(station_a, chief_a, staff_a):
    untrained = UserFactory()
    station_a.members.create(user=untrained, onboarding_trained_on=None)
    days = rota_generate(actor=chief_a, station=station_a, start=D(2025, 9, 29), weeks=2)
    shifts = list(DutyShift.objects.filter(station=station_a).order_by("date"))
    assert days == len(shifts) == 5  # 29, 30 Sep; 9, 10, 11 Oct (National Day holiday in between)
    assert {s.date for s in shifts} == {
        D(2025, 9, 29),
        D(2025, 9, 30),
        D(2025, 10, 9),
        D(2025, 10, 10),
        D(2025, 10, 11),
    }
    assert {s.user for s in shifts} == {chief_a, staff_a}
    with pytest.raises(ValidationError, match="上岗培训"):
        rota_set(actor=chief_a, station=station_a, date=D(2025, 10, 9), user=untrained)
    assert DutyShift.objects.get(station=station_a, date=D(2025, 10, 9)).user != untrained


def test_todays_duty_shows_on_the_public_board(client, station_a, staff_a, chief_a):
    rota_set(actor=chief_a, station=station_a, date=clock.today(), user=staff_a)
    text = client.get(reverse("portal:station", args=[station_a.pk])).text
    assert f"今日值班：{staff_a.full_name}" in text


# --- Weekly reports (§5.5.1) --------------------------------------------------------------------


def test_weekly_report_figures_equal_the_ledger(drive, station_a, staff_a, chief_a, admin_user):
    week = D(2025, 6, 2)
    with clock.travel(_at(D(2025, 6, 3))):
        for _ in range(3):
            drive(Status.REGISTERED)
        drive(Status.AWAITING_ARCHIVE)
    with clock.travel(_at(D(2025, 6, 10))):
        drive(Status.REGISTERED)  # next week: not counted
    figures = report_figures(station_a, week)
    ledger, _ = ledger_filter(
        admin_user, {"station": station_a.pk, "date_from": "2025-06-02", "date_to": "2025-06-08"}
    )
    assert figures["needs_new"] == ledger.count() == 4
    assert figures["needs_new_by_type"] == {"计量": 4}
    assert figures["needs_closed"] == 1
    assert figures["evaluations"] == {"satisfied": 1}


# DB1405 §5.5.1
def test_report_lifecycle_and_lateness(station_a, chief_a, staff_a, supervisor, staff_b):
    week = D(2025, 6, 2)
    report = weekly_report_draft(station_a, week)
    assert report.status == "draft" and report.due_at.date() == D(2025, 6, 9)
    with clock.travel(_at(D(2025, 6, 9), 12)):
        assert report.lateness == ""
    with clock.travel(_at(D(2025, 6, 10))):
        assert report.lateness == "逾期未报"
        with pytest.raises(ValidationError, match="站长或副站长"):
            weekly_report_submit(actor=staff_a, report=report, work_done="x", next_week_plan="y")
        with pytest.raises(ValidationError, match="请填写"):
            weekly_report_submit(actor=chief_a, report=report, work_done=" ", next_week_plan="y")
        report = weekly_report_submit(
            actor=chief_a, report=report, work_done="走访3家", next_week_plan="例会"
        )
    assert report.status == "submitted" and report.lateness == "迟报"
    with pytest.raises(ValidationError, match="上级单位"):
        weekly_report_comment(actor=staff_b, report=report, comment="好")
    report = weekly_report_comment(actor=supervisor, report=report, comment="请加强走访")
    assert report.comment == "请加强走访" and report.commented_by == supervisor


def test_reports_are_scoped(client_for, station_a, staff_b, chief_a):
    report = weekly_report_draft(station_a, D(2025, 6, 2))
    assert (
        client_for(staff_b).get(reverse("operations:report_detail", args=[report.pk])).status_code
        == 404
    )
    response = client_for(chief_a).get(reverse("operations:report_docx", args=[report.pk]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_draft_job_covers_every_active_station(station_a, station_b):
    from hqzt.operations.reports import weekly_reports_draft_all

    assert weekly_reports_draft_all(D(2025, 6, 2)) == 2
    assert WeeklyReport.objects.filter(week_start=D(2025, 6, 2)).count() == 2
    weekly_reports_draft_all(D(2025, 6, 2))
    assert WeeklyReport.objects.count() == 2


# --- Visits (§6.2) ------------------------------------------------------------------------------


# DB1405 §6.2
def test_needs_raised_on_a_visit_carry_its_source(station_a, enterprise_a, staff_a):
    visit = VisitFactory(station=station_a, enterprise=enterprise_a, planned_on=D(2025, 5, 6))
    metrology = NeedType.objects.get(code="metrology")
    items = [
        NeedItem(need_type=metrology, content="检定需求"),
        NeedItem(need_type=metrology, content="校准需求"),
    ]
    with pytest.raises(TransitionRefused, match="请先记录走访情况"):
        visit_register_needs(
            actor=staff_a, visit=visit, contact_name="王", contact_phone="13812345678", items=items
        )
    Visit.objects.filter(pk=visit.pk).update(visited_on=D(2025, 5, 6), findings="企业计量器具较多")
    visit.refresh_from_db()
    sheet = visit_register_needs(
        actor=staff_a, visit=visit, contact_name="王", contact_phone="13812345678", items=items
    )
    needs = list(sheet.needs.all())
    assert len(needs) == 2 and all(n.source == Source.VISIT and n.channel is None for n in needs)
    assert all(n.visit_ref == f"走访#{visit.pk}" for n in needs)
    visit.refresh_from_db()
    assert visit.sheet == sheet
    with pytest.raises(TransitionRefused, match="已登记过需求"):
        visit_register_needs(
            actor=staff_a, visit=visit, contact_name="王", contact_phone="13812345678", items=items
        )


# --- Annual plan (§5.4.1 a) ---------------------------------------------------------------------


# DB1405 §5.3 b §5.4.1
def test_plan_progress_is_computed_from_the_records(drive, station_a, enterprise_a, chief_a):
    plan = AnnualPlanFactory(station=station_a, year=2025)
    for metric, target in [
        ("visits", 4),
        ("needs_registered", 10),
        ("trainings", 2),
        ("satisfaction_rate", 90),
    ]:
        PlanGoalFactory(plan=plan, metric=metric, target=target)
    visit = {"station": station_a, "enterprise": enterprise_a}
    VisitFactory(**visit, planned_on=D(2025, 3, 1), visited_on=D(2025, 3, 1))
    VisitFactory(**visit, planned_on=D(2025, 4, 1))  # planned only: not counted
    TrainingFactory(station=station_a, held_on=D(2025, 5, 1))
    with clock.travel(_at(D(2025, 6, 3))):
        drive(Status.AWAITING_ARCHIVE)
        drive(Status.REGISTERED)
    progress = {g.metric: g for g in plan_progress(plan)}
    assert progress["visits"].actual == 1 and progress["visits"].percent == 25
    assert progress["needs_registered"].actual == 2
    assert progress["trainings"].actual == 1 and progress["trainings"].percent == 50
    assert progress["satisfaction_rate"].actual == 100


# --- Meetings (§5.5.2–5.5.3) --------------------------------------------------------------------


# DB1405 §5.5.2
def test_meeting_with_action_items_through_the_page(client_for, chief_a, staff_a, station_a, drive):
    need = drive(Status.REGISTERED)
    response = client_for(chief_a).post(
        reverse("operations:meeting_create"),
        {
            "station": station_a.pk,
            "kind": "regular",
            "held_on": "2025-06-09",
            "topic": "第23周工作例会",
            "attendees": [chief_a.pk, staff_a.pk],
            "minutes": "总结上周工作，部署本周任务。",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "跟进压力表检定",
            "items-0-owner": staff_a.pk,
            "items-0-due_on": "2025-06-13",
            "items-0-need_label": need.label,
        },
    )
    assert response.status_code == 302, response.content
    item = ActionItem.objects.get()
    assert item.need == need and item.owner == staff_a
    assert item.is_overdue  # 2025-06-13 has passed
    response = client_for(staff_a).post(reverse("operations:action_item_done", args=[item.pk]))
    assert response.status_code == 302
    assert response.url == reverse("operations:meeting_detail", args=[item.meeting_id])
    item.refresh_from_db()
    assert item.done_at is not None and not item.is_overdue
    assert Meeting.objects.get().attendees.count() == 2


def test_meeting_with_a_need_of_another_station_is_refused(
    client_for, chief_a, station_a, drive, staff_b
):
    response = client_for(chief_a).post(
        reverse("operations:meeting_create"),
        {
            "station": station_a.pk,
            "kind": "special",
            "held_on": "2025-06-09",
            "topic": "专题",
            "minutes": "纪要",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "事项",
            "items-0-owner": chief_a.pk,
            "items-0-due_on": "2025-06-13",
            "items-0-need_label": "20990001-1",
            "convened_by": chief_a.pk,
        },
    )
    assert response.status_code == 200 and "本站没有这个需求" in response.text
    assert not Meeting.objects.exists()


def _special(station, **extra):
    return {
        "station": station.pk,
        "kind": "special",
        "held_on": "2025-06-09",
        "topic": "检测周期专题会议",
        "minutes": "研究缩短检测周期的措施。",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        **extra,
    }


# DB1405 §5.5.3
def test_a_special_meeting_records_the_chief_who_convened_it(
    client_for, chief_a, staff_a, station_a
):
    """§5.5.3: resident staff may write the minutes; the convener is the chief (or deputy)."""
    response = client_for(staff_a).post(
        reverse("operations:meeting_create"), _special(station_a, convened_by=chief_a.pk)
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.convened_by == chief_a
    page = client_for(staff_a).get(reverse("operations:meeting_detail", args=[meeting.pk])).text
    assert chief_a.full_name in page[page.index('data-testid="convened-by"') :]


def test_a_special_meeting_without_a_convener_is_refused(client_for, chief_a, station_a):
    response = client_for(chief_a).post(reverse("operations:meeting_create"), _special(station_a))
    assert response.status_code == 200
    assert "临时专题会议须由站长或副站长召集" in response.text
    assert not Meeting.objects.exists()


# DB1405 §5.5.3
def test_resident_staff_cannot_convene_a_special_meeting(client_for, staff_a, station_a):
    # Not offered in the form (only the station's chief and deputies are) …
    response = client_for(staff_a).post(
        reverse("operations:meeting_create"), _special(station_a, convened_by=staff_a.pk)
    )
    assert response.status_code == 200 and not Meeting.objects.exists()
    # … and refused by the service for any other writer.
    with pytest.raises(ValidationError, match="不是该服务站在岗的站长或副站长"):
        meeting_record(
            actor=staff_a,
            data={
                "station": station_a,
                "kind": "special",
                "held_on": D(2025, 6, 9),
                "topic": "专题",
                "minutes": "纪要",
                "convened_by": staff_a,
            },
            items=[],
        )


def test_a_deputy_convenes_and_a_regular_meeting_needs_no_convener(client_for, staff_a, station_a):
    StationMember.objects.filter(user=staff_a).update(role="deputy_chief")
    client = client_for(staff_a)
    assert (
        client.post(
            reverse("operations:meeting_create"), _special(station_a, convened_by=staff_a.pk)
        ).status_code
        == 302
    )
    regular = _special(station_a, kind="regular", topic="例会")
    assert client.post(reverse("operations:meeting_create"), regular).status_code == 302
    assert Meeting.objects.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "operations:meeting_create",
        "operations:visit_create",
        "operations:training_create",
        "operations:plan_create",
    ],
)
def test_supervisors_and_handlers_read_but_do_not_write_station_records(
    client_for, supervisor, handler, url
):
    for user in (supervisor, handler):
        assert client_for(user).get(reverse(url)).status_code == 403
