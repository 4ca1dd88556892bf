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


def test_home_tables_list_what_waits_with_its_action_one_click_away(
    client_for, drive, chief_a, handler, staff_a
):
    from hqzt.needs.states import Status

    waiting = drive(Status.AWAITING_DISPATCH)
    dispatched = drive(Status.DISPATCHED)
    detail = reverse("needs:detail", args=[waiting.pk])
    text = client_for(chief_a).get(reverse("dashboard:home")).text
    assert f'href="{detail}#action-dispatch"' in text  # the chief dispatches
    assert 'data-testid="quick-register"' in text and reverse("needs:register") in text
    text = client_for(handler).get(reverse("dashboard:home")).text
    assert f'href="{reverse("needs:detail", args=[dispatched.pk])}#action-accept_task"' in text
    assert ">签收<" in text
    assert 'data-testid="quick-register"' not in text  # handlers register nothing
    assert f'href="{detail}#' not in text  # nor see the station's own work


def test_home_todo_is_bounded_deadline_first_and_links_the_full_list(client_for, drive, chief_a):
    import datetime

    from hqzt.dashboard.selectors import HOME_ROWS
    from hqzt.needs.models import Need
    from hqzt.needs.states import Status

    needs = [drive(Status.AWAITING_DISPATCH) for _ in range(HOME_ROWS + 2)]
    today = datetime.date.today()
    for days, need in enumerate(reversed(needs)):
        Need.objects.filter(pk=need.pk).update(due_on=today + datetime.timedelta(days=days))
    response = client_for(chief_a).get(reverse("dashboard:home"))
    rows = [r.need.pk for r in response.context["todo_rows"]]
    assert rows == [n.pk for n in reversed(needs)][:HOME_ROWS]
    assert f'href="{reverse("needs:todo")}"' in response.text


def test_supervisor_home_lists_overdue_needs_and_orders_to_review(
    client_for, drive, supervisor, chief_a
):
    import datetime

    from hqzt.needs.models import Need
    from hqzt.needs.states import Status
    from hqzt.supervision.models import SupervisionOrder
    from hqzt.supervision.orders import order_issue, order_respond

    late = drive(Status.IN_PROGRESS)
    Need.objects.filter(pk=late.pk).update(due_on=datetime.date.today() - datetime.timedelta(1))
    order = order_issue(
        actor=supervisor,
        station=late.station,
        need=late,
        instruction="请加快办理",
        due_on=datetime.date.today() + datetime.timedelta(3),
    )
    text = client_for(chief_a).get(reverse("dashboard:home")).text
    assert "督办待回复" in text and reverse("supervision:order_detail", args=[order.pk]) in text
    order_respond(actor=chief_a, order=order, response="已督促科室办理")
    assert SupervisionOrder.objects.get(pk=order.pk).status == SupervisionOrder.Status.RESPONDED
    text = client_for(supervisor).get(reverse("dashboard:home")).text
    assert 'data-testid="home-overdue-row"' in text and late.label in text
    assert "督办待审核" in text and reverse("supervision:order_detail", args=[order.pk]) in text


def test_home_overdue_figure_and_table_are_the_ledgers_overdue_needs(
    client_for, drive, supervisor, chief_a
):
    """The figure links to the ledger's 仅看超期: it counts the same needs — past the step's
    deadline or only past the answer deadline — and the supervisor's table lists both kinds,
    longest past the step's deadline first."""
    import datetime

    from hqzt.core import clock
    from hqzt.needs.ledger import ledger_filter
    from hqzt.needs.models import Need
    from hqzt.needs.states import Status

    today = clock.today()
    late_step, later_step, late_answer, on_time = (drive(Status.DISPATCHED) for _ in range(4))
    Need.objects.filter(pk=late_step.pk).update(due_on=today - datetime.timedelta(5))
    Need.objects.filter(pk=later_step.pk).update(due_on=today - datetime.timedelta(1))
    Need.objects.filter(pk__in=[late_answer.pk, on_time.pk]).update(
        due_on=today + datetime.timedelta(3)
    )
    Need.objects.filter(pk=late_answer.pk).update(answer_due_on=today - datetime.timedelta(2))
    ledger, _ = ledger_filter(supervisor, {"overdue": "on"})
    assert set(ledger) == {late_step, later_step, late_answer}
    for user in (supervisor, chief_a):
        text = client_for(user).get(reverse("dashboard:home")).text
        assert re.search(r'data-testid="figure-overdue">3<', text)
    response = client_for(supervisor).get(reverse("dashboard:home"))
    rows = [row.need for row in response.context["overdue_rows"]]
    assert rows == [late_step, later_step, late_answer]


