"""The ledger as a table people expect (issue 15 item 2): quick ranges, whitelisted sorts walked
by keyset in both directions, bounded page sizes and page numbers, and the batch actions."""

import datetime
import zoneinfo

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from hqzt.core import clock, pagination
from hqzt.core.pagination import OFFSET_LIMIT, page_size_of, sorted_paginate
from hqzt.needs import batch
from hqzt.needs.ledger import SORTS, ledger_filter, ledger_sort, period_range
from hqzt.needs.ledger_forms import SELECTED_MAX
from hqzt.needs.models import Channel, Need, NeedEvent, Source
from hqzt.needs.services.registration import NeedItem, need_register
from hqzt.needs.states import Status

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


# --- quick ranges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        ("week", D(2026, 12, 1), (D(2026, 11, 30), D(2026, 12, 6))),  # Tuesday
        ("week", D(2026, 11, 30), (D(2026, 11, 30), D(2026, 12, 6))),  # Monday
        ("week", D(2026, 12, 6), (D(2026, 11, 30), D(2026, 12, 6))),  # Sunday
        ("week", D(2027, 1, 1), (D(2026, 12, 28), D(2027, 1, 3))),  # across the year
        ("month", D(2026, 12, 31), (D(2026, 12, 1), D(2026, 12, 31))),
        ("month", D(2028, 2, 10), (D(2028, 2, 1), D(2028, 2, 29))),  # leap year
        ("quarter", D(2026, 1, 1), (D(2026, 1, 1), D(2026, 3, 31))),
        ("quarter", D(2026, 6, 30), (D(2026, 4, 1), D(2026, 6, 30))),
        ("quarter", D(2026, 11, 15), (D(2026, 10, 1), D(2026, 12, 31))),
        ("year", D(2026, 7, 1), (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)
def test_quick_ranges(period, today, expected):
    assert period_range(period, today) == expected


def _registered_on(need, day):
    Need.objects.filter(pk=need.pk).update(registered_on=day)


def test_this_month_is_the_month_in_shanghai(register, staff_a):
    """At 00:30 on 1 April in Shanghai it is still 31 March in UTC: 本月 is April."""
    march, april = register()[0], register()[0]
    _registered_on(march, D(2026, 3, 31))
    _registered_on(april, D(2026, 4, 1))
    moment = datetime.datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI)
    with clock.travel(moment):
        needs, form = ledger_filter(staff_a, QueryDict("period=month"))
        assert list(needs.values_list("pk", flat=True)) == [april.pk]
        assert form.period_dates == (D(2026, 4, 1), D(2026, 4, 30))
    with clock.travel(moment - datetime.timedelta(hours=1)):  # 23:30 on 31 March
        needs, _ = ledger_filter(staff_a, QueryDict("period=month&date_from=2026-04-01"))
        assert list(needs.values_list("pk", flat=True)) == [march.pk]  # the range wins


def test_an_unknown_quick_range_is_ignored_and_said(client_for, staff_a, register):
    register()
    response = client_for(staff_a).get(reverse("needs:ledger"), {"period": "decade"})
    assert response.status_code == 200 and "快捷时间" in response.text


# --- sorting and keyset pages -------------------------------------------------------------------


@pytest.fixture
def spread(register):
    """12 needs with repeated dates and some blank deadlines, so ties and blanks are walked."""
    needs = register(12)
    for i, need in enumerate(needs):
        Need.objects.filter(pk=need.pk).update(
            registered_on=D(2026, 1, 1) + datetime.timedelta(days=i % 4),
            due_on=None if i % 3 == 0 else D(2026, 2, 1) + datetime.timedelta(days=i % 5),
        )
    return Need.objects.filter(pk__in=[n.pk for n in needs])


def _expected(needs, key):
    rows = list(needs)
    if key in ("-id", "id"):
        return sorted((n.pk for n in rows), reverse=key == "-id")
    if key in ("-date", "date"):
        ordered = sorted(rows, key=lambda n: (n.registered_on, n.pk), reverse=key == "-date")
    else:  # due: nearest first, blanks last
        ordered = sorted(rows, key=lambda n: (n.due_on is None, n.due_on or D.min, n.pk))
    return [n.pk for n in ordered]


@pytest.mark.parametrize("key", list(SORTS))
def test_each_sort_walks_every_row_once_forwards_and_back(spread, key):
    sort = SORTS[key]
    pages, params = [], QueryDict("")
    while True:
        page = sorted_paginate(spread, params, sort, page_size=5)
        pages.append([n.pk for n in page.items])
        if page.next_cursor is None:
            break
        params = QueryDict(f"after={page.next_cursor}&start={page.start + len(page.items)}")
    assert [pk for p in pages for pk in p] == _expected(spread, key)
    assert [len(p) for p in pages] == [5, 5, 2] and page.start == 10
    # Back from the last page by 上一页 meets the same pages, and the first knows it is first.
    back = []
    while page.prev_cursor is not None:
        page = sorted_paginate(
            spread, QueryDict(f"before={page.prev_cursor}&start={page.start}"), sort, page_size=5
        )
        back.insert(0, [n.pk for n in page.items])
    assert back == pages[:-1] and page.is_first and page.start == 0


