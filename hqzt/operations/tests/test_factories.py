import datetime

import pytest

from hqzt.operations.tests.factories import (
    ActionItemFactory,
    AnnualPlanFactory,
    DutyShiftFactory,
    MeetingFactory,
    PlanGoalFactory,
    TrainingFactory,
    VisitFactory,
    WeeklyReportFactory,
    WorkSuggestionFactory,
)

pytestmark = pytest.mark.django_db


def _valid(obj):
    assert obj.pk is not None
    obj.full_clean()
    return obj


def test_each_factory_builds_a_valid_saved_object():
    plan = _valid(AnnualPlanFactory())
    _valid(PlanGoalFactory(plan=plan))
    report = _valid(WeeklyReportFactory(week_start=datetime.date(2025, 6, 2)))
    assert report.status == "draft" and report.due_at.date() == datetime.date(2025, 6, 9)
    assert report.figures["needs_new"] == 0
    meeting = _valid(MeetingFactory())
    item = _valid(ActionItemFactory(meeting=meeting))
    assert item.owner.station_memberships.get().station == meeting.station
    shift = _valid(DutyShiftFactory())
    assert shift.user.station_memberships.get().station == shift.station
    _valid(TrainingFactory())
    visit = _valid(VisitFactory())
    assert visit.station.enterprises.filter(pk=visit.enterprise.pk).exists()
    _valid(WorkSuggestionFactory())
