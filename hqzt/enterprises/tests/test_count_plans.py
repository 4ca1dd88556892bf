"""PostgreSQL plan of the home pages' 服务企业 figure (issue 18): counted to its bound, it walks the
enterprise index of the station–enterprise links and stops there, rather than hashing every link
of a city's stations first (300,000 at 1M needs); a station with few links reads them by station."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hqzt.core.pagination import COUNT_BOUND
from hqzt.enterprises.models import Enterprise
from hqzt.enterprises.selectors import enterprise_count_for
from hqzt.stations.models import Station

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans"),
]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_enterprise_figure_stops_at_its_bound(supervisor, staff_a, station_a, station_b):
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"企业{i}", name_key=f"企业{i}") for i in range(COUNT_BOUND + 2_000)
    )
    Links = Station.enterprises.through
    Links.objects.bulk_create(
        Links(station_id=(station_a if i % 500 == 0 else station_b).pk, enterprise_id=e.pk)
        for i, e in enumerate(enterprises)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stations_station_enterprises")
    with CaptureQueriesContext(connection) as captured:
        assert enterprise_count_for(supervisor) == f"{COUNT_BOUND:,}+"
    plan = _plan(captured.captured_queries[-1]["sql"])
    assert "Unique" in plan and "HashAggregate" not in plan, plan
    assert f"rows={COUNT_BOUND + 1} loops=1" in plan, plan  # stopped at the bound
    with CaptureQueriesContext(connection) as captured:
        assert enterprise_count_for(staff_a) == "24"  # one in 500
    assert "stations_station_enterprises_station_id" in _plan(captured.captured_queries[-1]["sql"])
