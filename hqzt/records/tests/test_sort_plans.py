"""PostgreSQL plans of the sorts the workbench added to the archive and the enterprise list
(issue 15 item 2): sorted by filing time or by name, the first page and a page after a keyset
cursor walk an index led by the sorted column in order and stop after the page — no sort of every
archived need or every enterprise (an incremental sort of equal names, after the name index
alone, is a walk too: the planner takes either). Sequential and bitmap scans are switched off,
as in needs/tests/test_search_plans.py, whose few thousand needs these are."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hqzt.core.pagination import sorted_paginate
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.selectors import enterprises_visible_to
from hqzt.enterprises.tests.factories import EnterpriseFactory
from hqzt.enterprises.views import ENTERPRISE_SORTS
from hqzt.needs.models import Need
from hqzt.needs.states import Status
from hqzt.needs.tests.test_search_plans import many  # noqa: F401 (the fixture)
from hqzt.records.archive import archive_search
from hqzt.records.views import ARCHIVE_SORTS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]


def _walks(plan: str, *indexes: str) -> bool:
    """The plan reads one of `indexes` and sorts nothing whole."""
    nodes = [line.strip().removeprefix("->  ") for line in plan.splitlines()]
    return any(index in plan for index in indexes) and not any(
        node.startswith("Sort  (")
        for node in nodes  # a Sort node, not a "Sort Key:" line
    )


def _page_plans(queryset, sort) -> list[str]:
    """The plan of the first page's row query and of the page after its middle row's cursor."""
    with connection.cursor() as cursor:
        # Statistics outlive the test's rolled-back rows: only the table the other plan tests
        # analyse themselves (needs_need, their `many` fixture), never the whole database.
        if queryset.model is Need:
            cursor.execute("ANALYZE needs_need")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    middle = queryset.order_by(*sort.order())[queryset.count() // 2]
    plans = []
    for query in ("", f"after={sort.cursor(middle)}"):
        with CaptureQueriesContext(connection) as captured:
            sorted_paginate(queryset, QueryDict(query), sort, page_size=50)
        sql = next(q["sql"] for q in captured.captured_queries if "LIMIT 51" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_archive_by_filing_time_walks_its_index(many, admin_user):  # noqa: F811
    filed = timezone.make_aware(datetime.datetime(2026, 3, 1))
    ids = list(Need.objects.values_list("pk", flat=True))
    for offset, pk in enumerate(ids[::2]):
        Need.objects.filter(pk=pk).update(
            status=Status.ARCHIVED, archived_at=filed + datetime.timedelta(minutes=offset)
        )
    needs, _, _ = archive_search(admin_user, {})
    for plan in _page_plans(needs, ARCHIVE_SORTS["archived"]):
        assert _walks(plan, "need_archived_id"), plan


def test_the_enterprise_list_by_name_walks_its_index(admin_user):
    EnterpriseFactory.create_batch(600)
    enterprises = enterprises_visible_to(admin_user)
    assert enterprises.count() == Enterprise.objects.count()
    for plan in _page_plans(enterprises, ENTERPRISE_SORTS["name"]):
        assert _walks(plan, "enterprise_name_id", "enterprises_enterprise_name_"), plan
