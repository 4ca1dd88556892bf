"""PostgreSQL plans of the ledger's search (ADR 0003): a common term walks an index newest
first and stops after the page (at a small station, it reads only that station's needs), a rare
one goes through the n-gram GIN index; none sorts the table.

Plans are read with EXPLAIN on a few thousand needs after ANALYZE. At that size a sequential scan
of the whole table is cheapest, so it is switched off for the test (and, for the walks, bitmap
scans): what is asserted is that the queries *can* be answered by an index in order, without a
sort of the table. The plans at a million needs, with the planner's default settings, are in
ADR 0003; no timing is asserted (bench/scale.py measures)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hqzt.core.search import ngrams
from hqzt.needs.ledger import RELATED, ledger_filter
from hqzt.needs.models import Need, NeedType, TrackingSheet

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]

COMMON = ["电子天平需要周期检定", "压力表检定到期", "出厂检验报告", "企业标准公开", "商标注册"]
N = 6_000


@pytest.fixture
def many(station_a, station_b, enterprise_a, enterprise_b, staff_a):
    """N needs over a big station B and a small station A (one in 50), one in 1,500 about 铬铁;
    then ANALYZE, as autovacuum would."""
    metrology = NeedType.objects.get(code="metrology")
    sheets = TrackingSheet.objects.bulk_create(
        TrackingSheet(
            tracking_number=f"2026{i:04d}",
            year=2026,
            serial=i,
            station=station_b if i % 50 else station_a,
            enterprise=enterprise_b if i % 50 else enterprise_a,
        )
        for i in range(1, N + 1)
    )
    texts = itertools.cycle(COMMON)
    needs = []
    for i, sheet in enumerate(sheets):
        content = ("铬铁" if i % 1_500 == 7 else "") + next(texts)
        enterprise = enterprise_a if sheet.station_id == station_a.pk else enterprise_b
        needs.append(
            Need(
                sheet=sheet,
                row_number=1,
                station_id=sheet.station_id,
                enterprise=enterprise,
                registered_on=datetime.date(2026, 1, 1),
                contact_name="王经理",
                contact_phone="13812345678",
                need_type=metrology,
                content=content,
                source="inbound",
                status="archived",
                search_ngrams=ngrams(content, enterprise.name),
            )
        )
    Need.objects.bulk_create(needs)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")
        cursor.execute("ANALYZE enterprises_enterprise")


def _plans(user, term, *, walking: bool):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if walking:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    needs, form = ledger_filter(user, {"q": term})
    page = needs.select_related(*RELATED).order_by("-pk")[:51]
    count = form.search.counted[: form.search.count_bound + 1]
    return page.explain(), count.explain()


def test_a_common_term_walks_newest_first_and_stops(many, supervisor):
    page, count = _plans(supervisor, "检", walking=True)
    for plan in (page, count):
        assert "Index Scan Backward using needs_need_pkey" in plan, plan
        assert "ngram_gin" not in plan and "Sort" not in plan, plan


def test_a_common_term_at_a_small_station_reads_only_that_stations_needs(many, staff_a):
    # Through a station index: at most that station's matches are sorted, never the table's.
    page, count = _plans(staff_a, "检定", walking=True)
    for plan in (page, count):
        assert "Index Cond: (station_id = " in plan, plan
        assert "Seq Scan on needs_need" not in plan and "ngram_gin" not in plan, plan


def test_a_rare_term_goes_through_the_ngram_index(many, supervisor):
    # Its ids are read through the GIN index first; the page and the count are then those ids.
    with CaptureQueriesContext(connection) as captured:
        page, count = _plans(supervisor, "铬铁", walking=False)
    ids = next(
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "needs_need"."id"') and "to_tsvector" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {ids}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on needs_need_ngram_gin" in plan, plan
    for plan in (page, count):
        assert "Seq Scan on needs_need" not in plan and "ngram_gin" not in plan, plan
