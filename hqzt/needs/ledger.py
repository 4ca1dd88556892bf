"""企业需求记录台账 (Appendix B): its columns, its filters and its rows, shared by the ledger page,
the exports and the export job, so that all three show exactly the same thing."""

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from hqzt.accounts.models import User
from hqzt.accounts.phone_access import PhoneAccess, phone_access
from hqzt.core import clock
from hqzt.core.fields import phone_match
from hqzt.core.filters import filter_values
from hqzt.core.pagination import Sort, sort_choice
from hqzt.core.phones import phone_display, phone_mask, phone_search_term
from hqzt.core.search import text_search
from hqzt.needs.ledger_forms import LedgerFilterForm
from hqzt.needs.measures import measure_q
from hqzt.needs.models import Need
from hqzt.needs.numbering import parse_reference
from hqzt.needs.selectors import needs_visible_to
from hqzt.needs.states import CLOSED_STATES
from hqzt.stations.selectors import stations_visible_to

TITLE = "惠企直通服务站企业需求记录台账"
COLUMNS = [
    "序号",
    "日期",
    "企业名称",
    "企业联系人",
    "联系电话",
    "企业需求类型",
    "企业需求",
    "首位工作人员",
    "跟踪单号",
]
RELATED = ["sheet", "enterprise", "need_type", "first_contact", "station", "channel"]
# What no list of needs shows: the n-gram texts (about 1.4 KB a row each, stored out of line)
# and the enterprise's and station's long descriptions. Reading them cost every list page and
# export the transfer and decoding of ~3 KB a row (issue 18).
UNLISTED = [
    "search_ngrams",
    "enterprise__search_ngrams",
    "enterprise__main_products",
    "enterprise__management_situation",
    "station__route_guidance",
    "station__service_content",
]


def with_related(needs: QuerySet[Need]) -> QuerySet[Need]:
    """Needs as the lists show them: what a row needs joined in, what none shows left out."""
    return needs.select_related(*RELATED).defer(*UNLISTED)


_FILTER_LOOKUPS = [
    ("date_from", "registered_on__gte"),
    ("date_to", "registered_on__lte"),
    ("station", "station"),
    ("need_type", "need_type"),
    ("source", "source"),
    ("channel", "channel"),
    ("status", "status"),
    ("lead_section", "lead_section"),
    ("chain", "enterprise__chains"),
    ("town", "enterprise__town"),
    ("archive_category", "archive_category"),
    ("evaluation", "evaluation"),
]


def ledger_filter(user: User, params: Mapping[str, Any]) -> tuple[QuerySet[Need], LedgerFilterForm]:
    """The needs the user may see, narrowed by the ledger's valid filters. An invalid value
    narrows nothing and widens nothing else: its field is left out, and `form.ignored` names it
    for the page to say so, or for an export or the API to refuse (core/filters.py). A text
    search leaves `form.search` (core/search.py), and 仅看超期 `form.counted` (overdue_filter),
    for the page to count them the cheap way."""
    needs = needs_visible_to(user)
    form = LedgerFilterForm(params, stations=stations_visible_to(user), any_station=user.is_handler)
    data, form.ignored = filter_values(form)
    form.search = None
    if data["period"]:
        # A quick range replaces the dates: a shared link shows the week or month it is opened in.
        data["date_from"], data["date_to"] = period_range(data["period"], clock.today())
    form.period_dates = (data["date_from"], data["date_to"]) if data["period"] else None
    if data["ids"]:
        needs = needs.filter(pk__in=data["ids"])
    for field, lookup in _FILTER_LOOKUPS:
        if data[field]:
            needs = needs.filter(**{lookup: data[field]})
    if data["measure"]:
        needs = needs.filter(measure_q(data["measure"]))
    term = (data["q"] or "").strip()
    words = ""
    if found_number := parse_reference(term):
        # A tracking number finds its sheet; "03-20250001" at that station only.
        station_id, number = found_number
        needs = needs.filter(sheet__tracking_number=number)
        if station_id is not None:
            needs = needs.filter(sheet__station_id=station_id)
    elif number := phone_search_term(term):
        # Whoever sees numbers masked could recover them by searching each middle digit
        # for them a number finds nothing; they reveal numbers one by one, audited.
        found = phone_match("contact_phone", number) if sees_full_phones(user) else Q(pk__in=[])
        needs = needs.filter(found)
    else:
        words = term
    form.counted = None
    if data["overdue"]:
        needs, form.counted = overdue_filter(needs, clock.today())
    if words:
        form.search = text_search(needs, words, "content", "enterprise__name")
        needs = form.search.rows
    return needs, form


def overdue_filter(
    needs: QuerySet[Need], today: datetime.date
) -> tuple[QuerySet[Need], tuple[QuerySet[Need], QuerySet[Need]]]:
    """仅看超期: open needs past their step's deadline or their answer deadline, and the same
    needs as two disjoint parts for counting. Counted as one OR, PostgreSQL merged both partial
    indexes into a bitmap of every overdue need in the city before the count's bound applied
    (200 ms at 1M needs); each part reads one of them (need_open_due, need_open_answer_due) and
    stops at the bound."""
    open_needs = needs.exclude(status__in=CLOSED_STATES)
    past_step = Q(due_on__lt=today)
    only_past_answer = Q(answer_due_on__lt=today) & (Q(due_on__isnull=True) | Q(due_on__gte=today))
    overdue = open_needs.filter(past_step | Q(answer_due_on__lt=today))
    parts = (open_needs.filter(past_step), open_needs.filter(only_past_answer))
    return overdue, tuple(part.order_by() for part in parts)


