"""PostgreSQL plans of the ledger's sorts (issue 15 item 2): each whitelisted order, on its first
page and after a keyset cursor in either direction, is an index walk in that order that stops
after the page — no sort of the table, whatever the sort or the page size. Read with EXPLAIN on
the search plan test's few thousand needs, sequential and bitmap scans switched off (see there)."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from hqzt.core.pagination import sorted_paginate
from hqzt.needs.ledger import RELATED, SORTS, ledger_filter
from hqzt.needs.models import Need
from hqzt.needs.tests.test_search_plans import N, many  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]

INDEX = {
    "-id": "needs_need_pkey",
    "id": "needs_need_pkey",
    "-date": "need_registered_id",
    "date": "need_registered_id",
    "due": "need_due_id",
}


def _page_plan(user, key: str, query: str):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    needs, _ = ledger_filter(user, {})
    with CaptureQueriesContext(connection) as captured:
        page = sorted_paginate(
            needs.select_related(*RELATED), QueryDict(query), SORTS[key], page_size=100
        )
    sql = next(q["sql"] for q in captured.captured_queries if "LIMIT 101" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return page, "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("key", list(SORTS))
def test_every_sort_walks_its_index_over_all_stations(many, supervisor, key):  # noqa: F811
    _, plan = _page_plan(supervisor, key, "")
    assert INDEX[key] in plan and "Sort" not in plan, plan
    sort = SORTS[key]
    middle = sort.cursor(Need.objects.order_by(*sort.order())[N // 2])
    for query in (f"after={middle}", f"before={middle}"):
        _, plan = _page_plan(supervisor, key, query)
        assert INDEX[key] in plan and "Sort" not in plan, (query, plan)


def test_a_stations_ledger_reads_only_that_stations_needs(many, staff_a):  # noqa: F811
    # A small station's needs are read through a station index (sorting its few is cheapest); a
    # big one's by date walk need_station_registered. Never the table's.
    for key in SORTS:
        _, plan = _page_plan(staff_a, key, "")
        assert "Index Cond: (station_id = " in plan, plan
        assert "Seq Scan on needs_need" not in plan, plan
