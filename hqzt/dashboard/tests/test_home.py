import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from hqzt.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_root_redirects_by_login_state(client, client_for, staff_a):
    assert client.get("/").url == reverse("accounts:login")
    assert client_for(staff_a).get("/").url == reverse("dashboard:home")


def test_station_home_shows_own_station_figures(client_for, chief_a, staff_a, station_a, station_b):
    station_a.enterprises.add(*EnterpriseFactory.create_batch(3))
    station_b.enterprises.add(*EnterpriseFactory.create_batch(2))
    text = client_for(chief_a).get(reverse("dashboard:home")).text
    assert "站长工作台" in text
    assert re.search(r'data-testid="figure-enterprises">3<', text)
    assert station_a.name in text and station_b.name not in text
    assert "在岗人员（2）" in text  # chief_a and staff_a


def test_untrained_staff_are_flagged(client_for, chief_a, staff_a):
    membership = staff_a.station_memberships.get()
    membership.onboarding_trained_on = None
    membership.save()
    text = client_for(chief_a).get(reverse("dashboard:home")).text
    assert re.search(r'data-testid="figure-untrained">1<', text)
    assert "未完成上岗培训" in text


def test_supervisor_home_counts_the_subtree(
    client_for, county_supervisor, supervisor, station_a, station_b
):
    text = client_for(county_supervisor).get(reverse("dashboard:home")).text
    assert re.search(r'data-testid="figure-stations">1<', text)
    assert station_b.name in text and station_a.name not in text
    text = client_for(supervisor).get(reverse("dashboard:home")).text
    assert re.search(r'data-testid="figure-stations">2<', text)


def test_admin_home_counts_everything(client_for, admin_user, station_a, station_b, staff_a):
    EnterpriseFactory.create_batch(4)
    text = client_for(admin_user).get(reverse("dashboard:home")).text
    assert re.search(r'data-testid="figure-stations">2<', text)
    assert re.search(r'data-testid="figure-enterprises">4<', text)
    assert "服务站人员" in text


def test_handler_home_names_their_section(client_for, handler, station_a):
    text = client_for(handler).get(reverse("dashboard:home")).text
    assert "经办科室工作台" in text and "计量科" in text


def test_templates_load_nothing_from_the_internet():
    """Government intranets are closed (SPEC R-8.3): every asset is served by the app."""
    external = re.compile(r"""(src|href)\s*=\s*["'](https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if external.search(path.read_text())
    ]
    assert offenders == []


def test_home_pages_count_todo_and_overdue_needs(client_for, drive, chief_a, handler):
    from hqzt.needs.states import Status

    drive(Status.AWAITING_DISPATCH)
    drive(Status.DISPATCHED)
    text = client_for(chief_a).get(reverse("dashboard:home")).text
    assert re.search(r'data-testid="figure-todo">1<', text)
    text = client_for(handler).get(reverse("dashboard:home")).text
    assert re.search(r'data-testid="figure-todo">1<', text)
    assert re.search(r'data-testid="figure-overdue">0<', text)
