"""Every change of a station record through the 站务 pages writes an audit row in the same
transaction (issue 17: operations went around services and audit)."""

import datetime

import pytest
from django.urls import reverse

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.operations.models import (
    ActionItem,
    AnnualPlan,
    DutyShift,
    Meeting,
    Training,
    Visit,
    WeeklyReport,
)
from hqzt.operations.reports import (
    week_of,
    weekly_report_comment,
    weekly_report_submit,
    weekly_reports_draft_all,
)

pytestmark = pytest.mark.django_db


def _events(obj, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
        )
    )


def test_plan_create_and_goal_change_are_audited(client_for, chief_a, station_a):
    client = client_for(chief_a)
    data = {"station": station_a.pk, "year": 2025, "summary": "全年计划", "goal-visits": "12"}
    assert client.post(reverse("operations:plan_create"), data).status_code == 302
    plan = AnnualPlan.objects.get()
    [created] = _events(plan, "create")
    assert created.actor == chief_a
    assert "走访企业（次） 12" in _events(plan, "plan_goals")[0].changes["fields"][0]["after"]
    data.update({"summary": "修订后的计划", "goal-visits": "20"})
    response = client.post(reverse("operations:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302, response.content
    assert response.url == reverse("operations:plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.summary == "修订后的计划" and plan.goals.get(metric="visits").target == 20
    [updated] = _events(plan, "update")
    assert updated.changes["fields"] == [
        {
            "field": "summary",
            "label": "工作思路与重点",
            "before": "全年计划",
            "after": "修订后的计划",
        }
    ]
    assert len(_events(plan, "plan_goals")) == 2


def test_training_and_visit_writes_are_audited(client_for, staff_a, station_a, enterprise_a):
    client = client_for(staff_a)
    response = client.post(
        reverse("operations:training_create"),
        {
            "station": station_a.pk,
            "topic": "计量知识培训",
            "held_on": "2025-05-01",
            "organiser_kind": "technical",
            "organiser": "市计量所",
            "enterprises": [enterprise_a.pk],
        },
    )
    assert response.status_code == 302, response.content
    assert _events(Training.objects.get(), "create")[0].actor == staff_a
    response = client.post(
        reverse("operations:visit_create"),
        {
            "station": station_a.pk,
            "enterprise": enterprise_a.pk,
            "planned_on": "2025-05-02",
            "purpose": "了解计量需求",
            "staff": [staff_a.pk],
        },
    )
    assert response.status_code == 302, response.content
    visit = Visit.objects.get()
    assert _events(visit, "create")[0].actor == staff_a
    response = client.post(
        reverse("operations:visit_detail", args=[visit.pk]),
        {"action": "record", "visited_on": "2025-05-02", "findings": "企业需检定电子秤"},
    )
    assert response.status_code == 302, response.content
    assert response.url == reverse("operations:visit_detail", args=[visit.pk])
    visit.refresh_from_db()
    assert str(visit.visited_on) == "2025-05-02" and visit.findings == "企业需检定电子秤"
    [recorded] = _events(visit, "update")
    assert {f["field"] for f in recorded.changes["fields"]} == {"visited_on", "findings"}
    assert recorded.changes["fields"][0]["before"] == ""


def test_meeting_and_action_item_done_are_audited(client_for, chief_a, staff_a, station_a):
    response = client_for(chief_a).post(
        reverse("operations:meeting_create"),
        {
            "station": station_a.pk,
            "kind": "regular",
            "held_on": "2025-06-09",
            "topic": "第23周工作例会",
            "attendees": [chief_a.pk, staff_a.pk],
            "minutes": "部署本周任务。",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "跟进压力表检定",
            "items-0-owner": staff_a.pk,
            "items-0-due_on": "2025-06-13",
        },
    )
    assert response.status_code == 302, response.content
    assert _events(Meeting.objects.get(), "create")[0].actor == chief_a
    item = ActionItem.objects.get()
    url = reverse("operations:action_item_done", args=[item.pk])
    first = client_for(staff_a).post(url)
    assert first.status_code == 302
    assert first.url == reverse("operations:meeting_detail", args=[item.meeting_id])
    item.refresh_from_db()
    done_at = item.done_at
    assert done_at is not None
    again = client_for(staff_a).post(url)  # a second click changes nothing and records nothing
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.done_at == done_at
    [done] = _events(item, "action_item_done")
    assert done.actor == staff_a


def test_rota_and_shift_changes_are_audited(client_for, chief_a, staff_a, station_a):
    client = client_for(chief_a)
    url = reverse("operations:staff", args=[station_a.pk])
    start = week_of(clock.today())
    response = client.post(url, {"action": "rota", "start": start.isoformat(), "weeks": "1"})
    assert response.status_code == 302
    assert response.url == reverse("operations:staff", args=[station_a.pk])
    assert DutyShift.objects.filter(station=station_a).exists()
    [generated] = _events(station_a, "rota_generate")
    assert generated.actor == chief_a and generated.changes["weeks"] == 1
    day = start + datetime.timedelta(days=7)
    response = client.post(url, {"action": "shift", "date": day.isoformat(), "user": staff_a.pk})
    assert response.status_code == 302
    assert response.url == reverse("operations:staff", args=[station_a.pk])
    shift = DutyShift.objects.get(station=station_a, date=day)
    [changed] = _events(shift, "rota_set")
    assert changed.changes["fields"][0]["after"] == staff_a.display_name


def test_refused_writes_leave_no_audit_row(client_for, staff_a, station_a, supervisor):
    before = AuditEvent.objects.count()
    # Resident staff neither plan nor draw up the rota; supervisors record no trainings.
    data = {"station": station_a.pk, "year": 2025, "summary": "x"}
    assert client_for(staff_a).post(reverse("operations:plan_create"), data).status_code == 403
    url = reverse("operations:staff", args=[station_a.pk])
    start = week_of(clock.today()).isoformat()
    response = client_for(staff_a).post(url, {"action": "rota", "start": start, "weeks": "1"})
    assert response.status_code == 403  # the rota is the chief's
    assert client_for(supervisor).post(reverse("operations:training_create"), {}).status_code == 403
    assert not DutyShift.objects.exists()
    assert AuditEvent.objects.exclude(action__in=["login", "login_failed"]).count() == before


def test_weekly_report_draft_refresh_save_and_comment_are_audited(
    client_for, chief_a, station_a, supervisor, monkeypatch
):
    client = client_for(chief_a)
    assert client.post(reverse("operations:report_draft")).status_code == 302
    report = WeeklyReport.objects.get()
    [created] = _events(report, "create")
    assert created.actor == chief_a
    client.post(reverse("operations:report_draft"))  # the same figures: nothing changed
    assert _events(report, "update") == []
    monkeypatch.setattr(
        "hqzt.operations.reports.report_figures", lambda station, week: {"needs_new": 99}
    )
    client.post(reverse("operations:report_draft"))
    [refreshed] = _events(report, "update")
    assert refreshed.actor == chief_a and refreshed.changes["fields"][0]["field"] == "figures"
    data = {"action": "save", "work_done": "走访3家", "next_week_plan": "例会"}
    client.post(reverse("operations:report_detail", args=[report.pk]), data)
    saved = _events(report, "update")[-1]
    assert {f["field"] for f in saved.changes["fields"]} == {"work_done", "next_week_plan"}
    report = weekly_report_submit(
        actor=chief_a, report=report, work_done="走访3家", next_week_plan="例会"
    )
    weekly_report_comment(actor=supervisor, report=report, comment="请加强走访")
    commented = _events(report, "update")[-1]
    assert commented.actor == supervisor
    assert {f["field"] for f in commented.changes["fields"]} >= {"comment", "commented_by"}


def test_the_scheduled_draft_is_audited_in_its_transaction(station_a, monkeypatch):
    week = week_of(clock.today())
    assert weekly_reports_draft_all(week) == 1
    [created] = _events(WeeklyReport.objects.get(), "create")
    assert created.actor is None  # Monday's job, nobody's hand

    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("hqzt.operations.reports.audit_record", broken)
    with pytest.raises(RuntimeError):
        weekly_reports_draft_all(week - datetime.timedelta(days=7))
    assert WeeklyReport.objects.count() == 1  # no draft without its audit row