@pytest.mark.parametrize("key", list(SORTS))
def test_numbered_pages_are_the_same_rows_as_keyset_pages(spread, key):
    sort = SORTS[key]
    first = sorted_paginate(spread, QueryDict(""), sort, page_size=5)
    by_cursor = sorted_paginate(spread, QueryDict(f"after={first.next_cursor}"), sort, page_size=5)
    by_number = sorted_paginate(spread, QueryDict("start=5"), sort, page_size=5)
    assert by_number.items == by_cursor.items and by_number.number == 2
    assert [link for link in by_number.links] == [(1, 0), (2, 5), (3, 10)]


def test_unknown_sorts_and_malformed_cursors_fall_back(spread):
    assert ledger_sort({"sort": "enterprise__name"}).key == "-id"
    assert ledger_sort({"sort": "-due"}).key == "-id"  # only the index's direction is offered
    for cursor in ["abc", "2026-13-01_5", "_5", "2026-01-01_x", "5"]:
        page = sorted_paginate(spread, QueryDict(f"after={cursor}"), SORTS["-date"], page_size=5)
        assert page.is_first and len(page.items) == 5, cursor


def test_page_sizes_are_bounded():
    assert [page_size_of(QueryDict(f"per_page={n}")) for n in (20, 50, 100)] == [20, 50, 100]
    for wrong in ("1000", "0", "-5", "abc", "", "50.0", "1e3"):
        assert page_size_of(QueryDict(f"per_page={wrong}")) == 50


def test_page_numbers_stop_where_offsets_would_grow(spread, monkeypatch):
    monkeypatch.setattr(pagination, "OFFSET_LIMIT", 5)
    page = sorted_paginate(spread, QueryDict(""), SORTS["-id"], page_size=2)
    assert page.numbers == [1, 2, 3, 4] and page.more_than_numbered
    deep = sorted_paginate(spread, QueryDict("start=8"), SORTS["-id"], page_size=2)
    assert deep.start == 0 and deep.is_first  # beyond the limit: the top, not an OFFSET
    assert OFFSET_LIMIT == 1_000


def test_the_ledger_page_sorts_and_pages(client_for, staff_a, spread):
    client = client_for(staff_a)
    first = spread.order_by("registered_on", "pk").first()
    text = client.get(reverse("needs:ledger"), {"sort": "date", "per_page": "20"}).text
    assert text.index(f"/needs/{first.pk}/") < min(
        text.index(f"/needs/{n.pk}/") for n in spread.exclude(pk=first.pk)
    )
    assert (
        client.get(reverse("needs:ledger"), {"sort": "x;drop", "per_page": "9999"}).status_code
        == 200
    )


# --- batch actions ------------------------------------------------------------------------------


@pytest.fixture
def other_station_need(station_b, staff_b, enterprise_a, metrology):
    return need_register(
        actor=staff_b,
        station=station_b,
        enterprise=enterprise_a,
        contact_name="赵经理",
        contact_phone="13900001111",
        source=Source.INBOUND,
        channel=Channel.objects.get(code="phone"),
        items=[NeedItem(need_type=metrology, content="乙站的需求")],
    ).needs.get()


def test_batch_dispatch_dispatches_what_may_be_and_says_why_not_for_the_rest(
    drive, chief_a, metrology_section
):
    waiting = [drive(Status.AWAITING_DISPATCH), drive(Status.AWAITING_DISPATCH)]
    dispatched = drive(Status.DISPATCHED)
    ids = [n.pk for n in [*waiting, dispatched]]
    result = batch.batch_dispatch(actor=chief_a, ids=ids, lead_section=metrology_section)
    assert len(result.done) == 2 and len(result.refused) == 1
    number = dispatched.sheet.tracking_number
    assert result.message.startswith("已分发 2 条；1 条未分发：" + number)
    assert "待科室签收" in result.message
    for need in waiting:
        need.refresh_from_db()
        assert need.status == Status.DISPATCHED and need.lead_section == metrology_section
        assert need.dispatched_by == chief_a
        assert NeedEvent.objects.filter(need=need, action="dispatch").exists()  # as one by one


