"""Sortable columns of the lists other than the ledger (issue 15 item 2): each list's column heads
sort it through the one pager (core.pagination: sort_pair, sort_choice, sorted_paginate), in
both directions, page after page by keyset; an unknown ?sort= shows the usual order, never a 500.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse

from hqzt.core import clock
from hqzt.core.pagination import NEWEST, sorted_paginate
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.enterprises.views import ENTERPRISE_SORTS
from hqzt.needs.services.archive import need_archive
from hqzt.needs.states import Status
from hqzt.stations.tests.factories import StationFactory
from hqzt.supervision.tests.factories import SupervisionOrderFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
BAD_SORTS = ["bogus", "-", "name;drop", "registered_on", "-pk"]


def _order(response, attribute: str = "pk") -> list:
    return [getattr(row, attribute) for row in response.context["page"].items]


def _falls_back(client, url: str) -> None:
    """A sort the list does not offer: the list in its usual order (newest first), 200."""
    usual = _order(client.get(url))
    for bad in BAD_SORTS:
        response = client.get(url, {"sort": bad})
        assert response.status_code == 200, bad
        assert response.context["sort"] == NEWEST, bad
        assert _order(response) == usual, bad


# --- enterprises -----------------------------------------------------------------------------


@pytest.fixture
def named(station_a):
    """Enterprises whose names sort the same under any collation (digits), one without a code."""
    enterprises = [EnterpriseFactory(name=f"测试_企业{n}") for n in (3, 1, 4, 2)] + [
        EnterpriseFactory(name="测试_企业0", credit_code=None)
    ]
    station_a.enterprises.add(*enterprises)
    return enterprises


def test_enterprises_sort_by_name_and_code(client_for, staff_a, named):
    client = client_for(staff_a)
    url = reverse("enterprises:list")
    names = sorted(e.name for e in named)
    assert _order(client.get(url, {"sort": "name"}), "name") == names
    assert _order(client.get(url, {"sort": "-name"}), "name") == names[::-1]
    coded = sorted(e.credit_code for e in named if e.credit_code)
    # Blanks last whichever way.
    assert _order(client.get(url, {"sort": "code"}), "credit_code") == [*coded, None]
    assert _order(client.get(url, {"sort": "-code"}), "credit_code") == [*coded[::-1], None]
    head = client.get(url, {"sort": "name"}).text
    assert 'aria-sort="ascending"' in head and 'href="?sort=-name"' in head
    _falls_back(client, url)


def test_a_name_sort_pages_by_keyset_through_every_row(named):
    """Text cursors (a name may hold the cursor's separator "_") walk both ways."""
    for key in ("name", "-name", "code", "-code"):
        sort, params, seen = ENTERPRISE_SORTS[key], QueryDict(""), []
        while True:
            page = sorted_paginate(Enterprise.objects.all(), params, sort, page_size=2)
            seen += [e.pk for e in page.items]
            if page.next_cursor is None:
                break
            params = QueryDict(f"after={page.next_cursor}")
        whole = sorted_paginate(Enterprise.objects.all(), QueryDict(""), sort, page_size=10)
        assert seen == [e.pk for e in whole.items], key
        back = sorted_paginate(
            Enterprise.objects.all(), QueryDict(f"before={params['after']}"), sort, page_size=2
        )
        assert [e.pk for e in back.items] == seen[1:3], key  # the two before that cursor's row


def test_the_filters_keep_the_chosen_sort(client_for, staff_a, named):
    html = client_for(staff_a).get(reverse("enterprises:list"), {"sort": "-name"}).text
    assert '<input type="hidden" name="sort" value="-name">' in html


# --- stations --------------------------------------------------------------------------------


def test_stations_sort_by_name(client_for, supervisor):
    for n in (2, 3, 1):
        StationFactory(name=f"排序服务站{n}")
    client = client_for(supervisor)
    url = reverse("stations:list")
    names = _order(client.get(url, {"sort": "name"}), "name")
    assert names == sorted(names) and len(names) == 3
    assert _order(client.get(url, {"sort": "-name"}), "name") == names[::-1]
    _falls_back(client, url)


# --- the archive -----------------------------------------------------------------------------


def test_archive_sorts_by_filing_time_and_registration_date(client_for, staff_a, drive):
    needs = [drive(Status.AWAITING_ARCHIVE) for _ in range(3)]
    filed = []
    for need, day in zip(needs, (5, 2, 9), strict=True):  # filed in another order than made
        with clock.travel(datetime.datetime(2026, 3, day, 10, tzinfo=TZ)):
            filed.append(need_archive(need=need, actor=staff_a))
    client = client_for(staff_a)
    url = reverse("records:archive")
    by_filing = [n.pk for n in sorted(filed, key=lambda n: n.archived_at)]
    assert _order(client.get(url, {"sort": "archived"})) == by_filing
    assert _order(client.get(url, {"sort": "-archived"})) == by_filing[::-1]
    dates = _order(client.get(url, {"sort": "-date"}), "registered_on")
    assert dates == sorted(dates, reverse=True)
    assert 'data-testid="sort-archived"' in client.get(url).text
    _falls_back(client, url)


# --- 回访 and 督办 ------------------------------------------------------------------------------


def test_callbacks_sort_by_deadline_and_creation(client_for, supervisor, drive):
    from hqzt.needs.models import EvaluationLevel
    from hqzt.needs.services.evaluation import need_evaluate

    made = []
    for day in (3, 1, 2):
        need = drive(Status.AWAITING_EVALUATION)
        with clock.travel(datetime.datetime(2026, 6, day, 10, tzinfo=TZ)):
            need_evaluate(
                need=need,
                actor=need.first_contact,
                level=EvaluationLevel.DISSATISFIED,
                method="phone",
                comments="太慢",
            )
        made.append(need.evaluations.get().callback)
    client = client_for(supervisor)
    url = reverse("supervision:callback_list")
    created = [c.pk for c in sorted(made, key=lambda c: c.created_at)]
    assert _order(client.get(url, {"sort": "created"})) == created
    assert _order(client.get(url, {"sort": "-created"})) == created[::-1]
    due = _order(client.get(url, {"sort": "due"}), "due_on")
    assert due == sorted(due)
    _falls_back(client, url)


def test_orders_sort_by_deadline_and_issue_time(client_for, supervisor, station_a):
    today = clock.today()
    orders = [
        SupervisionOrderFactory(
            station=station_a, issued_by=supervisor, due_on=today + datetime.timedelta(days=d)
        )
        for d in (5, 1, 9)
    ]
    client = client_for(supervisor)
    url = reverse("supervision:order_list")
    by_due = [o.pk for o in sorted(orders, key=lambda o: o.due_on)]
    assert _order(client.get(url, {"sort": "due"})) == by_due
    assert _order(client.get(url, {"sort": "-due"})) == by_due[::-1]
    issued = _order(client.get(url, {"sort": "-issued"}), "issued_at")
    assert issued == sorted(issued, reverse=True)
    _falls_back(client, url)
