"""回访: every 不满意 is called back, others are sampled; results recorded, mismatches flagged."""

import datetime

import pytest

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.needs.models import Evaluation
from hqzt.needs.services.evaluation import need_evaluate
from hqzt.needs.states import Status
from hqzt.supervision.access import SupervisionRefused
from hqzt.supervision.callbacks import callback_record, callbacks_sample
from hqzt.supervision.models import Callback

pytestmark = pytest.mark.django_db


def _evaluated(drive, staff_a, level: str):
    need = drive(Status.AWAITING_EVALUATION)
    return need_evaluate(need=need, actor=staff_a, level=level, comments="意见")


# DB1405 §7.1
def test_every_dissatisfied_evaluation_gets_a_callback(drive, staff_a):
    need = _evaluated(drive, staff_a, "dissatisfied")
    callback = Callback.objects.get()
    assert callback.need == need and callback.reason == Callback.Reason.DISSATISFIED
    assert callback.status == Callback.Status.PENDING and callback.due_on > clock.today()


def test_positive_evaluations_wait_for_sampling(drive, staff_a):
    _evaluated(drive, staff_a, "very_satisfied")
    assert not Callback.objects.exists()


def test_sampling_draws_from_uncalled_evaluations_in_scope_only(
    drive, staff_a, supervisor, county_supervisor
):
    for level in ["satisfied", "very_satisfied", "neutral", "dissatisfied"]:
        _evaluated(drive, staff_a, level)
    today = clock.today()
    # The county supervisor does not oversee station A: nothing to draw.
    assert callbacks_sample(actor=county_supervisor, start=today, end=today, size=5) == []
    drawn = callbacks_sample(actor=supervisor, start=today, end=today, size=2)
    assert len(drawn) == 2 and all(c.reason == Callback.Reason.SAMPLED for c in drawn)
    drawn += callbacks_sample(actor=supervisor, start=today, end=today, size=10)
    # Three positive evaluations were left after the automatic 不满意 callback; each drawn once.
    assert len(drawn) == 3
    assert Callback.objects.count() == 4
    assert callbacks_sample(actor=supervisor, start=today, end=today, size=10) == []
    # Each draw that found evaluations is audited (with how many it drew).
    assert AuditEvent.objects.filter(action="callbacks_sample").count() == 2


@pytest.mark.parametrize(
    ("who", "size", "message"),
    [
        ("staff_a", 5, "只有监督人员"),
        ("supervisor", 0, "1 至 200"),
        ("supervisor", 201, "1 至 200"),
    ],
)
def test_bad_sampling_requests_are_refused(request, who, size, message):
    today = clock.today()
    with pytest.raises(SupervisionRefused, match=message):
        callbacks_sample(actor=request.getfixturevalue(who), start=today, end=today, size=size)


def test_sampling_respects_the_period(drive, staff_a, supervisor):
    _evaluated(drive, staff_a, "satisfied")
    yesterday = clock.today() - datetime.timedelta(days=1)
    assert callbacks_sample(actor=supervisor, start=yesterday, end=yesterday, size=5) == []
    with pytest.raises(SupervisionRefused, match="开始日期"):
        callbacks_sample(actor=supervisor, start=clock.today(), end=yesterday, size=5)


@pytest.fixture
def callback(drive, staff_a):
    _evaluated(drive, staff_a, "dissatisfied")
    return Callback.objects.get()


def test_a_confirmed_level_that_differs_is_a_mismatch(callback, supervisor):
    done = callback_record(
        actor=supervisor,
        callback=callback,
        reached=True,
        method="phone",
        confirmed_level="satisfied",
        notes="企业称已满意，之前误选",
    )
    assert done.status == Callback.Status.DONE and done.mismatch
    assert AuditEvent.objects.filter(action="callback_record", object_id=str(done.pk)).exists()
    with pytest.raises(SupervisionRefused, match="已记录"):
        callback_record(
            actor=supervisor,
            callback=done,
            reached=True,
            method="phone",
            confirmed_level="satisfied",
        )


def test_the_same_level_confirmed_is_no_mismatch(callback, supervisor):
    done = callback_record(
        actor=supervisor,
        callback=callback,
        reached=True,
        method="visit",
        confirmed_level="dissatisfied",
    )
    assert not done.mismatch


def test_unreachable_needs_a_note_and_is_never_a_mismatch(callback, supervisor):
    with pytest.raises(SupervisionRefused, match="说明联系情况"):
        callback_record(actor=supervisor, callback=callback, reached=False, method="phone")
    done = callback_record(
        actor=supervisor, callback=callback, reached=False, method="phone", notes="三次拨打无人接听"
    )
    assert done.status == Callback.Status.UNREACHABLE and not done.mismatch


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "fax", "confirmed_level": "satisfied"}, "回访方式"),
        ({"method": "phone", "confirmed_level": ""}, "企业确认的评价"),
    ],
)
def test_bad_results_are_refused_and_nothing_saved(callback, supervisor, kwargs, message):
    with pytest.raises(SupervisionRefused, match=message):
        callback_record(actor=supervisor, callback=callback, reached=True, **kwargs)
    callback.refresh_from_db()
    assert callback.status == Callback.Status.PENDING


@pytest.mark.parametrize("who", ["chief_a", "staff_a", "county_supervisor", "admin_user"])
def test_only_a_supervisor_over_the_station_records(request, callback, who):
    with pytest.raises(SupervisionRefused):
        callback_record(
            actor=request.getfixturevalue(who),
            callback=callback,
            reached=True,
            method="phone",
            confirmed_level="satisfied",
        )


def test_callback_pages(client_for, callback, supervisor, chief_a, handler):
    client = client_for(supervisor)
    assert callback.need.label in client.get("/supervision/callbacks/").content.decode()
    page = client.get(f"/supervision/callbacks/{callback.pk}/").content.decode()
    assert "记录回访结果" in page and "138****5678" in page and "13812345678" not in page
    response = client.post(
        f"/supervision/callbacks/{callback.pk}/",
        {"reached": "yes", "method": "phone", "confirmed_level": "neutral", "notes": "企业称一般"},
    )
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.mismatch
    assert callback.need.label in client.get("/supervision/callbacks/?mismatch=1").content.decode()
    # The station being checked does not see the callbacks, nor do section handlers.
    for user in (chief_a, handler):
        assert client_for(user).get(f"/supervision/callbacks/{callback.pk}/").status_code == 404
        assert client_for(user).get("/supervision/callbacks/").status_code == 404


def test_sampling_form_reports_bad_input(client_for, supervisor):
    client = client_for(supervisor)
    response = client.post(
        "/supervision/callbacks/sample/",
        {"date_from": "2026-11-30", "date_to": "2026-11-01", "size": "0"},
        follow=True,
    )
    text = response.content.decode()
    assert "结束日期不能早于开始日期" in text
    assert not Callback.objects.exists()


def test_evaluation_rows_keep_their_level(callback):
    # The callback records a confirmation; it never rewrites the enterprise's evaluation.
    assert Evaluation.objects.get().level == "dissatisfied"
