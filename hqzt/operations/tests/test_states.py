"""The weekly report and the work suggestion follow their tables (hqzt/operations/states.py):
a step the table does not allow is refused in Chinese and saves nothing; each step is audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hqzt.audit.models import AuditEvent
from hqzt.audit.statemachine import transition
from hqzt.operations.models import WorkSuggestion
from hqzt.operations.reports import weekly_report_draft, weekly_report_submit
from hqzt.operations.suggestions import suggestion_answer, suggestion_submit

pytestmark = pytest.mark.django_db


def test_a_submitted_report_is_not_submitted_again(station_a, chief_a):
    report = weekly_report_draft(station_a, datetime.date(2025, 6, 2))
    report = weekly_report_submit(
        actor=chief_a, report=report, work_done="走访", next_week_plan="例会"
    )
    event = AuditEvent.objects.get(action="report_submit", object_id=str(report.pk))
    assert {
        "field": "status",
        "label": "状态",
        "before": "草稿",
        "after": "已报送",
    } in event.changes["fields"]
    with pytest.raises(ValidationError, match="该周报已报送"):
        weekly_report_submit(actor=chief_a, report=report, work_done="改", next_week_plan="改")
    report.refresh_from_db()
    assert report.work_done == "走访"
    assert AuditEvent.objects.filter(action="report_submit").count() == 1


def test_a_suggestion_step_outside_its_table_is_refused(staff_a, station_a, supervisor):
    suggestion = suggestion_submit(
        actor=staff_a, station=station_a, title="建议", content="集中送检", source="survey"
    )
    with pytest.raises(
        ValidationError, match="该工作建议当前为「待答复」，不能执行「report_submit」"
    ):
        transition(suggestion, "report_submit", supervisor)
    suggestion.refresh_from_db()
    assert suggestion.status == WorkSuggestion.Status.SUBMITTED
    answered = suggestion_answer(actor=supervisor, suggestion=suggestion, reply="同意")
    assert answered.status == WorkSuggestion.Status.ANSWERED
    assert AuditEvent.objects.filter(
        action="suggestion_answer", object_id=str(suggestion.pk)
    ).exists()
