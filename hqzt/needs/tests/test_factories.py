import pytest

from hqzt.needs.models import EvaluationLevel
from hqzt.needs.states import Status
from hqzt.needs.tests.factories import (
    EvaluationFactory,
    NeedEventFactory,
    NeedFactory,
    TrackingSheetFactory,
)

pytestmark = pytest.mark.django_db


def _valid(obj):
    assert obj.pk is not None
    obj.full_clean()
    return obj


def test_each_factory_builds_a_valid_saved_object():
    sheet = _valid(TrackingSheetFactory(contents=["一", "二"]))
    assert [n.row_number for n in sheet.needs.order_by("row_number")] == [1, 2]
    for need in sheet.needs.all():
        _valid(need)
    need = _valid(NeedFactory())
    assert need.status == Status.REGISTERED and need.first_contact is not None
    assert need.sheet.tracking_number and need.events.filter(action="register").exists()
    assert _valid(NeedEventFactory(need=need)).need == need
    other = NeedFactory(sheet__station=need.station, sheet__actor=need.first_contact)
    assert other.station == need.station and other.sheet != need.sheet
    with pytest.raises(TypeError):
        NeedFactory(station=need.station)  # a need's station is its sheet's
    evaluation = _valid(EvaluationFactory(level=EvaluationLevel.SATISFIED))
    assert evaluation.need.status == Status.AWAITING_ARCHIVE
