"""How a station is run (§5.3–5.5). Plain rows are what the services write; the weekly report is
drafted by weekly_report_draft, which computes its figures and its deadline."""

import datetime

import factory

from hqzt.core import clock
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.operations.models import (
    ActionItem,
    AnnualPlan,
    DutyShift,
    Meeting,
    Metric,
    PlanGoal,
    Training,
    Visit,
    WeeklyReport,
    WorkSuggestion,
)
from hqzt.stations.tests.factories import StationFactory, StationMemberFactory


def _member(o):
    return StationMemberFactory(station=o.station).user


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    station = factory.SubFactory(StationFactory)
    year = factory.Sequence(lambda n: 2025 + n)
    summary = "以产业链需求为重点，全年走访企业不少于50次"


class PlanGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(AnnualPlanFactory)
    metric = Metric.VISITS
    target = 50


class WeeklyReportFactory(factory.Factory):
    """A draft for the week starting on `week_start` (a Monday), through weekly_report_draft."""

    class Meta:
        model = WeeklyReport

    station = factory.SubFactory(StationFactory)
    week_start = factory.Sequence(lambda n: datetime.date(2025, 6, 2) + datetime.timedelta(weeks=n))

    @classmethod
    def _create(cls, model_class, *args, station, week_start):
        from hqzt.operations.reports import weekly_report_draft

        return weekly_report_draft(station, week_start)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A weekly 工作例会 with its minutes (§5.5.2)."""

    class Meta:
        model = Meeting

    station = factory.SubFactory(StationFactory)
    kind = Meeting.Kind.REGULAR
    held_on = datetime.date(2025, 6, 2)
    topic = "上周工作总结与本周安排"
    minutes = "通报上周需求办理情况，安排本周走访。"


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    description = "走访三家铸造企业"
    owner = factory.LazyAttribute(lambda o: StationMemberFactory(station=o.meeting.station).user)
    due_on = factory.LazyFunction(lambda: clock.today() + datetime.timedelta(days=7))


class DutyShiftFactory(factory.django.DjangoModelFactory):
    """A day on duty (§5.5.4) for a staff member of the station."""

    class Meta:
        model = DutyShift

    station = factory.SubFactory(StationFactory)
    date = factory.Sequence(lambda n: datetime.date(2025, 6, 2) + datetime.timedelta(days=n))
    user = factory.LazyAttribute(_member)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    station = factory.SubFactory(StationFactory)
    topic = "计量器具检定政策解读"
    held_on = datetime.date(2025, 6, 5)
    organiser_kind = Training.Organiser.TECHNICAL
    organiser = "晋城市计量检定测试所"


class VisitFactory(factory.django.DjangoModelFactory):
    """A planned visit (主动“进企业”, §6.2) to an enterprise the station serves."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    planned_on = datetime.date(2025, 6, 3)
    purpose = "了解企业计量需求"

    @factory.post_generation
    def served(self, create, extracted, **kwargs):
        if create:
            self.station.enterprises.add(self.enterprise)


class WorkSuggestionFactory(factory.django.DjangoModelFactory):
    """A suggestion a trained staff member sends up (§5.3 a), awaiting the answer."""

    class Meta:
        model = WorkSuggestion

    station = factory.SubFactory(StationFactory)
    title = "建议增设检定周末窗口"
    content = "多家企业反映工作日送检时间冲突。"
    source = WorkSuggestion.Source.RECURRING_NEEDS
    submitted_by = factory.LazyAttribute(_member)
