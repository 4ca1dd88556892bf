"""The ledger page's rows, every cell worked out here once: the template only places the strings.

Per row the template used to reverse four URLs, include the deadline badge twice, format dates,
shorten texts and test each of the nine cells against its column number — about 1 ms a row, as
long as the page's row query at 1M needs (issue 18). The cells come from `ledger_values`, the same
values the exports write.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.actions import ACTIONS, available_actions, workbench_actions
from hqzt.needs.deadlines import warn_date
from hqzt.needs.ledger import ledger_values, sees_full_phones, spans_stations
from hqzt.needs.models import Need
from hqzt.needs.selectors import deadline_flag, standing_for

PENDING_FIRST_CONTACT = "（待受理）"  # a blank 首位工作人员: nobody has accepted the need yet


@dataclass(frozen=True)
class LedgerRow:
    pk: int
    number: int  # 序号 on this page
    url: str  # the need page
    sheet_url: str
    tracking_number: str  # the sheet's own number (the cards, the check box's label)
    # Appendix B's cells after 序号, as ledger_values gives them, ready to show:
    date: str
    enterprise: str
    contact_name: str
    phone: str
    need_type: str
    content: str  # shortened to 40 characters (the cards: `card_content`, 60)
    card_content: str
    first_contact: str
    number_cell: str  # 跟踪单号, with the station's number in front when the page spans stations
    status: str
    flag: str  # deadline_flag: "red", "yellow" or ""
    due: str
    due_on: str  # the deadline or "" (the cards)
    next_action: str  # the first main-line action the user may take, or ""
    next_title: str


def ledger_rows(user: User, needs: list[Need], *, start: int = 0) -> list[LedgerRow]:
    """The page's needs as rows, numbered from `start` + 1. Where the user stands to them, the
    warning date and the phone rights are read once for the page."""
    full, with_station = sees_full_phones(user), spans_stations(user)
    warn_on = warn_date(clock.today())
    standing = standing_for(user, needs)
    rows = []
    for index, need in enumerate(needs, start=start + 1):
        date, enterprise, contact, phone, kind, content, first, number = ledger_values(
            need, full_phone=full, with_station=with_station
        )
        primary, _ = workbench_actions(available_actions(user, need, standing))
        due = need.due_on.isoformat() if need.due_on else ""
        rows.append(
            LedgerRow(
                pk=need.pk,
                number=index,
                url=reverse("needs:detail", args=[need.pk]),
                sheet_url=reverse("needs:sheet", args=[need.sheet_id]),
                tracking_number=need.sheet.tracking_number,
                date=date.isoformat(),
                enterprise=enterprise,
                contact_name=contact,
                phone=phone,
                need_type=kind,
                content=Truncator(content).chars(40),
                card_content=Truncator(content).chars(60),
                first_contact=first or PENDING_FIRST_CONTACT,
                number_cell=number,
                status=need.get_status_display(),
                flag=deadline_flag(need, warn_on=warn_on),
                due=due or "—",
                due_on=due,
                next_action=primary[0] if primary else "",
                next_title=ACTIONS[primary[0]].title if primary else "",
            )
        )
    return rows
