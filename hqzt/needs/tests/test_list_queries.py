"""List pages cost the same number of queries however many open needs they show (deadline
flags are worked out with the page's one warning date, not two queries per row)."""

import pytest
from django.urls import reverse

from hqzt.needs.states import Status
from tests.page_queries import page_queries

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    return len(page_queries(client, url)[0])


@pytest.mark.parametrize("url", [reverse("needs:ledger"), reverse("needs:todo")])
def test_flags_do_not_query_per_row(client_for, drive, chief_a, url):
    client = client_for(chief_a)
    drive(Status.AWAITING_DISPATCH)
    few = _queries(client, url)
    for _ in range(4):
        drive(Status.AWAITING_DISPATCH)
    assert _queries(client, url) == few


def test_the_filter_bar_reads_each_list_once(client_for, supervisor, station_a, station_b):
    """The need types (需求类型 and 归档类别) are read once, and whether the numbers carry their
    station's comes from the station list shown (no COUNT of the stations besides)."""
    queries, response = page_queries(client_for(supervisor), reverse("needs:ledger"))
    sqls = [q["sql"] for q in queries]
    assert sum('FROM "needs_needtype"' in sql for sql in sqls) == 1
    assert not [sql for sql in sqls if "COUNT(" in sql and 'FROM "stations_station"' in sql]
    assert 'name="archive_category"' in response.text and 'name="need_type"' in response.text