def test_home_shows_the_latest_messages(client_for, staff_a):
    from hqzt.notifications.models import Notification

    for i in range(7):
        Notification.objects.create(recipient=staff_a, kind="test", title=f"消息{i}", url="/")
    text = client_for(staff_a).get(reverse("dashboard:home")).text
    assert "消息6" in text and "消息2" in text and "消息1" not in text


def test_enterprise_figure_counts_each_served_enterprise_once_within_the_scope(
    client_for, supervisor, county_supervisor, staff_b, station_a, station_b
):
    both = EnterpriseFactory()
    station_a.enterprises.add(both, *EnterpriseFactory.create_batch(2))
    station_b.enterprises.add(both)
    EnterpriseFactory()  # served by no station: in nobody's figure but the admin's
    figure = re.compile(r'data-testid="figure-enterprises">(\d+)<')
    home = reverse("dashboard:home")
    assert figure.search(client_for(supervisor).get(home).text).group(1) == "3"
    assert figure.search(client_for(county_supervisor).get(home).text).group(1) == "1"
    assert figure.search(client_for(staff_b).get(home).text).group(1) == "1"


def _station_table(text: str) -> dict[int, tuple[int, int]]:
    """The supervisor's 辖区服务站 table: station id → (驻站人员, 服务企业)."""
    from lxml import html

    table = html.fromstring(text).xpath('//div[@class="card-header"][.="辖区服务站"]/..//tbody')
    rows = [row.xpath("./td") for row in (table[0].xpath("./tr") if table else [])]
    return {
        int(re.search(r"/stations/(\d+)/", cells[0].xpath(".//a/@href")[0]).group(1)): tuple(
            int(td.text_content()) for td in cells[3:]
        )
        for cells in rows
        if len(cells) == 5
    }


def test_supervisor_station_table_counts_equal_direct_counts_within_the_scope(
    client_for, supervisor, county_supervisor, staff_b, chief_a, staff_a, station_a, station_b
):
    """Staff and enterprises per station as a direct count gives them (the enterprises from the
    count each station keeps, stations/counts.py): the city supervisor sees every station of the
    city, a county supervisor only the county's, a station's staff no station table at all."""
    from hqzt.stations.models import StationMember

    shared = EnterpriseFactory()
    station_a.enterprises.add(shared, *EnterpriseFactory.create_batch(3))
    station_b.enterprises.add(shared, EnterpriseFactory())
    station_a.enterprises.remove(shared)
    StationMember.objects.filter(user=staff_a).update(is_active=False)
    expected = {
        s.pk: (
            StationMember.objects.filter(station=s, is_active=True).count(),
            s.enterprises.count(),
        )
        for s in (station_a, station_b)
    }
    assert expected == {station_a.pk: (1, 3), station_b.pk: (1, 2)}
    home = reverse("dashboard:home")
    assert _station_table(client_for(supervisor).get(home).text) == expected
    assert _station_table(client_for(county_supervisor).get(home).text) == {
        station_b.pk: expected[station_b.pk]
    }
    text = client_for(staff_b).get(home).text
    assert _station_table(text) == {} and station_a.name not in text


def test_home_and_statistics_cost_the_same_queries_for_2_stations_as_for_12(
    supervisor, admin_user, staff_a, city
):
    """The station table and the station comparison read kept figures, not a query per
    station: the same number of queries whatever the number of stations (issue 18)."""
    from django.test import Client

    from hqzt.needs.tests.factories import NeedFactory
    from hqzt.stations.tests.factories import StationFactory
    from tests.page_queries import page_queries

    def grow(n: int) -> None:
        for _ in range(n):
            station = StationFactory(superior_unit=city)
            station.enterprises.add(EnterpriseFactory())
            NeedFactory(sheet__station=station)

    pages = [
        (user, reverse(name))
        for user in (supervisor, admin_user, staff_a)
        for name in ("dashboard:home", "dashboard:stats")
    ]
    clients = {user: Client() for user in (supervisor, admin_user, staff_a)}
    for user, client in clients.items():
        client.force_login(user)

    def queries() -> dict:
        return {
            (user.username, url): len(page_queries(clients[user], url)[0]) for user, url in pages
        }

    grow(2)
    few = queries()
    grow(10)
    many = queries()
    assert few == many
    assert max(many.values()) <= 25
