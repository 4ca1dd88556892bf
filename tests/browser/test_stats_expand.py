"""The statistics page's station comparison at a city's scale (issue 18): the page shows its
first stations, and 展开 puts the others' rows into the same table without leaving the page."""

import pytest
from django.core.management import call_command

from hqzt.dashboard import stats_views
from hqzt.needs.tests.factories import NeedFactory
from hqzt.stations.models import Station
from tests.browser.conftest import DEMO_PASSWORD, login, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_expanding_the_station_comparison_adds_the_other_stations(
    settings, tmp_path, live_server, new_page, monkeypatch
):
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password=DEMO_PASSWORD, without_needs=True)
    stations = list(Station.objects.order_by("pk")[:3])
    for station in stations:
        NeedFactory(sheet__station=station)
    monkeypatch.setattr(stats_views, "STATION_ROWS", 1)
    page = login(new_page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/stats/?date_from=2000-01-01&date_to=2100-12-31")
    table = page.get_by_test_id("by-station")
    assert table.locator("tbody tr").count() == 2  # one station and the 展开 row
    page.get_by_test_id("by-station-more").get_by_role("link").click()
    page.get_by_test_id("by-station-more").wait_for(state="detached")
    names = table.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(names) == sorted(s.name for s in stations)
    assert page.url.endswith("date_to=2100-12-31")  # the page stayed where it was
    screenshot(page, "stats-stations-expanded")
