"""What the enterprise is told by SMS (R-3.9, §6.2, §6.4.2, §6.5).

It gets its tracking number and how to follow progress as soon as the need is registered by staff
(a phone call or a visit), submitted by itself (portal, mini-program, 12345) or accepted; it is told
when the need is completed — with the handling opinion when the need could not be met (§6.4.2) —
and what follows its evaluation. Each message goes to the contact phone given with the need and to
nobody else; the send record keeps the number encrypted and shows it masked (R-9).

Call inside the transaction of the step being announced: the SMS is queued only after commit.
"""

from django.urls import reverse

from hqzt.core import site
from hqzt.needs.models import Need, Outcome, TrackingSheet
from hqzt.notifications.services import sms_send

OPINION_CHARS = 80  # of the handling opinion in the SMS; the progress page shows all of it


def number_of(sheet: TrackingSheet) -> str:
    """The tracking number as the enterprise types it into 查进度: with its station's number, as
    two stations may hold the same 跟踪单号 (ADR 0008)."""
    return sheet.reference


def track_url() -> str:
    return site.absolute(reverse("portal:track"))


def track_hint() -> str:
    return f"凭跟踪单号和手机号后四位查询办理进度：{track_url()}"


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tell_registered(sheet: TrackingSheet, needs: list[Need]) -> None:
    """Staff registered what the enterprise asked for (phone call, visit, walk-in)."""
    count = f"{len(needs)}项" if len(needs) > 1 else ""
    sms_send(
        to=needs[0].contact_phone,
        body=f"{sheet.station.name}已登记您的{count}需求，跟踪单号{number_of(sheet)}。{track_hint()}",
    )


def tell_submitted(sheet: TrackingSheet, need: Need) -> None:
    """The enterprise submitted it itself: the number, and that acceptance follows."""
    sms_send(
        to=need.contact_phone,
        body=(
            f"您的需求已提交至{sheet.station.name}，跟踪单号{number_of(sheet)}，"
            f"受理后将短信告知您。{track_hint()}"
        ),
    )


def tell_accepted(need: Need) -> None:
    sms_send(
        to=need.contact_phone,
        body=(
            f"{need.station.name}已受理您的需求（跟踪单号{number_of(need.sheet)}）。{track_hint()}"
        ),
    )


def tell_rejected(need: Need, reason: str) -> None:
    sms_send(
        to=need.contact_phone,
        body=(
            f"{need.station.name}未受理您提交的需求（跟踪单号{number_of(need.sheet)}），"
            f"原因：{_clip(reason, OPINION_CHARS)}"
        ),
    )


def completion_text(need: Need, evaluate_url: str) -> str:
    """§6.4.2: met → completed; not met → the handling opinion is told to the enterprise."""
    number = number_of(need.sheet)
    if need.outcome == Outcome.UNMET:
        opinion = _clip(need.handling_opinion, OPINION_CHARS)
        head = f"您的需求（跟踪单号{number}）经分析研判暂未能满足，处理意见：{opinion}"
    else:
        head = f"您的需求（跟踪单号{number}）已办理完毕"
    return f"{head}。{track_hint()}\n请您评价：{evaluate_url}"


def reinvitation_text(need: Need, evaluate_url: str) -> str:
    return (
        f"您的需求（跟踪单号{number_of(need.sheet)}）已办理完毕，尚未收到您的评价，"
        f"请您评价：{evaluate_url}"
    )


def tell_verified(need: Need, *, rehandle: bool) -> None:
    """§6.5.2: after a 不满意, what the station decided."""
    number = number_of(need.sheet)
    if rehandle:
        body = (
            f"服务站已核实您的评价，您的需求（跟踪单号{number}）将重新办理，"
            f"办理完毕后再请您评价。{track_hint()}"
        )
    else:
        body = f"服务站已核实您的评价并作出说明（跟踪单号{number}）。{track_hint()}"
    sms_send(to=need.contact_phone, body=body)
