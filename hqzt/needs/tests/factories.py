"""Needs are built through the registration and handling services, never as raw rows.

A raw Need would skip what need_register does in the same transaction: the station's tracking
number and the sheet's row numbers (ADR 0008), the 首位工作人员, the registration event, the
deadlines, the similarity keys and the statistics rows. Need.save() also refuses a status set by
hand. So these factories take the service's arguments and call the service: every object is one
the workflow produces. `build()` is not offered (the services save).
"""

import factory

from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.needs.models import (
    Channel,
    Complexity,
    Evaluation,
    EvaluationLevel,
    Need,
    NeedEvent,
    NeedType,
    Outcome,
    Scope,
    Source,
    TrackingSheet,
)
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.stations.tests.factories import StationFactory, StationMemberFactory


class _ServiceFactory(factory.Factory):
    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError(f"{cls.__name__} saves through a service; use create().")


class TrackingSheetFactory(_ServiceFactory):
    """A sheet registered by a trained staff member of the station (§6.2), one need per text of
    `contents`, all of `need_type`."""

    class Meta:
        model = TrackingSheet

    station = factory.SubFactory(StationFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    actor = factory.LazyAttribute(lambda o: StationMemberFactory(station=o.station).user)
    contact_name = "王经理"
    contact_phone = "13812345678"
    source = Source.INBOUND
    channel = factory.LazyFunction(lambda: Channel.objects.get(code="phone"))
    need_type = factory.LazyFunction(lambda: NeedType.objects.get(code="metrology"))
    contents = factory.Sequence(lambda n: [f"电子秤检定第{n}项"])

    @classmethod
    def _create(cls, model_class, *args, need_type, contents, **kwargs):
        items = [NeedItem(need_type=need_type, content=text) for text in contents]
        return need_register(items=items, **kwargs)


class NeedFactory(_ServiceFactory):
    """One registered need (status 已登记) on a sheet of its own; the sheet's arguments go
    through `sheet__…`: NeedFactory(sheet__station=station_a, sheet__actor=staff_a)."""

    class Meta:
        model = Need

    sheet = factory.SubFactory(TrackingSheetFactory, contents=factory.SelfAttribute("..contents"))
    contents = factory.Sequence(lambda n: [f"压力表检定第{n}项"])

    @classmethod
    def _create(cls, model_class, *args, sheet, contents):
        return sheet.needs.get()


class NeedEventFactory(_ServiceFactory):
    """A step of a need's history that leaves its state as it was (a reminder), written by
    workflow.record_event as the services write it; transitions write their own events."""

    class Meta:
        model = NeedEvent

    need = factory.SubFactory(NeedFactory)
    actor = factory.LazyAttribute(lambda o: o.need.first_contact)
    action = "remind"
    note = "请尽快办理"
    public = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from hqzt.needs.workflow import record_event

        return record_event(**kwargs)


class EvaluationFactory(_ServiceFactory):
    """An evaluation (§6.5) of a need its 首位工作人员 identified as simple, handled and completed
    (the shortest path the workflow allows); `level` 不满意 needs `comments` (and gets a
    callback, §7.1)."""

    class Meta:
        model = Evaluation

    need = factory.SubFactory(NeedFactory)
    level = EvaluationLevel.SATISFIED
    comments = ""

    @classmethod
    def _create(cls, model_class, *args, need, level, comments):
        from hqzt.needs.services.evaluation import need_evaluate
        from hqzt.needs.services.handling import need_complete
        from hqzt.needs.services.identification import need_identify

        staff = need.first_contact
        need = need_identify(
            need=need, actor=staff, scope=Scope.MARKET_REGULATION, complexity=Complexity.SIMPLE
        )
        need = need_complete(need=need, actor=staff, outcome=Outcome.MET, result="已办结")
        need = need_evaluate(need=need, actor=staff, level=level, comments=comments)
        return need.evaluations.get(round=need.evaluations.count())
