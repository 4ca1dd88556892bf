import pytest

from hqzt.supervision.models import Callback, ImprovementPlan
from hqzt.supervision.tests.factories import (
    CallbackFactory,
    FeedbackFactory,
    ImprovementPlanFactory,
    RectificationTaskFactory,
    SupervisionOrderFactory,
    SupervisorFactory,
)

pytestmark = pytest.mark.django_db


def _valid(obj):
    assert obj.pk is not None
    obj.full_clean()
    return obj


def test_each_factory_builds_a_valid_saved_object():
    _valid(SupervisorFactory())
    feedback = _valid(FeedbackFactory())
    assert feedback.phone_hash
    order = _valid(SupervisionOrderFactory())
    assert order.issued_by.org_unit == order.station.superior_unit
    callback = _valid(CallbackFactory())
    assert callback.reason == Callback.Reason.DISSATISFIED
    assert callback.station == callback.need.station
    plan = _valid(ImprovementPlanFactory())
    assert plan.origin == ImprovementPlan.Origin.INSPECTION and plan.tasks.count() == 1
    task = _valid(RectificationTaskFactory(plan=plan))
    assert plan.tasks.count() == 2 and task.owner == plan.tasks.first().owner
