"""The ledger page's rows, every cell worked out here once and written out as HTML here.

Per row the template used to reverse four URLs, include the deadline badge twice, format dates,
shorten texts and test each of the nine cells against its column number — about 1 ms a row, as
long as the page's row query at 1M needs (issue 18). The cells come from `ledger_values`, the same
values the exports write.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from hqzt.accounts.models import User
from hqzt.core import clock
from hqzt.needs.actions import ACTIONS, available_actions, workbench_actions
from hqzt.needs.deadlines import warn_date
from hqzt.needs.ledger import ledger_values, need_source, sees_full_phones
from hqzt.needs.models import Need
from hqzt.needs.selectors import deadline_flag, standing_for
from hqzt.needs.templatetags.needs_ui import deadline_badge

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

    def table_row(self) -> SafeString:
        """The row of the computer's table (templates/needs/ledger.html places it)."""
        next_link = (
            format_html(
                '\n      <a class="ms-2" href="{}#action-{}">{}</a>',
                self.url,
                self.next_action,
                self.next_title,
            )
            if self.next_action
            else ""
        )
        return format_html(
            _TABLE_ROW,
            pk=self.pk,
            tracking_number=self.tracking_number,
            number=self.number,
            date=self.date,
            enterprise=self.enterprise,
            contact_name=self.contact_name,
            phone=self.phone,
            need_type=self.need_type,
            url=self.url,
            content=self.content,
            first_contact=self.first_contact,
            sheet_url=self.sheet_url,
            number_cell=self.number_cell,
            status=self.status,
            badge=deadline_badge(self.flag),
            due=self.due,
            next_link=next_link,
        )

    def card(self) -> SafeString:
        """The phone's card for the same need."""
        return format_html(
            _CARD,
            pk=self.pk,
            tracking_number=self.tracking_number,
            url=self.url,
            status=self.status,
            badge=deadline_badge(self.flag),
            enterprise=self.enterprise,
            need_type=self.need_type,
            date=self.date,
            due=format_html(" · 期限 {}", self.due_on) if self.due_on else "",
            content=self.card_content,
        )


# Written in Python rather than as template tags: at 50 rows the page's two loops (table and
# cards) rendered ~1,800 template variables, as long as everything else on the page (issue 18).
# format_html escapes every value as the template did.
_TABLE_ROW = """  <tr>
    <td class="ledger-select"><input class="form-check-input" type="checkbox" name="ids" \
value="{pk}" form="batch-form" data-select-row aria-label="选择 {tracking_number}"></td>
    <td>{number}</td>
    <td class="text-nowrap">{date}</td>
    <td class="ledger-name">{enterprise}</td>
    <td>{contact_name}</td>
    <td class="font-monospace small text-nowrap">{phone}</td>
    <td class="ledger-type">{need_type}</td>
    <td class="ledger-content"><a href="{url}">{content}</a></td>
    <td class="text-nowrap">{first_contact}</td>
    <td class="font-monospace text-nowrap"><a href="{sheet_url}">{number_cell}</a></td>
    <td class="ledger-status">{status} {badge}</td>
    <td class="text-nowrap ledger-due">{due}</td>
    <td class="ledger-actions"><a href="{url}" data-testid="row-view">查看</a>\
{next_link}</td>
  </tr>
"""
_CARD = """  <li class="card mb-2 flex-row" data-testid="ledger-card">
    <label class="ledger-card-select" title="选择 {tracking_number}">
      <input class="form-check-input" type="checkbox" name="ids" value="{pk}" form="batch-form" \
data-select-row aria-label="选择 {tracking_number}"></label>
    <a class="card-body d-block text-reset text-decoration-none ps-0" href="{url}">
      <div class="d-flex justify-content-between gap-2">
        <span class="font-monospace">{tracking_number}</span>
        <span class="text-nowrap">{status} {badge}</span>
      </div>
      <div class="fw-semibold mt-1">{enterprise}</div>
      <div class="small text-secondary">{need_type} · {date}{due}</div>
      <div class="small mt-1 ledger-card-content">{content}</div>
    </a>
  </li>
"""


def ledger_rows(
    user: User, needs: list[Need], *, start: int = 0, with_station: bool
) -> list[LedgerRow]:
    """The page's needs as rows, numbered from `start` + 1; `with_station`: the numbers carry
    their station's in front (LedgerFilterForm.spans_stations). Where the user stands to them,
    the warning date and the phone rights are read once for the page."""
    full = sees_full_phones(user)
    warn_on = warn_date(clock.today())
    standing = standing_for(user, needs)
    rows = []
    for index, need in enumerate(needs, start=start + 1):
        date, enterprise, contact, phone, kind, content, first, number = ledger_values(
            need_source(need, with_station=with_station), full_phone=full
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
