"""督办: issue, respond, review — who may, what is refused, what is recorded."""

import datetime

import pytest

from hqzt.audit.models import AuditEvent
from hqzt.core import clock
from hqzt.needs.models import NeedEvent
from hqzt.needs.states import Status
from hqzt.notifications.models import Notification
from hqzt.supervision.access import SupervisionRefused
from hqzt.supervision.models import SupervisionOrder
from hqzt.supervision.orders import order_issue, order_respond, order_review

pytestmark = pytest.mark.django_db


def _due(days: int = 5) -> datetime.date:
    return clock.today() + datetime.timedelta(days=days)


@pytest.fixture
def need(drive):
    return drive(Status.IN_PROGRESS)


@pytest.fixture
def order(supervisor, need, chief_a):
    return order_issue(
        actor=supervisor,
        station=need.station,
        need=need,
        instruction="请三日内说明检定进度",
        due_on=_due(),
    )


def test_supervisor_issues_an_order_on_a_need_the_station_leads_are_told(order, chief_a, need):
    assert order.station == need.station and order.status == SupervisionOrder.Status.ISSUED
    assert Notification.objects.filter(recipient=chief_a, kind="supervision_order").exists()
    assert NeedEvent.objects.filter(need=need, action="supervise").exists()
    assert AuditEvent.objects.filter(action="order_issue", object_id=str(order.pk)).exists()


@pytest.mark.parametrize(
    "who", ["staff_a", "chief_a", "handler", "admin_user", "county_supervisor"]
)
def test_only_a_supervisor_over_the_station_may_issue(request, who, need):
    actor = request.getfixturevalue(who)
    with pytest.raises(SupervisionRefused):
        order_issue(actor=actor, station=need.station, need=need, instruction="x", due_on=_due())
    assert not SupervisionOrder.objects.exists()


def test_a_county_supervisor_may_supervise_its_own_station(county_supervisor, station_b):
    order = order_issue(
        actor=county_supervisor,
        station=station_b,
        instruction="周报连续迟报，请说明",
        due_on=_due(),
    )
    assert order.need is None and order.station == station_b


@pytest.mark.parametrize(
    ("instruction", "due", "message"),
    [("", 3, "请填写督办事项"), ("x" * 2001, 3, "不能超过"), ("请说明", -1, "不能早于今天")],
)
def test_bad_orders_are_refused_and_nothing_saved(supervisor, station_a, instruction, due, message):
    with pytest.raises(SupervisionRefused, match=message):
        order_issue(actor=supervisor, station=station_a, instruction=instruction, due_on=_due(due))
    assert not SupervisionOrder.objects.exists()


# DB1405 §7.1
def test_the_chief_responds_and_the_issuer_is_told(order, chief_a, supervisor):
    order = order_respond(actor=chief_a, order=order, response="已协调计量科，本周五前完成")
    assert order.status == SupervisionOrder.Status.RESPONDED and order.responded_by == chief_a
    assert Notification.objects.filter(
        recipient=supervisor, title__startswith="督办已回复"
    ).exists()
    with pytest.raises(SupervisionRefused, match="已回复"):
        order_respond(actor=chief_a, order=order, response="再次回复")


@pytest.mark.parametrize("who", ["staff_a", "staff_b", "supervisor", "handler"])
def test_only_the_stations_chief_or_deputy_responds(request, order, who):
    with pytest.raises(SupervisionRefused, match="站长或副站长"):
        order_respond(actor=request.getfixturevalue(who), order=order, response="好的")
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.ISSUED


def test_an_empty_response_is_refused(order, chief_a):
    with pytest.raises(SupervisionRefused, match="回复内容"):
        order_respond(actor=chief_a, order=order, response="  ")


def test_review_returns_with_a_reason_then_closes(order, chief_a, supervisor, county_supervisor):
    order_respond(actor=chief_a, order=order, response="正在办理")
    with pytest.raises(SupervisionRefused, match="退回理由"):
        order_review(actor=supervisor, order=order, accept=False, note="")
    with pytest.raises(SupervisionRefused):
        order_review(actor=county_supervisor, order=order, accept=True)
    with pytest.raises(SupervisionRefused, match="重新确定回复期限"):
        order_review(actor=supervisor, order=order, accept=False, note="请写明完成日期")
    order = order_review(
        actor=supervisor, order=order, accept=False, note="请写明完成日期", due_on=_due(7)
    )
    assert order.status == SupervisionOrder.Status.ISSUED and order.returned_count == 1
    assert order.due_on == _due(7)
    assert Notification.objects.filter(recipient=chief_a, title__contains="退回").exists()
    order_respond(actor=chief_a, order=order, response="11月28日完成")
    order = order_review(actor=supervisor, order=order, accept=True)
    assert order.status == SupervisionOrder.Status.CLOSED and order.closed_at
    with pytest.raises(SupervisionRefused):
        order_review(actor=supervisor, order=order, accept=True)
    actions = set(
        AuditEvent.objects.filter(object_type="supervision.supervisionorder").values_list(
            "action", flat=True
        )
    )
    assert actions == {"order_issue", "order_respond", "order_return", "order_close"}