def test_batch_dispatch_by_someone_who_may_not_dispatch_does_nothing(
    drive, staff_a, metrology_section
):
    need = drive(Status.AWAITING_DISPATCH)
    result = batch.batch_dispatch(actor=staff_a, ids=[need.pk], lead_section=metrology_section)
    assert not result.done and "无权" in result.message
    need.refresh_from_db()
    assert need.status == Status.AWAITING_DISPATCH


def test_a_tampered_id_refuses_the_whole_batch(
    drive, chief_a, metrology_section, other_station_need
):
    mine = drive(Status.AWAITING_DISPATCH)
    for ids in ([mine.pk, other_station_need.pk], [mine.pk, 10**9]):
        with pytest.raises(batch.BatchRefused, match="未做任何操作"):
            batch.batch_dispatch(actor=chief_a, ids=ids, lead_section=metrology_section)
    mine.refresh_from_db()
    assert mine.status == Status.AWAITING_DISPATCH
    assert not NeedEvent.objects.filter(action="dispatch").exists()


def test_batch_ids_are_capped_and_must_be_plain():
    assert batch.parse_ids(["3", "1,2", "3"]) == [3, 1, 2]
    with pytest.raises(batch.BatchRefused, match=f"最多选择 {SELECTED_MAX}"):
        batch.parse_ids([str(i) for i in range(1, SELECTED_MAX + 2)])
    for wrong in (["1", "x"], ["-1"], ["²"], []):
        with pytest.raises(batch.BatchRefused):
            batch.parse_ids(wrong)


def test_batch_remind_by_the_chief_and_the_supervisor(drive, chief_a, supervisor, staff_a):
    open_need, archived = drive(Status.IN_PROGRESS), drive(Status.ARCHIVED)
    result = batch.batch_remind(actor=chief_a, ids=[open_need.pk, archived.pk])
    assert result.message == (
        f"已催办 1 条；1 条未催办：{archived.sheet.tracking_number} 该需求当前无需催办。"
    )
    assert batch.batch_remind(actor=supervisor, ids=[open_need.pk]).done
    assert not batch.batch_remind(actor=staff_a, ids=[open_need.pk]).done
    assert NeedEvent.objects.filter(need=open_need, action="remind").count() == 2


def test_batch_page_dispatches_and_reports(client_for, drive, chief_a, metrology_section):
    waiting, dispatched = drive(Status.AWAITING_DISPATCH), drive(Status.DISPATCHED)
    response = client_for(chief_a).post(
        reverse("needs:batch"),
        {
            "action": "dispatch",
            "ids": [waiting.pk, dispatched.pk],
            "lead_section": metrology_section.pk,
            "back": "status=awaiting_dispatch&sort=due",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("?status=awaiting_dispatch&sort=due")
    assert "已分发 1 条；1 条未分发" in response.text
    waiting.refresh_from_db()
    assert waiting.status == Status.DISPATCHED


def test_batch_page_needs_csrf_and_a_section(drive, chief_a):
    need = drive(Status.AWAITING_DISPATCH)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(chief_a)
    assert (
        strict.post(reverse("needs:batch"), {"action": "remind", "ids": [need.pk]}).status_code
        == 403
    )
    client = Client()
    client.force_login(chief_a)
    for section in ("", "²", "abc", "999999"):
        text = client.post(
            reverse("needs:batch"),
            {"action": "dispatch", "ids": [need.pk], "lead_section": section},
            follow=True,
        ).text
        assert "请选择分发到的牵头科室" in text
    text = client.post(reverse("needs:batch"), {"action": "archive", "ids": [need.pk]}, follow=True)
    assert "没有这个批量操作" in text.text
    need.refresh_from_db()
    assert need.status == Status.AWAITING_DISPATCH


def test_export_selected_is_the_ledger_export_of_those_rows_in_scope(
    client_for, drive, staff_a, other_station_need
):
    from io import BytesIO

    from openpyxl import load_workbook

    one, two = drive(Status.REGISTERED), drive(Status.REGISTERED)
    client = client_for(staff_a)
    response = client.post(reverse("needs:batch"), {"action": "export", "ids": [two.pk]})
    assert response.status_code == 302 and response["Location"].endswith(f"?ids={two.pk}")
    sheet = load_workbook(BytesIO(b"".join(client.get(response["Location"]).streaming_content)))
    text = "".join(str(c.value) for row in sheet.active.iter_rows() for c in row)
    assert two.content in text and one.sheet.tracking_number not in text
    # Another station's id: refused whole, by the batch and by the export's own filter.
    refused = client.post(
        reverse("needs:batch"), {"action": "export", "ids": [two.pk, other_station_need.pk]}
    )
    assert "xlsx" not in refused["Location"]
    needs, _ = ledger_filter(staff_a, QueryDict(f"ids={other_station_need.pk}"))
    assert not needs.exists()