def period_range(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """本周/本月/本季度/本年 around `today` (a date in Asia/Shanghai, clock.today()): first and
    last day, both included; a week runs Monday to Sunday."""
    if period == "week":
        monday = today - datetime.timedelta(days=today.weekday())
        return monday, monday + datetime.timedelta(days=6)
    if period == "year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    first_month = today.month if period == "month" else 3 * ((today.month - 1) // 3) + 1
    months = 1 if period == "month" else 3
    start = today.replace(month=first_month, day=1)
    end_month = first_month + months  # the month after the range, maybe 13
    after = datetime.date(today.year + end_month // 13, (end_month - 1) % 12 + 1, 1)
    return start, after - datetime.timedelta(days=1)


_date = datetime.date.fromisoformat

# The ledger page's orders (whitelist; anything else is the default). Each walks an index on
# (field, id): need_registered_id / need_station_registered, need_due_id, and the primary key.
SORTS = {
    sort.key: sort
    for sort in [
        Sort("-id", "登记先后（新→旧）"),
        Sort("id", "登记先后（旧→新）", descending=False),
        Sort("-date", "日期（新→旧）", "registered_on", parse=_date),
        Sort("date", "日期（旧→新）", "registered_on", descending=False, parse=_date),
        Sort(
            "due",
            "期限（近→远）",
            "due_on",
            descending=False,
            nullable=True,
            parse=_date,
        ),
    ]
}
DEFAULT_SORT = "-id"


def ledger_sort(params: Mapping[str, Any]) -> Sort:
    return sort_choice(params, SORTS, DEFAULT_SORT)


def sees_full_phones(user: User) -> bool:
    """Who sees contact numbers in full in the ledger and its exports, by the one rule
    (accounts/phone_access.py): the ledger is the station's, so its staff; a list decides once
    for all its rows, so section handlers see their own needs' numbers on the need page, not
    here, and nobody reveals from a list or a file."""
    return phone_access(user, calls=user.is_station_staff) is PhoneAccess.FULL


class LedgerSource(NamedTuple):
    """What one ledger row is made of: read from a Need (the page) or straight from a
    values_list row in LEDGER_SOURCE order (the exports, which build no model instance: six a
    row made a million-row export cost several times the bare read, issue 18)."""

    registered_on: datetime.date
    enterprise: str
    contact_name: str
    contact_phone: str  # decrypted
    need_type: str
    content: str
    first_contact_id: int | None
    first_contact_full_name: str | None
    first_contact_username: str | None
    recorded_first_contact: str
    number: str  # 跟踪单号, or its station-wide reference


LEDGER_SOURCE = (
    "registered_on",
    "enterprise__name",
    "contact_name",
    "contact_phone",
    "need_type__name",
    "content",
    "first_contact_id",
    "first_contact__full_name",
    "first_contact__username",
    "recorded_first_contact",
    "sheet__tracking_number",
)


def need_source(need: Need, *, with_station: bool = False) -> LedgerSource:
    first = need.first_contact
    return LedgerSource(
        need.registered_on,
        need.enterprise.name,
        need.contact_name,
        need.contact_phone,
        need.need_type.name,
        need.content,
        need.first_contact_id,
        first.full_name if first else None,
        first.username if first else None,
        need.recorded_first_contact,
        need.sheet.reference if with_station else need.sheet.tracking_number,
    )


# DB1405 §附录B
def ledger_values(source: LedgerSource, *, full_phone: bool) -> list[Any]:
    """One row's cells after 序号, in COLUMNS order: 日期 as a date, the rest as text. The
    首位工作人员 is who accepted the need (by name, else user name), or what a paper ledger
    recorded, or "" until somebody accepts it (a blank cell, as on paper)."""
    phone = phone_display if full_phone else phone_mask
    if source.first_contact_id:
        first = source.first_contact_full_name or source.first_contact_username
    else:
        first = source.recorded_first_contact
    return [
        source.registered_on,
        source.enterprise,
        source.contact_name,
        phone(source.contact_phone),
        source.need_type,
        source.content,
        first,
        source.number,
    ]


@dataclass(frozen=True)
class LedgerTable:
    """What an export writes: the columns, and rows of 序号 (int), 日期 (date) and text."""

    columns: list[str]
    rows: Iterator[list[Any]]


def _spans_stations(needs: QuerySet[Need]) -> bool:
    first = needs.order_by().values_list("station", flat=True).first()
    return first is not None and needs.exclude(station=first).exists()


def ledger_table(needs: QuerySet[Need], user: User, *, chunk: int = 2000) -> LedgerTable:
    """Every row with its 序号, oldest first, read in chunks so memory stays flat. An export that
    spans several stations gains a 服务站 column, so that rows of two stations never blur."""
    full = sees_full_phones(user)
    several = _spans_stations(needs)
    ordered = needs.order_by("registered_on", "pk").values_list(*LEDGER_SOURCE, "station__name")

    def rows() -> Iterator[list[Any]]:
        for index, (*source, station) in enumerate(ordered.iterator(chunk_size=chunk), start=1):
            values = ledger_values(LedgerSource._make(source), full_phone=full)
            yield [index, *values, *([station] if several else [])]

    return LedgerTable([*COLUMNS, *(["服务站"] if several else [])], rows())