def test_overdue_when_not_answered_by_the_deadline(order, chief_a):
    assert not order.is_overdue
    later = datetime.datetime.combine(order.due_on, datetime.time(12), tzinfo=datetime.UTC)
    with clock.travel(later + datetime.timedelta(days=1)):
        assert order.is_overdue
        order_respond(actor=chief_a, order=order, response="迟到的回复")
        order.refresh_from_db()
        assert not order.is_overdue


# --- Pages --------------------------------------------------------------------------------------


def test_issue_from_the_need_page_and_respond_through_the_pages(
    client_for, supervisor, chief_a, need
):
    client = client_for(supervisor)
    page = client.get(f"/needs/{need.pk}/")
    assert "督办" in page.content.decode()
    response = client.post(
        f"/supervision/orders/new/?need={need.pk}",
        {"instruction": "请加快办理", "due_on": f"{_due():%Y-%m-%d}"},
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and order.need == need
    assert "请加快办理" in client.get(f"/needs/{need.pk}/").content.decode()

    client = client_for(chief_a)
    assert "回复督办" in client.get(f"/supervision/orders/{order.pk}/").content.decode()
    response = client.post(f"/supervision/orders/{order.pk}/respond/", {"response": "已办结检定"})
    assert response.status_code == 302
    assert response.url == f"/supervision/orders/{order.pk}/"
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.RESPONDED


def test_bad_form_input_shows_chinese_errors_and_saves_nothing(client_for, supervisor, station_a):
    response = client_for(supervisor).post(
        "/supervision/orders/new/",
        {"station": station_a.pk, "instruction": "", "due_on": "2020-01-01"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "不能早于今天" in text and "必填" in text
    assert not SupervisionOrder.objects.exists()


def test_order_pages_are_scoped(client_for, order, staff_b, handler, chief_a):
    assert client_for(staff_b).get(f"/supervision/orders/{order.pk}/").status_code == 404
    # The handler's section holds the need, so the handler sees the order on it, but not an
    # order about the station's own work.
    assert client_for(handler).get(f"/supervision/orders/{order.pk}/").status_code == 200
    station_order = order_issue(
        actor=order.issued_by, station=order.station, instruction="例会纪要不全", due_on=_due()
    )
    assert client_for(handler).get(f"/supervision/orders/{station_order.pk}/").status_code == 404
    assert client_for(chief_a).get("/supervision/orders/new/").status_code == 404
    listing = client_for(chief_a).get("/supervision/orders/").content.decode()
    assert "请三日内说明检定进度" in listing
    assert "请三日内说明" not in client_for(staff_b).get("/supervision/orders/").content.decode()


def test_home_pages_count_what_supervision_waits_for(
    client_for, order, chief_a, staff_a, supervisor
):
    import re

    def figure(user):
        html = client_for(user).get("/home/").content.decode()
        return re.search(r'data-testid="figure-supervision">(\d+)<', html).group(1)

    assert figure(chief_a) == "1" and figure(staff_a) == "0" and figure(supervisor) == "0"
    order_respond(actor=chief_a, order=order, response="已处理")
    assert figure(chief_a) == "0" and figure(supervisor) == "1"


def test_an_overdue_order_is_chased_once(order, chief_a, supervisor):
    from hqzt.supervision.orders import orders_overdue_notify

    assert orders_overdue_notify() == 0
    later = datetime.datetime.combine(order.due_on, datetime.time(9), tzinfo=datetime.UTC)
    with clock.travel(later + datetime.timedelta(days=1)):
        assert orders_overdue_notify() == 1
        assert orders_overdue_notify() == 0
    chased = Notification.objects.filter(title__startswith="督办逾期未回复")
    assert set(chased.values_list("recipient", flat=True)) == {chief_a.pk, supervisor.pk}


def test_a_returned_order_gets_a_new_deadline_and_is_chased_again(order, chief_a, supervisor):
    from hqzt.supervision.orders import orders_overdue_notify

    late = datetime.datetime.combine(order.due_on, datetime.time(9), tzinfo=datetime.UTC)
    with clock.travel(late + datetime.timedelta(days=1)):
        assert orders_overdue_notify() == 1
        order_respond(actor=chief_a, order=order, response="迟到的回复")
        new_due = clock.today() + datetime.timedelta(days=2)
        order = order_review(
            actor=supervisor, order=order, accept=False, note="不具体", due_on=new_due
        )
        assert not order.is_overdue and order.overdue_notified_on is None
    with clock.travel(late + datetime.timedelta(days=4)):
        assert orders_overdue_notify() == 1


def test_the_review_form_asks_for_a_new_deadline_when_returning(
    client_for, order, chief_a, supervisor
):
    order_respond(actor=chief_a, order=order, response="已处理")
    client = client_for(supervisor)
    page = client.post(
        f"/supervision/orders/{order.pk}/review/",
        {"decision": "return", "note": "不具体"},
        follow=True,
    ).content.decode()
    assert "退回时请重新确定回复期限" in page
    order.refresh_from_db()
    assert order.status == SupervisionOrder.Status.RESPONDED


def test_the_overdue_filter_lists_only_orders_past_their_deadline(client_for, order, supervisor):
    client = client_for(supervisor)
    assert "请三日内说明检定进度" not in client.get("/supervision/orders/?overdue=1").text
    late = datetime.datetime.combine(order.due_on, datetime.time(9), tzinfo=datetime.UTC)
    with clock.travel(late + datetime.timedelta(days=1)):
        assert "请三日内说明检定进度" in client.get("/supervision/orders/?overdue=1").text
