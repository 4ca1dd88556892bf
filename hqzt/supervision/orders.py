"""督办 (§7.1): a supervisor instructs a station — about one need or its work in general — and
sets a deadline; the station's chief or deputy responds; the supervisor closes the order or sends
it back with a note. Overdue orders are flagged on both sides."""

import datetime

from django.db import transaction
from django.urls import reverse

from hqzt.accounts.models import User
from hqzt.audit.services import audit_record
from hqzt.audit.statemachine import transition
from hqzt.core import clock
from hqzt.needs.announcements import station_leads
from hqzt.needs.models import Need
from hqzt.needs.workflow import record_event
from hqzt.notifications.services import notify_users
from hqzt.stations.models import Station
from hqzt.stations.selectors import leads_station
from hqzt.supervision.access import MAX_TEXT, SupervisionRefused, require_overseer, required_text
from hqzt.supervision.models import SupervisionOrder


def _url(order: SupervisionOrder) -> str:
    return reverse("supervision:order_detail", args=[order.pk])


# DB1405 §7.1
@transaction.atomic
def order_issue(
    *,
    actor: User,
    station: Station,
    instruction: str,
    due_on: datetime.date,
    need: Need | None = None,
) -> SupervisionOrder:
    """Issue a 督办. An order on a need goes to the need's station."""
    if need is not None:
        station = need.station
    require_overseer(actor, station)
    if due_on < clock.today():
        raise SupervisionRefused("回复期限不能早于今天。")
    order = SupervisionOrder.objects.create(
        station=station,
        need=need,
        instruction=required_text(instruction, "督办事项及要求"),
        due_on=due_on,
        issued_by=actor,
    )
    audit_record(actor=actor, action="order_issue", obj=order)
    if need is not None:
        record_event(
            need=need, actor=actor, action="supervise", note=order.instruction, public=False
        )
    title = f"督办：{station.name}" + (f" 需求 {need.label}" if need else "")
    notify_users(
        station_leads(station.pk),
        kind="supervision_order",
        title=title,
        body=f"{order.instruction[:150]}（请于 {due_on:%Y-%m-%d} 前回复）",
        url=_url(order),
    )
    return order


@transaction.atomic
def order_respond(*, actor: User, order: SupervisionOrder, response: str) -> SupervisionOrder:
    if not leads_station(actor, order.station_id):
        raise SupervisionRefused("只有该服务站的站长或副站长可以回复督办。")
    order = transition(
        order,
        "order_respond",
        actor,
        apply=lambda o: setattr(o, "response", required_text(response, "回复内容")),
        responded_by=actor,
        responded_at=clock.now(),
    )
    notify_users(
        [order.issued_by],
        kind="supervision_order",
        title=f"督办已回复：{order.station.name}",
        body=order.response[:200],
        url=_url(order),
    )
    return order


@transaction.atomic
def order_review(
    *,
    actor: User,
    order: SupervisionOrder,
    accept: bool,
    note: str = "",
    due_on: datetime.date | None = None,
) -> SupervisionOrder:
    """Close the order, or send the response back with the reason and a new deadline (the old
    one has usually passed by then; the new one is chased again when it passes)."""
    require_overseer(actor, order.station)

    def send_back(o: SupervisionOrder) -> None:
        o.review_note = required_text(note, "退回理由")
        if due_on is None or due_on < clock.today():
            raise SupervisionRefused("退回时请重新确定回复期限（不早于今天）。")
        o.due_on, o.overdue_notified_on = due_on, None
        o.returned_count += 1

    if accept:
        order = transition(
            order,
            "order_close",
            actor,
            closed_at=clock.now(),
            review_note=(note or "").strip()[:MAX_TEXT],
        )
    else:
        order = transition(order, "order_return", actor, apply=send_back)
    title = "督办已办结" if accept else "督办回复被退回，请重新回复"
    notify_users(
        station_leads(order.station_id),
        kind="supervision_order",
        title=f"{title}：{order.station.name}",
        body=order.review_note[:200],
        url=_url(order),
    )
    return order


def orders_overdue_notify() -> int:
    """催办 for 督办: once an order passes its deadline unanswered, its station's leads and the
    issuer are told (once; the daily scan may run twice without telling twice)."""
    today = clock.today()
    overdue = SupervisionOrder.objects.filter(
        status=SupervisionOrder.Status.ISSUED, due_on__lt=today, overdue_notified_on__isnull=True
    ).select_related("station", "issued_by")
    count = 0
    for order in overdue.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = SupervisionOrder.objects.filter(
                pk=order.pk, overdue_notified_on__isnull=True
            ).update(overdue_notified_on=today)
            if not claimed:
                continue
            notify_users(
                [*station_leads(order.station_id), order.issued_by],
                kind="supervision_order",
                title=f"督办逾期未回复：{order.station.name}",
                body=f"回复期限 {order.due_on:%Y-%m-%d}。{order.instruction[:120]}",
                url=_url(order),
            )
            count += 1
    return count
