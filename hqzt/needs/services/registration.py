"""§6.2 and §5.4.3–5.4.4: a need is registered by a trained staff member (who becomes its
首位工作人员) or submitted by the enterprise and accepted or refused by staff. Several needs raised
together share one tracking sheet (R-3.3)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.enterprises.models import Enterprise
from hqzt.needs import deadlines, enterprise_sms
from hqzt.needs.models import (
    Channel,
    Need,
    NeedType,
    Source,
    TrackingSheet,
)
from hqzt.needs.numbering import next_serial, tracking_number
from hqzt.needs.states import Status
from hqzt.needs.workflow import TransitionRefused, need_transition, record_event
from hqzt.stations.models import UNTRAINED_MESSAGE, Station, StationMember


@dataclass(frozen=True)
class NeedItem:
    """One need of a tracking sheet as it is registered."""

    need_type: NeedType
    content: str


# DB1405 §5.4.4
def _require_trained_member(actor: User, station: Station) -> None:
    """§5.4.4 / R-1.4: only trained staff of the station act as 首位工作人员."""
    membership = StationMember.objects.filter(user=actor, station=station, is_active=True).first()
    if membership is None or not actor.is_station_staff:
        raise TransitionRefused("只有本站在岗工作人员可以登记或受理需求。")
    if membership.onboarding_trained_on is None:
        raise TransitionRefused(
            UNTRAINED_MESSAGE.format(who="您", what="作为首位工作人员登记或受理需求")
        )


def _create_sheet(
    *,
    station: Station,
    enterprise: Enterprise,
    items: list[NeedItem],
    status: Status,
    fields: dict,
    actor: User | None,
    action: str,
) -> TrackingSheet:
    """A new sheet numbered at its station, with the items as its rows. Callers are atomic, so
    a refusal from `_add_needs` also gives the serial back."""
    today = clock.today()
    serial = next_serial(station.pk, today.year)
    sheet = TrackingSheet.objects.create(
        tracking_number=tracking_number(today.year, serial),
        year=today.year,
        serial=serial,
        station=station,
        enterprise=enterprise,
    )
    _add_needs(sheet=sheet, items=items, status=status, fields=fields, actor=actor, action=action)
    return sheet


def _add_needs(
    *,
    sheet: TrackingSheet,
    items: list[NeedItem],
    status: Status,
    fields: dict,
    actor: User | None,
    action: str,
) -> list[Need]:
    """The items as the sheet's next rows. The caller holds the sheet (new, or locked)."""
    if not items:
        raise TransitionRefused("请至少填写一项企业需求。")
    today = clock.today()
    last_row = sheet.needs.aggregate(last=Max("row_number"))["last"] or 0
    needs = []
    for row, item in enumerate(items, start=last_row + 1):
        need = Need(
            sheet=sheet,
            row_number=row,
            station=sheet.station,
            enterprise=sheet.enterprise,
            registered_on=today,
            need_type=item.need_type,
            content=item.content,
            status=status,
            **fields,
        )
        if status == Status.REGISTERED:
            deadlines.start_clock(need)
        deadlines.apply_stage_deadline(need)
        need.save()
        record_event(need=need, actor=actor, action=action, from_status="")
        needs.append(need)
    return needs


# DB1405 §5.4.3 §6.2
@transaction.atomic
def need_register(
    *,
    actor: User,
    station: Station,
    enterprise: Enterprise,
    contact_name: str,
    contact_phone: str,
    source: Source,
    items: list[NeedItem],
    channel: Channel | None = None,
    visit_ref: str = "",
    attach_to: TrackingSheet | None = None,
) -> TrackingSheet:
    """A staff member records what an enterprise asked for (§6.2); they become its 首位工作人员.
    Several needs raised together share one tracking sheet (R-3.3). `attach_to`: the staff
    member saw a probable duplicate (intake.similar) and chose to add these needs to the
    enterprise's existing sheet at this station, so the enterprise follows one number."""
    _require_trained_member(actor, station)
    if source == Source.INBOUND and channel is None:
        raise TransitionRefused("企业“找上门”的需求请选择受理渠道。")
    fields = {
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "source": source,
        "channel": channel if source == Source.INBOUND else None,
        "visit_ref": visit_ref,
        "first_contact": actor,
    }
    if attach_to is None:
        sheet = _create_sheet(
            station=station,
            enterprise=enterprise,
            items=items,
            status=Status.REGISTERED,
            fields=fields,
            actor=actor,
            action="register",
        )
        needs = list(sheet.needs.order_by("row_number"))
    else:
        sheet = TrackingSheet.objects.select_for_update().get(pk=attach_to.pk)
        if sheet.station_id != station.pk or sheet.enterprise_id != enterprise.pk:
            raise TransitionRefused("只能加入本站为同一企业开具的跟踪单。")
        needs = _add_needs(
            sheet=sheet,
            items=items,
            status=Status.REGISTERED,
            fields=fields,
            actor=actor,
            action="register",
        )
    # Staff chose the enterprise among those they may see (a verified act, ADR 0006); a
    # submission's claim links nothing (enterprises.services.enterprise_for_claim).
    station.enterprises.add(enterprise)
    enterprise_sms.tell_registered(sheet, needs)
    return sheet


@transaction.atomic
def need_submit(
    *,
    station: Station,
    enterprise: Enterprise,
    contact_name: str,
    contact_phone: str,
    channel: Channel,
    items: list[NeedItem],
) -> TrackingSheet:
    """An enterprise submits its own needs (portal, API): numbered at once, waiting for a staff
    member to accept them. The enterprise gets the number by SMS at once."""
    sheet = _create_sheet(
        station=station,
        enterprise=enterprise,
        items=items,
        status=Status.PENDING_ACCEPTANCE,
        fields={
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "source": Source.INBOUND,
            "channel": channel,
        },
        actor=None,
        action="submit",
    )
    enterprise_sms.tell_submitted(sheet, sheet.needs.order_by("row_number").first())
    return sheet


@transaction.atomic
def need_accept_intake(*, need: Need, actor: User) -> Need:
    _require_trained_member(actor, need.station)

    def apply(n: Need) -> None:
        n.first_contact = actor
        n.registered_on = clock.today()
        deadlines.start_clock(n)

    accepted = need_transition(need=need, action="accept_intake", actor=actor, apply=apply)
    enterprise_sms.tell_accepted(accepted)
    return accepted


@transaction.atomic
def need_reject_intake(*, need: Need, actor: User, reason: str) -> Need:
    if not reason.strip():
        raise TransitionRefused("请填写不予受理的理由。")
    rejected = need_transition(need=need, action="reject_intake", actor=actor, note=reason)
    enterprise_sms.tell_rejected(rejected, reason)
    return rejected
