"""The statistics page at a city's scale (issue 18): the station comparison shows its first rows
and 展开 loads the others for the same scope and period; every station's figures still open
exactly their needs; the page reads the statistics rows of its scope through the index of a
scope's own rows (PostgreSQL plans)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from hqzt.dashboard import stats_views
from hqzt.dashboard.models import NeedStat
from hqzt.dashboard.statistics import Period, Statistics
from hqzt.needs.tests.factories import NeedFactory
from tests.page_queries import page_queries

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": "2020-01-01", "date_to": "2030-12-31"}


@pytest.fixture
def two_stations(drive, station_a, station_b):
    from hqzt.needs.states import Status

    drive(Status.REGISTERED)
    drive(Status.IN_PROGRESS)
    NeedFactory(sheet__station=station_b)
    return station_a, station_b


def _rows(text: str, testid: str = "by-station") -> dict[str, list]:
    """Station name → its cells' (text, href), from the table rows of a page or fragment."""
    tree = html.fromstring(f"<table>{text}</table>" if text.lstrip().startswith("<tr") else text)
    rows = tree.xpath(f'//*[@data-testid="{testid}"]/tbody/tr') or tree.xpath("//tr")
    found = {}
    for row in rows:
        cells = row.xpath("./td")
        if len(cells) < 9:
            continue
        found[cells[0].text_content().strip()] = [
            (c.text_content().strip(), (c.xpath(".//a/@href") or [""])[0]) for c in cells[1:]
        ]
    return found


def test_the_comparison_shows_its_first_rows_and_expands_to_the_rest(
    client_for, supervisor, two_stations, monkeypatch
):
    station_a, station_b = two_stations
    monkeypatch.setattr(stats_views, "STATION_ROWS", 1)
    client = client_for(supervisor)
    page = client.get(reverse("dashboard:stats"), PERIOD).text
    shown = _rows(page)
    assert list(shown) == [station_b.name]  # 乙 sorts before 甲
    more = html.fromstring(page).xpath('//*[@data-testid="by-station-more"]//a')[0]
    assert more.text_content() == "展开其余 1 个服务站"
    assert more.get("hx-get") == (
        reverse("dashboard:stats_stations") + "?date_from=2020-01-01&date_to=2030-12-31"
    )
    assert more.get("href") == "?date_from=2020-01-01&date_to=2030-12-31&stations=all#by-station"
    rest = client.get(more.get("hx-get")).text
    assert list(_rows(rest)) == [station_a.name]
    assert _rows(rest)[station_a.name][:2] == [
        (
            "2",
            f"/needs/?station={station_a.pk}&measure=registered&date_from=2020-01-01"
            "&date_to=2030-12-31",
        ),
        (
            "0",
            f"/needs/?station={station_a.pk}&measure=completed&date_from=2020-01-01"
            "&date_to=2030-12-31",
        ),
    ]
    everything = client.get(reverse("dashboard:stats"), {**PERIOD, "stations": "all"}).text
    assert list(_rows(everything)) == [station_b.name, station_a.name]
    assert 'data-testid="by-station-more"' not in everything


def test_every_station_figure_opens_exactly_its_needs(
    client_for, supervisor, two_stations, monkeypatch
):
    monkeypatch.setattr(stats_views, "STATION_ROWS", 1)
    client = client_for(supervisor)
    page = client.get(reverse("dashboard:stats"), PERIOD).text
    rest = client.get(reverse("dashboard:stats_stations"), PERIOD).text
    cells = [cell for rows in (_rows(page), _rows(rest)) for r in rows.values() for cell in r[:2]]
    assert len(cells) == 4
    for value, url in cells:
        ledger = client.get(url).text
        assert int(re.search(r"共 (\d+) 条", ledger).group(1)) == int(value), url


