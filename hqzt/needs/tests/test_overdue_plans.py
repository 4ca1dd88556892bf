"""PostgreSQL plans of the overdue filters (issue 18): the home pages' count and the ledger's
仅看超期 read the partial indexes of open needs past a deadline (need_open_due,
need_open_answer_due), not every need with a deadline — at a million needs the full deadline
index read 67,747 table rows for the count (255 ms), the partial one none (15 ms). Sequential
scans are switched off, as in test_search_plans.py, whose few thousand needs these are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hqzt.dashboard.selectors import start_of_day
from hqzt.needs.ledger import ledger_filter
from hqzt.needs.models import Need
from hqzt.needs.selectors import todo_for
from hqzt.needs.states import Status
from hqzt.needs.tests.test_search_plans import many  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]
PAST = datetime.date(2020, 1, 1)


@pytest.fixture
def overdue(many):  # noqa: F811
    ids = list(Need.objects.order_by("pk").values_list("pk", flat=True)[::40])
    Need.objects.filter(pk__in=ids[::2]).update(status=Status.IN_PROGRESS, due_on=PAST)
    Need.objects.filter(pk__in=ids[1::2]).update(status=Status.DISPATCHED, answer_due_on=PAST)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")
        cursor.execute("SET LOCAL enable_seqscan = off")


def _plan(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_home_pages_overdue_count_reads_the_open_deadline_index(overdue, supervisor):
    with CaptureQueriesContext(connection) as captured:
        start_of_day(supervisor)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    overdue_count = next(sql for sql in counts if '"needs_need"."due_on" <' in sql)
    assert "need_open_due" in _plan(overdue_count)


def test_the_ledgers_overdue_filter_reads_both_open_deadline_indexes(overdue, supervisor):
    needs, _ = ledger_filter(supervisor, {"overdue": "on"})
    plan = _plan(*needs.order_by().values("pk").query.sql_with_params())
    assert "need_open_due" in plan and "need_open_answer_due" in plan, plan


def test_the_ledgers_overdue_count_reads_one_partial_index_per_part(overdue, supervisor):
    """The count adds two disjoint parts, each an index range that stops at the bound, instead
    of a bitmap of every overdue need (ledger.overdue_filter)."""
    _, form = ledger_filter(supervisor, {"overdue": "on"})
    plans = [_plan(*part.values("pk")[:10001].query.sql_with_params()) for part in form.counted]
    assert "need_open_due" in plans[0] and "need_open_answer_due" not in plans[0], plans[0]
    assert "need_open_answer_due" in plans[1], plans[1]


@pytest.fixture
def awaiting_verification(many):  # noqa: F811
    """Every tenth need awaiting verification, one in a hundred of those escalated."""
    ids = list(Need.objects.order_by("pk").values_list("pk", flat=True)[::10])
    Need.objects.filter(pk__in=ids).update(status=Status.AWAITING_VERIFICATION, due_on=PAST)
    Need.objects.filter(pk__in=ids[::100]).update(escalated=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE needs_need")
        cursor.execute("SET LOCAL enable_seqscan = off")


def test_a_supervisors_todo_reads_the_escalated_needs_index(awaiting_verification, supervisor):
    """The home page's to-do count and rows: the needs escalated to the supervisor, from their
    own partial index, not every need awaiting verification (need_status_due)."""
    todo = todo_for(supervisor)
    assert todo.count() == Need.objects.filter(escalated=True).count() > 0
    count_plan = _plan(*todo.order_by().values("pk").query.sql_with_params())
    rows_plan = _plan(*todo[:8].query.sql_with_params())
    assert "need_escalated_verify" in count_plan, count_plan
    assert "need_escalated_verify" in rows_plan, rows_plan