def test_the_rest_of_the_comparison_keeps_to_the_users_scope(
    client_for, supervisor, county_supervisor, staff_b, two_stations, monkeypatch, client
):
    """With no row on the page every visible station comes with 展开, and no other: the city
    supervisor both, the county supervisor and station B's staff only B."""
    station_a, station_b = two_stations
    monkeypatch.setattr(stats_views, "STATION_ROWS", 0)
    url = reverse("dashboard:stats_stations")
    assert set(_rows(client_for(supervisor).get(url, PERIOD).text)) == {
        station_a.name,
        station_b.name,
    }
    assert set(_rows(client_for(county_supervisor).get(url, PERIOD).text)) == {station_b.name}
    text = client_for(staff_b).get(url, PERIOD).text
    assert set(_rows(text)) == {station_b.name} and station_a.name not in text
    client.logout()
    assert client.get(url, PERIOD).status_code == 302  # to the login page


def test_the_page_and_its_rest_cost_the_same_queries_for_3_stations_as_for_30(
    client_for, supervisor, city, monkeypatch
):
    from hqzt.stations.tests.factories import StationFactory

    monkeypatch.setattr(stats_views, "STATION_ROWS", 2)
    client = client_for(supervisor)

    def queries() -> list[int]:
        query = "?date_from=2020-01-01&date_to=2030-12-31"
        return [
            len(page_queries(client, reverse(name) + query)[0])
            for name in ("dashboard:stats", "dashboard:stats_stations")
        ]

    for _ in range(3):
        NeedFactory(sheet__station=StationFactory(superior_unit=city))
    few = queries()
    for _ in range(27):
        NeedFactory(sheet__station=StationFactory(superior_unit=city))
    assert queries() == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_a_scopes_figures_read_the_index_of_its_own_rows(supervisor, staff_b, station_b, city):
    """Rows of 40 stations × 36 months × 8 values, most of them audience rows of sections, in the
    order needs bring them (a station's rows scattered over the table); the
    page's sums for one station's staff, and for the city, use needstat_own (its rows by
    station), not the period's rows of every station and audience."""
    from hqzt.stations.tests.factories import StationFactory

    stations = [station_b, *(StationFactory(superior_unit=city) for _ in range(39))]
    months = [datetime.date(2023 + m // 12, m % 12 + 1, 1) for m in range(36)]
    NeedStat.objects.bulk_create(
        NeedStat(
            station=station,
            sections=sections,
            grain=grain,
            day=month,
            dim=dim,
            value=str(value) if dim != "all" else "",
            n=3,
        )
        # As needs come in: every station's rows of a month side by side, not a station's together.
        for month in months
        for grain in ("m", "d")
        for dim in ("all", "type", "status")
        for value in (range(8) if dim != "all" else [0])
        for sections in ("", ",1,", ",2,", ",1,2,", ",3,")
        for station in stations
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dashboard_needstat")
        cursor.execute("SET LOCAL enable_seqscan = off")
    period = Period(datetime.date(2024, 12, 1), datetime.date(2025, 12, 1))
    for user in (staff_b, supervisor):
        figures = Statistics(user, period)
        with CaptureQueriesContext(connection) as captured:
            figures.totals()
            figures.counts_by("type")
            figures.compare_by("station")
        sums = [q["sql"] for q in captured.captured_queries if "dashboard_needstat" in q["sql"]]
        assert len(sums) == 4
        for sql in sums:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "needstat_own" in plan, plan


@pytest.mark.parametrize(
    "url", ["dashboard:stats", "dashboard:stats_stations", "dashboard:stats_xlsx"]
)
@pytest.mark.parametrize(
    "params", [{"date_to": "9999-12-31"}, {"date_from": "9999-12-31"}, {"date_to": "9999-12-30"}]
)
def test_a_period_at_the_end_of_the_calendar_is_no_error(client_for, supervisor, url, params):
    """Probe P3-S1: the month arithmetic overflowed past 9999-11 into a 500."""
    assert client_for(supervisor).get(reverse(url), params).status_code == 200
